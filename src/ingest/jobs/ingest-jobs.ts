import { z } from 'zod';
import type { Connectors } from '../../connectors/connectors-module.js';
import {
  assertJobTenant,
  defineJob,
  exponentialBackoff,
  type JobContext,
} from '../../platform/jobs/job-definition.js';
import { IngestTracker, type IngestSummary } from '../pipeline/ingest-tracker.js';

/** How long one attempt of a sync may run: big shares take hours; a lost worker is noticed by its lease. */
const SYNC_TIMEOUT_MS = 6 * 60 * 60_000;

const tenantId = z.string().uuid();

export interface IngestJobHooks {
  /** After a source's sync succeeded (analytics refreshes the rollups of a model reading it). */
  sourceSynced?(tenantId: string, sourceId: string): Promise<void>;
}

/**
 * The ingestion pillar's job catalog. Each handler returns an IngestSummary (stored as the job's
 * result) and reports IngestProgress (files, bytes, counts) while it runs. Per-file failures are
 * recorded on their documents and never fail the job; a failed job (database gone, folder
 * unmounted) is retried with backoff, then parked as dead with its reason.
 */
export function createIngestJobs(connectors: Connectors, shutdown: AbortSignal, hooks: IngestJobHooks = {}) {
  const run = async (
    ctx: JobContext,
    payloadTenant: string,
    work: (tracker: IngestTracker, signal: AbortSignal) => Promise<void>,
  ) => {
    assertJobTenant(ctx, payloadTenant);
    const tracker = new IngestTracker((progress) => ctx.progress(progress), 500);
    await work(tracker, AbortSignal.any([ctx.signal, shutdown]));
    return tracker.summary() satisfies IngestSummary;
  };
  return {
    'source.sync': defineJob({
      name: 'source.sync',
      payload: z.object({ tenantId, sourceId: z.string().uuid() }),
      maxAttempts: 3,
      timeoutMs: SYNC_TIMEOUT_MS,
      backoffMs: exponentialBackoff(5_000),
      handler: async (payload, ctx) => {
        const summary = await run(ctx, payload.tenantId, (tracker, signal) =>
          connectors.sync.syncSource(payload.tenantId, payload.sourceId, tracker, signal),
        );
        await hooks.sourceSynced?.(payload.tenantId, payload.sourceId);
        return summary;
      },
    }),
    'ingest.paths': defineJob({
      name: 'ingest.paths',
      payload: z.object({ tenantId, paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }),
      maxAttempts: 3,
      timeoutMs: SYNC_TIMEOUT_MS,
      backoffMs: exponentialBackoff(5_000),
      handler: (payload, ctx) =>
        run(ctx, payload.tenantId, (tracker, signal) =>
          connectors.sync.ingestPaths(payload.tenantId, payload.paths, tracker, signal),
        ),
    }),
  };
}

export type IngestJobCatalog = ReturnType<typeof createIngestJobs>;
