import type { ModelGateway } from '../../platform/llm/model-gateway.js';
import type { Provider } from '../../platform/llm/providers/provider.js';

/** What search needs of the model gateway (src/platform/llm): the only way to a provider. */
export interface EmbeddingSource {
  gateway: ModelGateway;
  /** Every registered provider: tells "none registered" from "refused by the company's policy". */
  providers: { all(): Promise<Provider[]> };
}

/** Why a search ran lexical only; the response says it in `retrieval`. */
export const LEXICAL_REASONS = {
  noProvider: 'lexical only: no embedding provider',
  refused: 'lexical only: embedding provider refused by policy',
  building: 'lexical only: embeddings still being built',
  unavailable: 'lexical only: embedding provider unavailable',
} as const;

export type LexicalReason = (typeof LEXICAL_REASONS)[keyof typeof LEXICAL_REASONS];

export type EmbeddingTarget =
  | { kind: 'provider'; provider: Provider & { embeddingModel: string } }
  | { kind: 'none'; reason: LexicalReason };

/**
 * The company's embedding model: the first registered provider with an embedding model that its
 * residency policy allows (`gateway.embeddingProviderFor`). Changing the model — `kura provider add
 * --embedding-model`, `kura provider remove`, or `kura tenant set-policy --providers/--regions` —
 * starts a new embedding generation.
 */
export async function embeddingTarget(source: EmbeddingSource, tenantId: string): Promise<EmbeddingTarget> {
  const provider = await source.gateway.embeddingProviderFor(tenantId);
  if (provider?.embeddingModel)
    return { kind: 'provider', provider: { ...provider, embeddingModel: provider.embeddingModel } };
  const registered = (await source.providers.all()).some((p) => p.embeddingModel !== null);
  return { kind: 'none', reason: registered ? LEXICAL_REASONS.refused : LEXICAL_REASONS.noProvider };
}

/** A vector scaled to unit length (cosine = dot product); a zero or non-finite vector is refused. */
export function unitVector(values: readonly number[]): number[] {
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  if (!(norm > 0) || !Number.isFinite(norm))
    throw new Error('the provider returned a zero or invalid embedding');
  return values.map((v) => v / norm);
}
