import { Worker } from 'node:worker_threads';
import type { StoredChunk } from '../documents/document-types.js';
import type { ParseLimits } from '../parsers/index.js';
import type { DocumentPreparer, PreparedFile } from '../pipeline/prepare-document.js';
import type { PreparationReply, PreparationTask, PreparationWorkerData } from './preparation-messages.js';

export interface PreparationPoolOptions {
  /** Threads, each with its own dictionary: one per core uses the machine (KURA_WORKER_CONCURRENCY). */
  threads: number;
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
  busy: Pending | undefined;
  timer: NodeJS.Timeout | undefined;
}

const DEFAULT_TASK_TIMEOUT_MS = 120_000;
/** A ZIP bomb that slips past the guards exhausts its thread's heap, not the server's. */
const THREAD_HEAP_MB = 1536;
const entry = new URL('./preparation-worker.mjs', import.meta.url);

/**
 * Parse → chunk → analyse on worker threads, so ingestion uses every core while the main thread
 * does the I/O and the database writes. Threads start on first use and are unref'd: an idle pool
 * never keeps the process alive. One task per thread at a time, from one FIFO queue.
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
    return this.slots.filter((slot) => slot.busy).length;
  }

  private spawn(): void {
    const data: PreparationWorkerData = { limits: this.options.limits };
    const worker = new Worker(entry, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, busy: undefined, timer: undefined };
    this.slots.push(slot);
    worker.on('message', (message: PreparationReply | 'ready') => {
      if (message === 'ready') slot.ready = true;
      else this.finish(slot, (pending) => pending.resolve(message));
      this.dispatch();
    });
    worker.on('error', (error) => this.lose(slot, error));
    worker.on('exit', (code) => this.lose(slot, new Error(`the thread exited with code ${code}`)));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy || this.queue.length === 0) continue;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        const seconds = Math.round((this.options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS) / 1000);
        this.lose(
          slot,
          new ThreadStopped('parse_timeout', `Parsing took longer than ${seconds} s and was stopped.`),
        );
      }, this.options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS);
      slot.worker.postMessage(pending.task);
    }
  }

  private finish(slot: Slot, settle: (pending: Pending) => void): void {
    clearTimeout(slot.timer);
    const pending = slot.busy;
    slot.busy = undefined;
    slot.worker.unref();
    if (pending) settle(pending);
  }

  /** A thread that crashed, ran out of heap or timed out: its task fails, a new thread takes its place. */
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
    this.finish(slot, (pending) => pending.reject(reason));
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
