import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { EVERYONE, principalsFor, resolvePrincipals } from '../acl.js';
import { discoverFolder } from '../folder/discover-folder.js';
import { folderSettingsSchema, type FolderSettings } from '../folder/folder-settings.js';
import type { Source } from '../source-repository.js';
import type { SyncStateEntry, SyncStateRepository } from './sync-state-repository.js';
import type { WorkItem } from './work-item.js';

export interface PlanDeps {
  state: SyncStateRepository;
  /** A user's id from their e-mail address, for ACL principals written as `user:<e-mail>`. */
  findUserId: (tenantId: string, email: string) => Promise<string | undefined>;
}

/** What a folder run leaves to do after its files: deletions, the source's status. */
export interface FolderPlan {
  source: Source;
  items: WorkItem[];
  stale: SyncStateEntry[];
}

/**
 * A folder source's run, planned: its files and skipped entries as work items (with what is stored
 * about each and its ACL from the source's mapping), and the stored documents whose files are gone.
 * A subfolder that cannot be read keeps its documents: unreadable is not deleted.
 */
export async function planFolder(
  deps: PlanDeps,
  tenantId: string,
  source: Source,
  tracker: IngestTracker,
  signal?: AbortSignal,
): Promise<FolderPlan> {
  const settings: FolderSettings = folderSettingsSchema.parse(source.settings);
  const discovery = await discoverFolder(settings, signal);
  const stored = await deps.state.load(tenantId, source.id);
  const cache = new Map<string, string>();
  const aclFor = (relativePath: string) =>
    resolvePrincipals(
      principalsFor(relativePath, settings.acl),
      (email) => deps.findUserId(tenantId, email),
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

/** A single file of `kura ingest`, bound for the company's upload source. */
export async function uploadedFileItem(
  state: SyncStateRepository,
  tenantId: string,
  upload: Source,
  absolute: string,
): Promise<WorkItem> {
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
    existing: await state.findOne(tenantId, upload.id, externalId),
    read: { path: absolute, viaSymlink: true },
  };
}
