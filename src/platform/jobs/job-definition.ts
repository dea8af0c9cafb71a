import type { z } from 'zod';

/** What a running handler may do besides its work: report progress, notice cancellation by timeout. */
export interface JobContext {
  jobId: string;
  tenantId: string | null;
  attempt: number;
  signal: AbortSignal;
  progress(progress: JobProgress): Promise<void>;
}

export interface JobProgress {
  done: number;
  total?: number;
  unit?: string;
  message?: string;
}

/**
 * One entry of the job catalog: a name, a zod schema for its payload (checked when enqueued and
 * again when run), how often to retry and how long one attempt may take.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  maxAttempts: number;
  timeoutMs: number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs: (attempt: number) => number;
  handler: (payload: z.infer<S>, ctx: JobContext) => Promise<unknown>;
}

export const exponentialBackoff =
  (baseMs: number, maxMs = 10 * 60_000) =>
  (attempt: number): number =>
    Math.min(maxMs, baseMs * 2 ** (attempt - 1));

/** A company's job runs only for the company it was enqueued for (its payload names it too). */
export function assertJobTenant(ctx: JobContext, payloadTenant: string): void {
  if (ctx.tenantId !== payloadTenant) throw new Error('the job was enqueued for another company');
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}
