import type { ModelGateway } from '../../platform/llm/model-gateway.js';
import type { Provider } from '../../platform/llm/providers/provider.js';
import type { AnswerEngine } from './answer-engine.js';
import { GenerativeEngine } from './generative-engine.js';

export interface EngineScope {
  tenantId: string;
  userId: string | null;
}

/**
 * Which engine answers for a company: generative on the first registered provider its policy
 * allows; extractive when no chat provider is registered at all (the embedded default). When
 * providers are registered but the policy allows none of them, the generative engine is aimed at
 * the first one so that the gateway refuses with `residency_violation` (metered, naming provider
 * and region): the user learns why, and nothing is quietly sent to, or answered from, elsewhere.
 */
export function selectEngine(
  gateway: ModelGateway,
  providers: { all(): Promise<Provider[]> },
): (scope: EngineScope, extractive: AnswerEngine) => Promise<AnswerEngine> {
  return async ({ tenantId, userId }, extractive) => {
    const ctx = { tenantId, userId, purpose: 'assistant.answer' };
    const allowed = await gateway.chatProviderFor(tenantId);
    if (allowed) return new GenerativeEngine(gateway, ctx, { provider: allowed.name });
    const [registered] = await providers.all();
    if (!registered) return extractive;
    return new GenerativeEngine(gateway, ctx, { provider: registered.name });
  };
}
