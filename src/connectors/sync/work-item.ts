import type { DocumentIdentity } from '../../ingest/documents/document-types.js';
import type { SkippedEntry } from '../folder/discover-folder.js';
import type { SyncStateEntry } from './sync-state-repository.js';

/** One file (or skipped entry) of a run, with what is stored about it. */
export interface WorkItem {
  tenantId: string;
  /** What the summary calls it. */
  label: string;
  identity: DocumentIdentity;
  existing: SyncStateEntry | undefined;
  /** Absent for entries that are skipped without being read. */
  read?: { path: string; viaSymlink: boolean };
  skip?: SkippedEntry;
}
