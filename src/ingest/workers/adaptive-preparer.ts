import type { StoredChunk } from '../documents/document-types.js';
import type { DocumentPreparer, PreparedFile } from '../pipeline/prepare-document.js';
import type { PreparationPool } from './preparation-pool.js';

/** Tasks prepared on the calling thread before the pool's threads are started. */
export const DEFAULT_WARM_AFTER = 16;

/**
 * Small jobs (a few files, an upload) are prepared on the calling thread: starting the threads
 * costs each one its code (≈1.7 s until both are ready on this 2-core machine; the dictionary is
 * shared, not loaded again). From the `warmAfter`-th task on, the threads start in the
 * background, and every task after the first is ready goes to them.
 */
export class AdaptivePreparer implements DocumentPreparer {
  private inlineTasks = 0;

  constructor(
    private readonly pool: PreparationPool,
    private readonly inline: () => Promise<DocumentPreparer>,
    private readonly warmAfter = DEFAULT_WARM_AFTER,
  ) {}

  async prepareFile(bytes: Buffer, fileName: string): Promise<PreparedFile> {
    return (await this.pick()).prepareFile(bytes, fileName);
  }

  async prepareText(text: string, heading?: string): Promise<StoredChunk[]> {
    return (await this.pick()).prepareText(text, heading);
  }

  private async pick(): Promise<DocumentPreparer> {
    if (this.pool.readyThreads > 0) return this.pool;
    if (++this.inlineTasks >= this.warmAfter) this.pool.start();
    return this.inline();
  }
}
