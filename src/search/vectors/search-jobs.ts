import { z } from 'zod';
import { assertJobTenant, defineJob, exponentialBackoff } from '../../platform/jobs/job-definition.js';
import type { EmbeddingIndexer } from './embedding-indexer.js';

/** Queue name and the dedupe key: one embedding job per company queued or running at a time. */
export const EMBED_JOB = 'search.embed';
export const embedDedupeKey = (tenantId: string) => `${EMBED_JOB}:${tenantId}`;

/**
 * Search's job catalog. `search.embed {tenantId}` embeds the company's chunks that have no vector of
 * its current model. The gateway retries each batch with backoff (429, 5xx, network); a job that
 * still fails is retried by the queue (5 attempts, from 10 s), resuming from what was stored.
 */
export function createSearchJobs(indexer: EmbeddingIndexer, shutdown: AbortSignal) {
  return {
    [EMBED_JOB]: defineJob({
      name: EMBED_JOB,
      payload: z.object({ tenantId: z.string().uuid() }),
      maxAttempts: 5,
      timeoutMs: 6 * 60 * 60_000,
      backoffMs: exponentialBackoff(10_000),
      handler: async (payload, ctx) => {
        assertJobTenant(ctx, payload.tenantId);
        return indexer.embedAll(payload.tenantId, AbortSignal.any([ctx.signal, shutdown]), (p) =>
          ctx.progress(p),
        );
      },
    }),
  } as const;
}

export type SearchJobCatalog = ReturnType<typeof createSearchJobs>;
