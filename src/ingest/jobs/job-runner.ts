import type { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { JobRepository, type Job } from '../../platform/jobs/job-repository.js';
import { JobWorker } from '../../platform/jobs/job-worker.js';
import type { Logger } from '../../platform/log/logger.js';
import type { Connectors } from '../../connectors/connectors-module.js';
import { createIngestJobs, type IngestJobCatalog } from './ingest-jobs.js';
import type { EmbeddingIndexer } from '../../search/vectors/embedding-indexer.js';
import { createSearchJobs, type SearchJobCatalog } from '../../search/vectors/search-jobs.js';
import type { AnalyticsService } from '../../analytics/service/analytics-service.js';
import { createAnalyticsJobs, type AnalyticsJobCatalog } from '../../analytics/rollups/rollup-jobs.js';

/**
 * Ingestion's jobs, search's embedding job (present when search has an embedding indexer) and
 * analytics' rollup refresh (present when analytics is wired).
 */
type RunnerCatalog = IngestJobCatalog & SearchJobCatalog & AnalyticsJobCatalog;

export interface JobRunnerOptions {
  concurrency: number;
  /** Embedded mode: the data-directory lock proves no other worker lives, so orphaned jobs restart at once. */
  embedded: boolean;
}

/** How long a stopping worker waits for running jobs to notice the shutdown and give their job back. */
const STOP_GRACE_MS = 10_000;

/**
 * The queue and (in `kura worker` and embedded `kura serve`) the worker of this process, over the
 * ingestion job catalog. Enqueueing in a process that runs the worker wakes it at once.
 */
export class JobRunner {
  readonly repository: JobRepository;
  readonly catalog: RunnerCatalog;
  readonly queue: JobQueue<RunnerCatalog>;
  private readonly shutdown = new AbortController();
  private worker: JobWorker | undefined;

  constructor(
    db: Database,
    connectors: Connectors,
    private readonly logger: Logger,
    private readonly options: JobRunnerOptions,
    embeddings?: EmbeddingIndexer,
    analytics?: AnalyticsService,
  ) {
    this.repository = new JobRepository(db);
    // A synced database source refreshes the rollups of the model reading it.
    const ingest = createIngestJobs(connectors, this.shutdown.signal, {
      ...(analytics
        ? { sourceSynced: (tenantId: string, sourceId: string) => analytics.sourceSynced(tenantId, sourceId) }
        : {}),
    });
    // Without an indexer nothing enqueues search.embed (the indexer is what asks for it).
    this.catalog = {
      ...ingest,
      ...(embeddings ? createSearchJobs(embeddings, this.shutdown.signal) : {}),
      ...(analytics ? createAnalyticsJobs(analytics) : {}),
    } as RunnerCatalog;
    this.queue = new JobQueue(this.repository, this.catalog);
  }

  async enqueue<N extends keyof RunnerCatalog & string>(
    name: N,
    payload: z.input<RunnerCatalog[N]['payload']>,
    options: { tenantId: string; dedupeKey?: string },
  ): Promise<Job> {
    const job = await this.queue.enqueue(name, payload, options);
    this.worker?.poke();
    return job;
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  async startWorker(): Promise<void> {
    if (this.worker) return;
    if (this.options.embedded) {
      const released = await this.repository.releaseOrphans(Object.keys(this.catalog));
      if (released > 0)
        this.logger.warn({ released }, 'jobs interrupted by the previous stop were queued again');
    }
    this.worker = new JobWorker(this.repository, this.catalog, this.logger, {
      concurrency: this.options.concurrency,
    });
    this.worker.start();
  }

  /** Asks running jobs to stop (their work so far is committed; they resume at the next start). */
  async stopWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.shutdown.abort(new Error('Kura is shutting down; the job resumes at the next start'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      worker.stop(),
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
  }
}
