import type { IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';

/** LexicalSearch.firstLoad as the syncs see it: `building` is called before the index is built. */
export type FirstLoad = <T>(tenantId: string, load: () => Promise<T>, building: () => void) => Promise<T>;

/**
 * Runs smaller than this are written into the index row by row: a first load of a few files gains
 * little from a build at the end, and their documents become searchable one by one.
 */
export const FIRST_LOAD_MIN_FILES = 50;

/**
 * Runs a sync's indexing: a run of at least FIRST_LOAD_MIN_FILES files or rows goes through the
 * search index's first load (a company with nothing indexed yet gets its index built once at the
 * end, the tracker's `building` phase); smaller runs, or without the hook, just run.
 */
export async function indexRun(
  firstLoad: FirstLoad | undefined,
  tenantId: string,
  items: number,
  tracker: IngestTracker,
  run: () => Promise<void>,
): Promise<void> {
  if (!firstLoad || items < FIRST_LOAD_MIN_FILES) return run();
  await firstLoad(tenantId, run, () => {
    tracker.phase('building');
    void tracker.flush();
  });
}
