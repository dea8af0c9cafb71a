import type { Database, Queryable } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import { authorizeOn } from '../../tenancy/policies.js';
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

/** A company's embedding index as its admin sees it (`GET /api/v1/search/embeddings`). */
export interface EmbeddingStatus {
  /** What a search runs now (the provider is not called to find out). */
  retrieval: 'hybrid' | LexicalReason;
  provider: string | null;
  model: string | null;
  dimensions: number | null;
  generation: number | null;
  state: 'building' | 'ready' | null;
  chunks: number;
  embedded: number;
}

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

  async status(actor: Actor, tenantId: string): Promise<EmbeddingStatus> {
    authorizeOn(actor, 'search.embeddings.read', { tenantId, groupId: actor.groupId }, 'Company');
    const target = await embeddingTarget(this.source, tenantId);
    const { generation, counts } = await this.db.tenant(tenantId, async (tx) => {
      const generation = await embeddingStore.current(tx, tenantId);
      return { generation, counts: await embeddingStore.counts(tx, tenantId, generation?.generation ?? 0) };
    });
    const current =
      target.kind === 'provider' &&
      generation?.provider === target.provider.name &&
      generation.model === target.provider.embeddingModel;
    return {
      retrieval:
        target.kind === 'none'
          ? target.reason
          : current && generation?.status === 'ready'
            ? 'hybrid'
            : LEXICAL_REASONS.building,
      provider: target.kind === 'provider' ? target.provider.name : null,
      model: target.kind === 'provider' ? target.provider.embeddingModel : null,
      dimensions: current ? (generation?.dimensions ?? null) : null,
      generation: current ? (generation?.generation ?? null) : null,
      state: current ? (generation?.status === 'ready' ? 'ready' : 'building') : null,
      chunks: counts.chunks,
      embedded: current ? counts.embedded : 0,
    };
  }

  async search(tx: Queryable, query: VectorQuery): Promise<VectorHit[]> {
    return (await this.index()).search(tx, query);
  }
}
