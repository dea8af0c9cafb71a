/**
 * Writes that arrive while one is running wait and then go together, in one transaction: on
 * embedded PGlite every transaction, statement and trigger call costs main-thread CPU, so N
 * documents written as one batch cost far less than N single writes. Each caller still gets its
 * own result or error: a batch that fails is retried one write at a time, so one bad document
 * never takes the others down with it. Nothing is acknowledged before its transaction commits.
 */
export interface GroupCommitOptions<T> {
  /** Writes a batch in one transaction; results in the batch's order. */
  writeBatch(key: string, items: T[]): Promise<unknown[]>;
  /** Largest batch (by `weight`, e.g. chunks) and largest number of items. */
  maxWeight: number;
  maxItems: number;
  weight(item: T): number;
  /** Two items that must not share a batch (e.g. the same document twice). */
  conflicts?(a: T, b: T): boolean;
  /**
   * How long a write that finds none running waits for others to join it (ms, default 0). Files
   * prepared in parallel finish a few milliseconds apart: without the wait each went alone.
   */
  lingerMs?: number;
}

interface Waiting<T> {
  key: string;
  item: T;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class GroupCommit<T> {
  private readonly queue: Waiting<T>[] = [];
  private running = false;

  constructor(private readonly options: GroupCommitOptions<T>) {}

  /** Resolves once `item` is committed (in whatever batch it joined). */
  write<R>(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ key, item, resolve: resolve as (value: unknown) => void, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const linger = this.options.lingerMs ?? 0;
      if (linger > 0) await new Promise((resolve) => setTimeout(resolve, linger));
      while (this.queue.length > 0) await this.writeNext(this.takeBatch());
    } finally {
      this.running = false;
    }
  }

  /** The oldest waiting write and those after it with the same key, up to the limits. */
  private takeBatch(): Waiting<T>[] {
    const { maxItems, maxWeight, weight, conflicts } = this.options;
    const first = this.queue.shift()!;
    const batch = [first];
    let total = weight(first.item);
    for (let i = 0; i < this.queue.length && batch.length < maxItems;) {
      const next = this.queue[i]!;
      const nextWeight = weight(next.item);
      if (next.key !== first.key || total + nextWeight > maxWeight) break;
      if (conflicts && batch.some((w) => conflicts(w.item, next.item))) break;
      batch.push(next);
      total += nextWeight;
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async writeNext(batch: Waiting<T>[]): Promise<void> {
    try {
      const results = await this.options.writeBatch(
        batch[0]!.key,
        batch.map((w) => w.item),
      );
      batch.forEach((w, i) => w.resolve(results[i]));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
    }
    for (const waiting of batch) {
      try {
        const [result] = await this.options.writeBatch(waiting.key, [waiting.item]);
        waiting.resolve(result);
      } catch (error) {
        waiting.reject(error);
      }
    }
  }
}
