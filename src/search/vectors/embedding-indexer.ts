import type { Database } from '../../platform/db/database.js';
import type { JobProgress } from '../../platform/jobs/job-definition.js';
import type { Logger } from '../../platform/log/logger.js';
import { embeddingStore, type ChunkToEmbed, type EmbeddingGeneration } from './embedding-store.js';
import { embeddingTarget, unitVector, type EmbeddingSource } from './embedding-target.js';
import type { VectorIndex } from './vector-index.js';

/** Chunks read and stored per round; the gateway sends them in requests of EMBED_BATCH texts. */
const ROUND = 256;
export const EMBED_BATCH = 64;

export interface EmbeddingSummary {
  /** 'ready': every chunk has a vector of the company's model; 'no_provider': nothing to do. */
  status: 'ready' | 'no_provider' | 'superseded';
  provider: string | null;
  model: string | null;
  generation: number | null;
  dimensions: number | null;
  embedded: number;
}

/**
 * Gives a company's chunks vectors of its current embedding model (job `search.embed`). A new model
 * starts a new generation: the old vectors are dropped at once, so a query embedded by one model is
 * never compared with chunks embedded by another, and search stays lexical until the new generation
 * is complete. Each round commits, so a job that fails (after the gateway's own retries) resumes
 * where it stopped when the queue retries it.
 */
export class EmbeddingIndexer {
  private enqueue: ((tenantId: string) => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly source: EmbeddingSource,
    private readonly index: () => Promise<VectorIndex>,
    private readonly logger?: Logger,
  ) {}

  /** The job queue is built after search (it runs search's job): wired by the composition root. */
  attachQueue(enqueue: (tenantId: string) => Promise<void>): void {
    this.enqueue = enqueue;
  }

  /** Asks for an embedding job when the company has an embedding model (deduplicated by the queue). */
  async request(tenantId: string): Promise<void> {
    if (!this.enqueue) return;
    try {
      if ((await embeddingTarget(this.source, tenantId)).kind !== 'provider') return;
      await this.enqueue(tenantId);
    } catch (error) {
      // Ingestion never fails for this: the next write or search asks again.
      this.logger?.warn({ err: error, tenantId }, 'could not queue the embedding job');
    }
  }

  async embedAll(
    tenantId: string,
    signal: AbortSignal,
    progress: (p: JobProgress) => Promise<void>,
  ): Promise<EmbeddingSummary> {
    const target = await embeddingTarget(this.source, tenantId);
    if (target.kind !== 'provider')
      return {
        status: 'no_provider',
        provider: null,
        model: null,
        generation: null,
        dimensions: null,
        embedded: 0,
      };
    const { name: provider, embeddingModel: model } = target.provider;
    let generation = await this.db.tenant(tenantId, async (tx) => {
      const current = await embeddingStore.current(tx, tenantId);
      if (current && current.provider === provider && current.model === model) return current;
      return embeddingStore.start(tx, tenantId, { provider, model });
    });
    const vectors = await this.index();
    if (generation.status === 'building') await vectors.dropOtherIndexes(tenantId, null);
    let embedded = 0;
    const total = (
      await this.db.tenant(tenantId, (tx) => embeddingStore.counts(tx, tenantId, generation.generation))
    ).chunks;
    // Passes in key order; chunks written behind the cursor meanwhile are found by a pass from the
    // start, and the job ends when a pass from the start finds nothing.
    let after: ChunkToEmbed | null = null;
    for (;;) {
      signal.throwIfAborted();
      const from: ChunkToEmbed | null = after;
      const chunks: ChunkToEmbed[] = await this.db.tenant(tenantId, (tx) =>
        embeddingStore.missing(tx, tenantId, generation.generation, ROUND, from),
      );
      if (chunks.length === 0) {
        if (from === null) break;
        after = null;
        continue;
      }
      after = chunks.at(-1)!;
      const result = await this.source.gateway.embed(
        { tenantId, userId: null, purpose: 'search.embed', signal },
        { provider, texts: chunks.map((c) => c.text), batchSize: EMBED_BATCH },
      );
      // The provider's model changed while this ran: the next job starts a generation for it.
      if (result.model !== model) return { ...summaryOf(generation, 'superseded'), embedded };
      const unit = result.embeddings.map(unitVector);
      const dimensions = generation.dimensions ?? unit[0]!.length;
      if (unit.some((v) => v.length !== dimensions))
        throw new Error(
          `the embedding model ${model} returned vectors of differing dimensions (expected ${dimensions})`,
        );
      const stored = await this.db.tenant(tenantId, async (tx) => {
        if (generation.dimensions === null)
          await embeddingStore.setDimensions(tx, tenantId, generation.generation, dimensions);
        return embeddingStore.insert(tx, tenantId, { ...generation, dimensions }, chunks, unit);
      });
      generation = { ...generation, dimensions };
      embedded += stored;
      await progress({ done: embedded, total, unit: 'chunks', message: `${model}` });
      // Nothing stored: every chunk of the round was re-indexed meanwhile; that write asks for another job.
      if (stored === 0 && from === null) break;
    }
    if (generation.status === 'building' && generation.dimensions !== null) {
      await vectors.ensureIndex(tenantId, generation.generation, generation.dimensions);
      await this.db.tenant(tenantId, (tx) => embeddingStore.markReady(tx, tenantId, generation.generation));
      await vectors.dropOtherIndexes(tenantId, generation.generation);
      this.logger?.info({ tenantId, model, generation: generation.generation }, 'embeddings ready');
    }
    return { ...summaryOf(generation, 'ready'), embedded };
  }
}

const summaryOf = (g: EmbeddingGeneration, status: EmbeddingSummary['status']) => ({
  status,
  provider: g.provider,
  model: g.model,
  generation: g.generation,
  dimensions: g.dimensions,
  embedded: 0,
});
