import { Worker } from 'node:worker_threads';
import type { IpadicDictionary } from '../../search/analysis/ipadic-dictionary.js';
import type { StoredChunk } from '../documents/document-types.js';
import type { ParseLimits } from '../parsers/index.js';
import type { DocumentPreparer, PreparedFile } from '../pipeline/prepare-document.js';
import type {
  PreparationReply,
  PreparationSetup,
  PreparationTask,
  PreparationWorkerData,
} from './preparation-messages.js';

export interface PreparationPoolOptions {
  /** Threads: one per core uses the machine (KURA_WORKER_CONCURRENCY). */
  threads: number;
  /** The process's dictionary: every thread reads the same shared memory instead of loading its own. */
  dictionary: () => Promise<IpadicDictionary>;
  limits?: ParseLimits;
  /** A task still running after this long has its thread terminated (a runaway parser cannot be interrupted otherwise). */
  taskTimeoutMs?: number;
}

type Pending = {
  task: PreparationTask;
  resolve: (reply: PreparationReply) => void;
  reject: (error: Error) => void;
};

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Tasks sent to the thread, in the order it runs them: the first is running, the rest wait there. */
  sent: Pending[];
  /** The running task's budget. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * The pool a configuration asks for: one thread per unit of KURA_WORKER_CONCURRENCY (default 2,
 * both cores), each file held to the upload limit; none at 0 (some tests prepare on their thread).
 */
export function configuredPreparationPool(
  config: { workerConcurrency?: number; ingest: { maxFileBytes: number } },
  dictionary: () => Promise<IpadicDictionary>,
): PreparationPool | undefined {
  const threads = config.workerConcurrency ?? 0;
  if (threads <= 0) return undefined;
  return new PreparationPool({ threads, limits: { maxBytes: config.ingest.maxFileBytes }, dictionary });
}

const DEFAULT_TASK_TIMEOUT_MS = 120_000;
/**
 * Tasks a thread holds at once. A thread that finishes one starts the next at once instead of
 * waiting for the main thread to send it: on embedded PGlite the main thread is often inside a
 * database call (a group commit of dozens of documents takes tens of milliseconds), and threads
 * holding two tasks each ran dry meanwhile (docs/BENCHMARKS.md: eight, with 16 files per thread in
 * flight instead of 4, made ingests 5–12 % faster). While another thread is still starting, a ready
 * thread takes only STARTING_TASKS, so a small batch is not queued whole on the first to start.
 */
const TASKS_PER_THREAD = 8;
const STARTING_TASKS = 2;
/** A ZIP bomb that slips past the guards exhausts its thread's heap, not the server's. */
const THREAD_HEAP_MB = 1536;
// Compiled (bin/compile-sources.mjs), this module and the worker are JavaScript; run from the
// TypeScript sources, the thread starts at a wrapper that registers tsx first.
const entry = new URL(
  import.meta.url.endsWith('.ts') ? './preparation-worker.mjs' : './preparation-worker.js',
  import.meta.url,
);

/**
 * Parse → chunk → analyse on worker threads, so ingestion uses every core while the main thread
 * does the I/O and the database writes. Threads start on first use and are unref'd: an idle pool
 * never keeps the process alive. Tasks go from one FIFO queue to the least busy ready thread, each
 * thread holding up to TASKS_PER_THREAD; a thread runs its tasks one after another, and each task's
 * budget starts when it starts.
 */
