import type { EmbeddingModel, LanguageModel } from 'ai';
import type { ModelSdk } from '../model-sdk.js';
import type { ProviderWithCredentials } from './provider-service.js';

/**
 * The Vercel AI SDK model objects for a registered provider. All three kinds speak Chat Completions
 * (not OpenAI's Responses API): it is what Azure deployments, vLLM, llama.cpp and Ollama share.
 */
export function chatModelOf(sdk: ModelSdk, provider: ProviderWithCredentials): LanguageModel {
  const apiKey = provider.apiKey ?? undefined;
  switch (provider.kind) {
    case 'openai':
      return sdk.createOpenAI({ baseURL: provider.baseUrl, apiKey }).chat(provider.chatModel);
    case 'azure':
      return sdk.createAzure({ baseURL: provider.baseUrl, apiKey }).chat(provider.chatModel);
    case 'openai-compatible':
      return sdk
        .createOpenAICompatible({
          name: provider.name,
          baseURL: provider.baseUrl,
          ...(apiKey ? { apiKey } : {}),
          includeUsage: true,
        })
        .chatModel(provider.chatModel);
  }
}

export function embeddingModelOf(
  sdk: ModelSdk,
  provider: ProviderWithCredentials,
  model: string,
): EmbeddingModel {
  const apiKey = provider.apiKey ?? undefined;
  switch (provider.kind) {
    case 'openai':
      return sdk.createOpenAI({ baseURL: provider.baseUrl, apiKey }).embedding(model);
    case 'azure':
      return sdk.createAzure({ baseURL: provider.baseUrl, apiKey }).embedding(model);
    case 'openai-compatible':
      return sdk
        .createOpenAICompatible({
          name: provider.name,
          baseURL: provider.baseUrl,
          ...(apiKey ? { apiKey } : {}),
        })
        .embeddingModel(model);
  }
}
