type SyncRunningKey =
  | 'sources.syncRunning'
  | 'sources.syncRunningNoTotal'
  | 'sources.syncRunningRows'
  | 'sources.syncRunningRowsNoTotal';

/** The translation key and values of a running sync's count: a database source counts rows, a folder files. */
export function syncRunningText(progress: { done: number; total?: number; unit?: string }): {
  key: SyncRunningKey;
  values: Record<string, number>;
} {
  const rows = progress.unit === 'rows';
  if (progress.total === undefined)
    return {
      key: rows ? 'sources.syncRunningRowsNoTotal' : 'sources.syncRunningNoTotal',
      values: { done: progress.done },
    };
  return {
    key: rows ? 'sources.syncRunningRows' : 'sources.syncRunning',
    values: { done: progress.done, total: progress.total },
  };
}