export class PreparationPool implements DocumentPreparer {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PreparationPoolOptions) {}

  async prepareFile(bytes: Buffer, fileName: string): Promise<PreparedFile> {
    try {
      const reply = await this.run({ id: this.nextId++, kind: 'file', bytes, fileName });
      if (reply.kind === 'file') return reply.result;
      throw new Error(reply.kind === 'error' ? reply.message : 'unexpected reply');
    } catch (error) {
      if (error instanceof ThreadStopped) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  }

  async prepareText(text: string, heading?: string): Promise<StoredChunk[]> {
    const reply = await this.run({ id: this.nextId++, kind: 'text', text, ...(heading ? { heading } : {}) });
    if (reply.kind === 'text') return reply.result;
    throw new Error(reply.kind === 'error' ? reply.message : 'unexpected reply');
  }

  /** Threads started, ready or still loading. */
  get startedThreads(): number {
    return this.slots.length;
  }

  /** Threads that have loaded their dictionary and take tasks. */
  get readyThreads(): number {
    return this.slots.filter((slot) => slot.ready).length;
  }

  /** Starts every thread now (they load in the background) instead of on the first task. */
  start(): void {
    while (!this.closed && this.slots.length < this.options.threads) this.spawn();
  }

  /** Starts every thread and resolves once all have loaded (benchmarks, a server warming up). */
  async warm(): Promise<void> {
    this.start();
    while (!this.closed && this.readyThreads < this.options.threads)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the preparation pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private run(task: PreparationTask): Promise<PreparationReply> {
    if (this.closed) return Promise.reject(new Error('the preparation pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      while (
        this.slots.length < this.options.threads &&
        this.slots.length < this.queue.length + this.busyCount()
      )
        this.spawn();
      this.dispatch();
    });
  }

  private busyCount(): number {
    return this.slots.filter((slot) => slot.sent.length > 0).length;
  }

  private spawn(): void {
    const data: PreparationWorkerData = { limits: this.options.limits };
    const worker = new Worker(entry, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, sent: [], timer: undefined };
    this.slots.push(slot);
    worker.on('message', (message: PreparationReply | 'ready') => {
      if (message === 'ready') slot.ready = true;
      else this.finish(slot, (pending) => pending.resolve(message));
      this.dispatch();
    });
    worker.on('error', (error) => this.lose(slot, error));
    worker.on('exit', (code) => this.lose(slot, new Error(`the thread exited with code ${code}`)));
    this.options.dictionary().then(
      (dictionary) => worker.postMessage({ kind: 'dictionary', dictionary } satisfies PreparationSetup),
      (error: Error) => this.lose(slot, error),
    );
  }

  private dispatch(): void {
    const depth = this.slots.every((slot) => slot.ready) ? TASKS_PER_THREAD : STARTING_TASKS;
    for (;;) {
      let slot: Slot | undefined;
      for (const candidate of this.slots)
        if (candidate.ready && candidate.sent.length < (slot?.sent.length ?? depth)) slot = candidate;
      if (slot === undefined || this.queue.length === 0) return;
      const pending = this.queue.shift()!;
      slot.sent.push(pending);
      if (slot.sent.length === 1) this.startBudget(slot);
      slot.worker.postMessage(pending.task);
    }
  }

  /** The running task's budget: past it, the thread is stopped (a runaway parser cannot be interrupted otherwise). */
  private startBudget(slot: Slot): void {
    slot.worker.ref();
    const budget = this.options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
    slot.timer = setTimeout(() => {
      const seconds = Math.round(budget / 1000);
      this.lose(
        slot,
        new ThreadStopped('parse_timeout', `Parsing took longer than ${seconds} s and was stopped.`),
      );
    }, budget);
  }

  /** The running task is done: settle it, and start the next one's budget. */
  private finish(slot: Slot, settle: (pending: Pending) => void): void {
    clearTimeout(slot.timer);
    const pending = slot.sent.shift();
    if (slot.sent.length > 0) this.startBudget(slot);
    else slot.worker.unref();
    if (pending) settle(pending);
  }

  /**
   * A thread that crashed, ran out of heap or timed out: its running task fails, the tasks that
   * waited on it go back to the front of the queue, and a new thread takes its place.
   */
  private lose(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    void slot.worker.terminate();
    const reason =
      error instanceof ThreadStopped
        ? error
        : new ThreadStopped(
            'corrupt_file',
            `Parsing this file stopped its worker thread (${error.message}).`,
          );
    const waiting = slot.sent.splice(1);
    this.finish(slot, (pending) => pending.reject(reason));
    this.queue.unshift(...waiting);
    if (!slot.ready && !this.closed) {
      // The thread never started (e.g. the dictionary failed to load): fail the queue, not loop forever.
      for (const pending of this.queue.splice(0))
        pending.reject(new Error(`a preparation thread failed to start: ${error.message}`));
      return;
    }
    if (!this.closed && this.queue.length > 0) this.spawn();
  }
}

/** The task's thread was stopped; for a file this is that file's failure, recorded with its reason. */
class ThreadStopped extends Error {
  constructor(
    readonly code: 'parse_timeout' | 'corrupt_file',
    message: string,
  ) {
    super(message);
  }
}
