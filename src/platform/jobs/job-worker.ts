import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import type { JobDefinition } from './job-definition.js';
import type { JobCatalog } from './job-queue.js';
import type { Job, JobRepository } from './job-repository.js';

export interface JobWorkerOptions {
  concurrency: number;
  /** How long to sleep when the queue is empty. */
  idleMs?: number;
}

/** A lease a little longer than the timeout, so only a dead worker's job is ever claimed again. */
const leaseFor = (definition: JobDefinition | undefined) => (definition?.timeoutMs ?? 60_000) + 30_000;

/**
 * Runs jobs from the queue with `concurrency` loops. A job that throws is retried after its backoff
 * until its attempts run out, then parked as `dead` with the reason; one that exceeds its timeout is
 * aborted and counts as a failure; one whose worker died is claimed again when its lease runs out.
 */
export class JobWorker {
  readonly id = `worker-${randomUUID()}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void) | undefined;

  constructor(
    private readonly jobs: JobRepository,
    private readonly catalog: JobCatalog,
    private readonly logger: Logger,
    private readonly options: JobWorkerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.loop());
  }

  /** Ask idle loops to look at the queue now (after an enqueue in this process). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await Promise.all(this.loops);
  }

  /** Runs due jobs until none is left; for tests and one-shot commands. */
  async drain(): Promise<number> {
    let ran = 0;
    while (await this.runOne()) ran++;
    return ran;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOne();
      } catch (error) {
        this.logger.error({ err: error }, 'job queue unavailable');
      }
      if (!worked && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.idleMs ?? 500);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async runOne(): Promise<boolean> {
    const names = Object.keys(this.catalog);
    const job = await this.jobs.claim(this.id, names, (name) => leaseFor(this.catalog[name]));
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private async execute(job: Job): Promise<void> {
    const definition = this.catalog[job.name]!;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`timed out after ${definition.timeoutMs} ms`)),
      definition.timeoutMs,
    );
    try {
      const payload = definition.payload.parse(job.payload);
      const result = await Promise.race([
        definition.handler(payload, {
          jobId: job.id,
          tenantId: job.tenantId,
          attempt: job.attempts,
          signal: controller.signal,
          progress: (progress) => this.jobs.setProgress(job.id, this.id, progress, leaseFor(definition)),
        }),
        new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), {
            once: true,
          }),
        ),
      ]);
      await this.jobs.complete(job.id, this.id, result);
    } catch (error) {
      const reason = (error as Error).message || String(error);
      const retry = job.attempts < job.maxAttempts ? definition.backoffMs(job.attempts) : undefined;
      this.logger.warn(
        { job: job.name, id: job.id, attempt: job.attempts, retry: retry !== undefined },
        `job failed: ${reason}`,
      );
      await this.jobs.fail(job.id, this.id, reason, retry);
    } finally {
      clearTimeout(timer);
    }
  }
}
