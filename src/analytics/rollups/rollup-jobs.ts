import { z } from 'zod';
import { assertJobTenant, defineJob, exponentialBackoff } from '../../platform/jobs/job-definition.js';
import type { AnalyticsService } from '../service/analytics-service.js';

/** Queue name and dedupe key: one refresh per company queued at a time (a burst of saves is one build). */
export const ROLLUP_JOB = 'analytics.rollups.refresh';
export const rollupDedupeKey = (tenantId: string) => `${ROLLUP_JOB}:${tenantId}`;

/**
 * Analytics' job catalog. `analytics.rollups.refresh {tenantId}` rebuilds the company's rollups
 * from its source for the model in force, reporting each rollup as it goes; the result lists them
 * (rows, size, build time). A failure (source gone, statement timeout) leaves a failed entry and no
 * rollup — queries go to the source — and the queue retries (3 attempts, from 30 s).
 */
export function createAnalyticsJobs(analytics: AnalyticsService) {
  return {
    [ROLLUP_JOB]: defineJob({
      name: ROLLUP_JOB,
      payload: z.object({ tenantId: z.string().uuid() }),
      maxAttempts: 3,
      timeoutMs: 60 * 60_000,
      backoffMs: exponentialBackoff(30_000),
      handler: async (payload, ctx) => {
        assertJobTenant(ctx, payload.tenantId);
        const rollups = await analytics.refreshRollups(payload.tenantId, (p) =>
          ctx.progress({ done: p.done, total: p.total, unit: 'rollups', message: p.message }),
        );
        return {
          rollups: rollups.map((r) => ({
            dimensions: r.dimensions,
            status: r.status,
            rows: r.rowCount,
            bytes: r.sizeBytes,
            buildMs: r.buildMs,
            ...(r.message ? { message: r.message } : {}),
          })),
        };
      },
    }),
  } as const;
}

export type AnalyticsJobCatalog = ReturnType<typeof createAnalyticsJobs>;
