import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import type { JobCatalog } from './job-queue.js';
import type { Job, JobRepository } from './job-repository.js';

export interface JobWorkerOptions {
  concurrency: number;
  /** How long to sleep when the queue is empty. */
  idleMs?: number;
  /**
   * How long a claimed job stays this worker's without a sign of life. Short, and renewed every
   * third of it while the job runs: a six-hour sync keeps its job, and the job of a worker that
   * died (kill -9, lost host) is taken over by another worker within one lease.
   */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 30_000;

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

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

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
    const job = await this.jobs.claim(this.id, names, () => this.leaseMs);
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
    const heartbeat = setInterval(() => {
      this.jobs.renewLease(job.id, this.id, this.leaseMs).then(
        (held) => {
          if (!held) controller.abort(new Error('the lease was lost; another worker has taken the job over'));
        },
        (error: unknown) => this.logger.warn({ err: error, id: job.id }, 'could not renew a job lease'),
      );
    }, this.leaseMs / 3);
    try {
      const payload = definition.payload.parse(job.payload);
      const result = await Promise.race([
        definition.handler(payload, {
          jobId: job.id,
          tenantId: job.tenantId,
          attempt: job.attempts,
          signal: controller.signal,
          progress: (progress) => this.jobs.setProgress(job.id, this.id, progress, this.leaseMs),
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
      clearInterval(heartbeat);
    }
  }
}
