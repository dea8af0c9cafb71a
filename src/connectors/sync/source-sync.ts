import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentRepository } from '../../ingest/documents/document-repository.js';
import type { DocumentIdentity } from '../../ingest/documents/document-types.js';
import { sameAcl } from '../../ingest/documents/same-acl.js';
import type { IngestService } from '../../ingest/pipeline/ingest-service.js';
import type { IngestProblem, IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { ByteBudget } from '../../platform/concurrency/byte-budget.js';
import { NotFoundError } from '../../platform/errors/errors.js';
import { DatabaseSync } from '../database/database-sync.js';
import { EVERYONE, principalsFor, resolvePrincipals } from '../acl.js';
import { discoverFolder, type SkippedEntry } from '../folder/discover-folder.js';
import { folderSettingsSchema, type FolderSettings } from '../folder/folder-settings.js';
import type { Source, SourceRepository } from '../source-repository.js';
import type { SyncStateEntry, SyncStateRepository } from './sync-state-repository.js';
import { indexRun, type FirstLoad } from './first-load.js';
import { readByCurrentReader } from '../../ingest/parsers/reader-versions.js';

export interface SourceSyncDeps {
  sources: SourceRepository;
  /** Finds or creates the source a path of `kura ingest` goes into. */
  catalog: {
    folderSourceFor(tenantId: string, folder: string): Promise<Source>;
    uploadSource(tenantId: string): Promise<Source>;
  };
  documents: DocumentRepository;
  state: SyncStateRepository;
  /** The pipeline, loaded on first need: a sync that finds nothing changed never loads the analyser. */
  ingest: () => Promise<IngestService>;
  /** A user's id from their e-mail address, for ACL principals written as `user:<e-mail>`. */
  findUserId: (tenantId: string, email: string) => Promise<string | undefined>;
  /** Files larger than this are recorded as too large without being read. */
  maxFileBytes: number;
  /** Files processed at once within one sync (I/O and database round trips overlap). */
  concurrency?: number;
  /** Bytes of the files being read, prepared and written at once (default IN_FLIGHT_BYTES). */
  inFlightBytes?: number;
  /** The search index's first load (sync/first-load.ts): large runs into an empty company build it once. */
  firstLoad?: FirstLoad;
}

/** One file (or skipped entry) of a run, with what is stored about it. */
interface WorkItem {
  tenantId: string;
  /** What the summary calls it. */
  label: string;
  identity: DocumentIdentity;
  existing: SyncStateEntry | undefined;
  /** Absent for entries that are skipped without being read. */
  read?: { path: string; viaSymlink: boolean };
  skip?: SkippedEntry;
}

/** What a folder run leaves to do after its files: deletions, the source's status. */
interface FolderPlan {
  source: Source;
  items: WorkItem[];
  stale: SyncStateEntry[];
}

/**
 * Files in flight are held in memory from their read until their write: with dozens in flight, a
 * folder of large files would otherwise hold dozens of times the upload limit. A file larger than
 * this still goes, alone.
 */
const IN_FLIGHT_BYTES = 256 * 1024 * 1024;

/** Error codes worth another read even when the file looks unchanged. */
const TRANSIENT_CODES = new Set(['read_error', 'parse_timeout']);

/**
 * Brings sources into the index: discover → compare with the stored state (size + mtime, then the
 * content hash in IngestService) → ingest what changed → delete what disappeared. Each file's
 * document and chunks commit in one transaction, so a run killed midway and started again re-does
 * only what is missing. A file that fails is recorded on its document; the run goes on.
 */
export class SourceSync {
  private readonly concurrency: number;
  private readonly inFlightBytes: ByteBudget;
  private readonly database: DatabaseSync;

  constructor(private readonly deps: SourceSyncDeps) {
    this.concurrency = deps.concurrency ?? 4;
    this.inFlightBytes = new ByteBudget(deps.inFlightBytes ?? IN_FLIGHT_BYTES);
    this.database = new DatabaseSync(deps);
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
    for (const file of files) fileItems.push(await this.fileItem(tenantId, upload!, file));
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
        plans.push(await this.planFolder(tenantId, source, tracker, signal));
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

  private async planFolder(
    tenantId: string,
    source: Source,
    tracker: IngestTracker,
    signal?: AbortSignal,
  ): Promise<FolderPlan> {
    const settings: FolderSettings = folderSettingsSchema.parse(source.settings);
    const discovery = await discoverFolder(settings, signal);
    const stored = await this.deps.state.load(tenantId, source.id);
    const cache = new Map<string, string>();
    const aclFor = (relativePath: string) =>
      resolvePrincipals(
        principalsFor(relativePath, settings.acl),
        (email) => this.deps.findUserId(tenantId, email),
        cache,
      );
    const label = (relativePath: string) => path.join(settings.path, relativePath);
    const items: WorkItem[] = [];
    for (const file of discovery.files) {
      items.push({
        tenantId,
        label: label(file.relativePath),
        identity: {
          sourceId: source.id,
          externalId: file.relativePath,
          title: path.posix.basename(file.relativePath),
          uri: pathToFileURL(label(file.relativePath)).href,
          sizeBytes: file.size,
          modifiedAt: new Date(file.mtimeMs),
          acl: await aclFor(file.relativePath),
        },
        existing: stored.get(file.relativePath),
        read: { path: file.readPath, viaSymlink: file.viaSymlink },
      });
    }
    for (const skipped of discovery.skipped) {
      items.push({
        tenantId,
        label: label(skipped.relativePath),
        identity: {
          sourceId: source.id,
          externalId: skipped.relativePath,
          title: path.posix.basename(skipped.relativePath),
          uri: pathToFileURL(label(skipped.relativePath)).href,
          sizeBytes: 0,
          modifiedAt: null,
          acl: await aclFor(skipped.relativePath),
        },
        existing: stored.get(skipped.relativePath),
        skip: skipped,
      });
    }
    for (const unreadable of discovery.unreadable) tracker.warn(`${source.name}: ${unreadable.message}`);
    const seen = new Set(items.map((item) => item.identity.externalId));
    const kept = (externalId: string) =>
      discovery.unreadable.some((u) => u.relativePath === '' || externalId.startsWith(`${u.relativePath}/`));
    const stale = [...stored.values()].filter(
      (entry) => !seen.has(entry.externalId) && !kept(entry.externalId),
    );
    return { source, items, stale };
  }

  private async fileItem(tenantId: string, upload: Source, absolute: string): Promise<WorkItem> {
    const stats = await stat(absolute);
    const externalId = `file:${absolute}`;
    return {
      tenantId,
      label: absolute,
      identity: {
        sourceId: upload.id,
        externalId,
        title: path.basename(absolute),
        uri: pathToFileURL(absolute).href,
        sizeBytes: stats.size,
        modifiedAt: new Date(Math.floor(stats.mtimeMs)),
        acl: EVERYONE,
      },
      existing: await this.deps.state.findOne(tenantId, upload.id, externalId),
      read: { path: absolute, viaSymlink: true },
    };
  }

  private async processAll(items: WorkItem[], tracker: IngestTracker, signal?: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        signal?.throwIfAborted();
        const item = items[next++]!;
        await this.process(item, tracker);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }

  private async process(item: WorkItem, tracker: IngestTracker): Promise<void> {
    const { identity, existing, tenantId } = item;
    const problem = (
      status: IngestProblem['status'],
      code: string,
      message: string,
      unchanged?: boolean,
    ): IngestProblem => ({
      path: item.label,
      status,
      code,
      message,
      ...(unchanged ? { unchanged } : {}),
    });

    if (item.skip) {
      const { code, message } = item.skip;
      if (!(
        existing?.status === 'skipped' &&
        existing.errorCode === code &&
        sameAcl(existing.acl, identity.acl)
      )) {
        await this.deps.documents.saveFailure(tenantId, {
          id: existing?.id ?? randomUUID(),
          identity,
          mimeType: null,
          contentHash: null,
          code,
          message,
          skipped: true,
        });
      }
      return tracker.record('skipped', 0, problem('skipped', code, message));
    }

    if (
      existing &&
      existing.sizeBytes === identity.sizeBytes &&
      existing.modifiedAtMs === identity.modifiedAt?.getTime() &&
      sameAcl(existing.acl, identity.acl)
    ) {
      // A document an older reader read is read again (parsers/reader-versions.ts).
      if (existing.status === 'indexed' && existing.errorCode === null && readByCurrentReader(existing))
        return tracker.record('unchanged', identity.sizeBytes);
      if (existing.status !== 'indexed' && existing.errorCode && !TRANSIENT_CODES.has(existing.errorCode)) {
        return tracker.record(
          existing.status,
          identity.sizeBytes,
          problem(existing.status, existing.errorCode, existing.errorMessage ?? existing.errorCode, true),
        );
      }
    }

    const fail = async (code: string, message: string) => {
      await this.deps.documents.saveFailure(tenantId, {
        id: existing?.id ?? randomUUID(),
        identity,
        mimeType: null,
        contentHash: null,
        code,
        message,
        skipped: false,
      });
      return tracker.record('failed', identity.sizeBytes, problem('failed', code, message));
    };
    if (identity.sizeBytes > this.deps.maxFileBytes) {
      return fail(
        'too_large',
        `The file is ${identity.sizeBytes} bytes, over the limit of ${this.deps.maxFileBytes} bytes; it was not read.`,
      );
    }
    // Files in flight are held in memory until written: their bytes together stay within a budget.
    const release = await this.inFlightBytes.acquire(identity.sizeBytes);
    try {
      return await this.readAndIngest(item, tracker, problem, fail);
    } finally {
      release();
    }
  }

  private async readAndIngest(
    item: WorkItem,
    tracker: IngestTracker,
    problem: (status: IngestProblem['status'], code: string, message: string) => IngestProblem,
    fail: (code: string, message: string) => Promise<void>,
  ): Promise<void> {
    const { identity, existing, tenantId } = item;
    let bytes: Buffer;
    try {
      bytes = await readBounded(item.read!.path, item.read!.viaSymlink, this.deps.maxFileBytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // Gone between discovery and reading: it is deleted, not failed.
        if (existing && (await this.deps.documents.delete(tenantId, existing.id))) tracker.deleted();
        return tracker.gone();
      }
      if (error instanceof TooLargeError) return fail('too_large', error.message);
      if (code === 'ELOOP')
        return fail(
          'outside_root',
          'The file was replaced by a symbolic link while it was being read; it was not followed.',
        );
      return fail('read_error', `The file could not be read (${code ?? (error as Error).message}).`);
    }
    const outcome = await (
      await this.deps.ingest()
    ).ingest(tenantId, identity, bytes, {
      absent: existing === undefined,
    });
    if (outcome.status === 'failed' || outcome.status === 'skipped') {
      return tracker.record(
        outcome.status,
        identity.sizeBytes,
        problem(outcome.status, outcome.code, outcome.message),
      );
    }
    if (
      outcome.status === 'unchanged' &&
      (outcome.document.sizeBytes !== identity.sizeBytes ||
        outcome.document.modifiedAt !== identity.modifiedAt?.toISOString())
    ) {
      await this.deps.state.touch(tenantId, outcome.document.id, identity.sizeBytes, identity.modifiedAt);
    }
    return tracker.record(outcome.status, identity.sizeBytes);
  }
}

class TooLargeError extends Error {}

/** Reads a regular file without following a symlink swapped in after discovery, and never past the limit. */
async function readBounded(file: string, viaSymlink: boolean, maxBytes: number): Promise<Buffer> {
  const flags = constants.O_RDONLY | (viaSymlink ? 0 : constants.O_NOFOLLOW);
  const handle = await open(file, flags);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stats.size > maxBytes)
      throw new TooLargeError(
        `The file is ${stats.size} bytes, over the limit of ${maxBytes} bytes; it was not read.`,
      );
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
