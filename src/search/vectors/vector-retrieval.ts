import type { Database, Queryable } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import { embeddingStore } from './embedding-store.js';
import type { EmbeddingIndexer } from './embedding-indexer.js';
import {
  embeddingTarget,
  LEXICAL_REASONS,
  unitVector,
  type EmbeddingSource,
  type LexicalReason,
} from './embedding-target.js';
import type { VectorHit, VectorIndex, VectorQuery } from './vector-index.js';

/** What a search may do with vectors this time: search them (query already embedded), or why not. */
export type VectorPlan =
  | { kind: 'hybrid'; generation: number; dimensions: number; vector: number[]; model: string }
  | { kind: 'lexical'; reason: LexicalReason; detail?: string };

/**
 * The vector half of a search: decides whether this company's search can be hybrid now, embeds
 * the query through the model gateway (residency, PII, metering and audit apply), and finds the
 * nearest chunks under the same company, ACL and filters as the lexical half.
 */
export class VectorRetrieval {
  constructor(
    private readonly db: Database,
    private readonly source: EmbeddingSource,
    private readonly index: () => Promise<VectorIndex>,
    private readonly indexer: EmbeddingIndexer,
  ) {}

  async plan(actor: Actor, tenantId: string, query: string): Promise<VectorPlan> {
    const target = await embeddingTarget(this.source, tenantId);
    if (target.kind === 'none') return { kind: 'lexical', reason: target.reason };
    const { name: provider, embeddingModel: model } = target.provider;
    const generation = await this.db.tenant(tenantId, (tx) => embeddingStore.current(tx, tenantId));
    if (
      !generation ||
      generation.status !== 'ready' ||
      generation.dimensions === null ||
      generation.provider !== provider ||
      generation.model !== model
    ) {
      // A new model, or a company never embedded: the job builds it; search stays lexical meanwhile.
      await this.indexer.request(tenantId);
      return { kind: 'lexical', reason: LEXICAL_REASONS.building };
    }
    try {
      const result = await this.source.gateway.embed(
        { tenantId, userId: actor.kind === 'operator' ? null : actor.id, purpose: 'search.query' },
        { provider, texts: [query] },
      );
      const vector = unitVector(result.embeddings[0] ?? []);
      if (result.model !== model || vector.length !== generation.dimensions) {
        await this.indexer.request(tenantId);
        return { kind: 'lexical', reason: LEXICAL_REASONS.building };
      }
      return {
        kind: 'hybrid',
        generation: generation.generation,
        dimensions: generation.dimensions,
        vector,
        model,
      };
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'provider_error';
      if (code === 'residency_violation') return { kind: 'lexical', reason: LEXICAL_REASONS.refused };
      return { kind: 'lexical', reason: LEXICAL_REASONS.unavailable, detail: code };
    }
  }

  async search(tx: Queryable, query: VectorQuery): Promise<VectorHit[]> {
    return (await this.index()).search(tx, query);
  }
}
