import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { JobDefinition } from './job-definition.js';
import type { Job, JobRepository } from './job-repository.js';

/** A catalog: job name → definition. Enqueueing checks the payload against the job's schema. */
export type JobCatalog = Record<string, JobDefinition>;

export class JobQueue<C extends JobCatalog> {
  constructor(
    private readonly jobs: JobRepository,
    readonly catalog: C,
  ) {}

  async enqueue<N extends keyof C & string>(
    name: N,
    payload: z.input<C[N]['payload']>,
    options: { tenantId: string | null; runAt?: Date; dedupeKey?: string },
  ): Promise<Job> {
    const definition = this.catalog[name];
    if (!definition) throw new Error(`unknown job ${name}`);
    return this.jobs.insert({
      id: randomUUID(),
      tenantId: options.tenantId,
      name,
      payload: definition.payload.parse(payload),
      maxAttempts: definition.maxAttempts,
      ...(options.runAt ? { runAt: options.runAt } : {}),
      ...(options.dedupeKey ? { dedupeKey: options.dedupeKey } : {}),
    });
  }
}
