import type * as Ai from 'ai';
import type { createAzure } from '@ai-sdk/azure';
import type { createOpenAI } from '@ai-sdk/openai';
import type { createOpenAICompatible } from '@ai-sdk/openai-compatible';

/** The AI SDK's functions and the provider packages' factories. */
export type ModelSdk = typeof Ai & {
  createOpenAI: typeof createOpenAI;
  createAzure: typeof createAzure;
  createOpenAICompatible: typeof createOpenAICompatible;
};

let loading: Promise<ModelSdk> | undefined;

/**
 * The AI SDK and its providers take about 0.2 s to load: they load with the first model call, not
 * with every command and server start (most never call a model: the offline extractive mode).
 */
export function loadModelSdk(): Promise<ModelSdk> {
  loading ??= Promise.all([
    import('ai'),
    import('@ai-sdk/openai'),
    import('@ai-sdk/azure'),
    import('@ai-sdk/openai-compatible'),
  ]).then(([ai, openai, azure, compatible]) => ({
    ...ai,
    createOpenAI: openai.createOpenAI,
    createAzure: azure.createAzure,
    createOpenAICompatible: compatible.createOpenAICompatible,
  }));
  // A failed load is not remembered: the next call tries again.
  loading.catch(() => (loading = undefined));
  return loading;
}
