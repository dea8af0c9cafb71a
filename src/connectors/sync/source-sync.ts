import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { NotFoundError } from '../../platform/errors/errors.js';
import { DatabaseSync } from '../database/database-sync.js';
import type { Source, SourceRepository } from '../source-repository.js';
import { indexRun, type FirstLoad } from './first-load.js';
import { ItemProcessor, type ItemProcessorDeps } from './item-processor.js';
import { planFolder, uploadedFileItem, type FolderPlan, type PlanDeps } from './plan-folder.js';
import type { WorkItem } from './work-item.js';

export interface SourceSyncDeps extends ItemProcessorDeps, PlanDeps {
  sources: SourceRepository;
  /** Finds or creates the source a path of `kura ingest` goes into. */
  catalog: {
    folderSourceFor(tenantId: string, folder: string): Promise<Source>;
    uploadSource(tenantId: string): Promise<Source>;
  };
  /** Files processed at once within one sync (I/O and database round trips overlap). */
  concurrency?: number;
  /** The search index's first load (sync/first-load.ts): large runs into an empty company build it once. */
  firstLoad?: FirstLoad;
}

/**
 * Brings sources into the index: discover → compare with the stored state (size + mtime, then the
 * content hash in IngestService) → ingest what changed → delete what disappeared. Each file's
 * document and chunks commit in one transaction, so a run killed midway and started again re-does
 * only what is missing. A file that fails is recorded on its document; the run goes on.
 */
export class SourceSync {
  private readonly concurrency: number;
  private readonly database: DatabaseSync;
  private readonly items: ItemProcessor;

  constructor(private readonly deps: SourceSyncDeps) {
    this.concurrency = deps.concurrency ?? 4;
    this.database = new DatabaseSync(deps);
    this.items = new ItemProcessor(deps);
  }

  /** Syncs one source of the company (the `source.sync` job). */
  async syncSource(
    tenantId: string,
    sourceId: string,
    tracker: IngestTracker,
    signal?: AbortSignal,
  ): Promise<void> {
    const source = await this.deps.sources.findById(tenantId, sourceId);
    if (!source) throw new NotFoundError('Source');
    if (source.kind === 'upload') {
      tracker.warn(
        `${source.name}: an upload source has nothing to sync; its documents come in through uploads.`,
      );
      await this.deps.sources.setStatus(tenantId, source.id, { status: 'idle', synced: true });
      return;
    }
    if (source.kind !== 'folder') return this.syncDatabase(tenantId, source, tracker, signal);
    await this.runFolders(tenantId, [source], [], tracker, signal);
  }

  private async syncDatabase(
    tenantId: string,
    source: Source,
    tracker: IngestTracker,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.deps.sources.setStatus(tenantId, source.id, {
      status: 'syncing',
      lastError: source.lastError,
    });
    tracker.phase('discovering');
    await tracker.flush();
    try {
      await this.database.sync(tenantId, source, tracker, signal);
    } catch (error) {
      await this.deps.sources.setStatus(tenantId, source.id, {
        status: 'failed',
        lastError: (error as Error).message,
      });
      throw error;
    }
    tracker.phase('done');
    await tracker.flush();
  }

  /**
   * `kura ingest <path...>`: folders through a folder source each (an existing one whose root is
   * the folder or contains it, else a new one), single files into the company's upload source.
   */
  async ingestPaths(
    tenantId: string,
    paths: readonly string[],
    tracker: IngestTracker,
    signal?: AbortSignal,
  ): Promise<void> {
    const folders = new Map<string, Source>();
    const files: string[] = [];
    for (const given of paths) {
      const absolute = path.resolve(given);
      let stats;
      try {
        stats = await stat(absolute);
      } catch (error) {
        tracker.warn(`${absolute}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
        continue;
      }
      if (stats.isDirectory()) {
        const source = await this.deps.catalog.folderSourceFor(tenantId, absolute);
        folders.set(source.id, source);
      } else if (stats.isFile()) files.push(absolute);
      else tracker.warn(`${absolute}: not a file or folder.`);
    }
    const upload = files.length > 0 ? await this.deps.catalog.uploadSource(tenantId) : undefined;
    const fileItems: WorkItem[] = [];
    for (const file of files)
      fileItems.push(await uploadedFileItem(this.deps.state, tenantId, upload!, file));
    await this.runFolders(tenantId, [...folders.values()], fileItems, tracker, signal);
  }

  private async runFolders(
    tenantId: string,
    sources: Source[],
    extra: WorkItem[],
    tracker: IngestTracker,
    signal?: AbortSignal,
  ): Promise<void> {
    tracker.phase('discovering');
    await tracker.flush();
    const plans: FolderPlan[] = [];
    for (const source of sources) {
      await this.deps.sources.setStatus(tenantId, source.id, {
        status: 'syncing',
        lastError: source.lastError,
      });
      try {
        plans.push(await planFolder(this.deps, tenantId, source, tracker, signal));
      } catch (error) {
        await this.deps.sources.setStatus(tenantId, source.id, {
          status: 'failed',
          lastError: (error as Error).message,
        });
        throw error;
      }
    }
    const items = [...plans.flatMap((plan) => plan.items), ...extra];
    tracker.plan(
      items.length,
      items.reduce((sum, item) => sum + item.identity.sizeBytes, 0),
    );
    tracker.phase('indexing');
    await tracker.flush();
    try {
      await indexRun(this.deps.firstLoad, tenantId, items.length, tracker, () =>
        this.processAll(items, tracker, signal),
      );
      tracker.phase('cleaning');
      for (const plan of plans) {
        for (const stale of plan.stale) {
          signal?.throwIfAborted();
          if (await this.deps.documents.delete(tenantId, stale.id)) tracker.deleted();
        }
        await this.deps.sources.setStatus(tenantId, plan.source.id, {
          status: 'idle',
          lastError: null,
          synced: true,
        });
      }
    } catch (error) {
      for (const plan of plans) {
        await this.deps.sources.setStatus(tenantId, plan.source.id, {
          status: 'failed',
          lastError: (error as Error).message,
        });
      }
      throw error;
    }
    tracker.phase('done');
    await tracker.flush();
  }

  private async processAll(items: WorkItem[], tracker: IngestTracker, signal?: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        signal?.throwIfAborted();
        const item = items[next++]!;
        await this.items.process(item, tracker);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }
}
