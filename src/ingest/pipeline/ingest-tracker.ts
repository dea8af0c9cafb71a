import type { JobProgress } from '../../platform/jobs/job-definition.js';

/** One file that did not go in, named with its reason (shown by the CLI, stored in the job result). */
export interface IngestProblem {
  path: string;
  status: 'failed' | 'skipped';
  code: string;
  message: string;
  /** The file has not changed since the run that recorded this reason (it was not read again). */
  unchanged?: boolean;
}

/** What a run counts: a folder's files, a database's rows, or both at once ('items'). */
export type IngestUnit = 'files' | 'rows' | 'items';

/** Two runs' units together: the same, or 'items' when they differ. */
export const mergedUnit = (a: IngestUnit | undefined, b: IngestUnit): IngestUnit =>
  a === undefined || a === b ? b : 'items';

export interface IngestSummary {
  /** How many files or rows (see `unit`) the run had to look at. */
  files: number;
  unit: IngestUnit;
  /** Bytes of the files; for rows, of the text rendered from them (unknown before they are read). */
  bytes: number;
  indexed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  deleted: number;
  problems: IngestProblem[];
  /** Problems beyond the first MAX_PROBLEMS, counted but not listed. */
  problemsOmitted: number;
  /** Source-level notes: an unreadable sub-folder, a path that does not exist. */
  warnings: string[];
  durationMs: number;
}

/** `building`: a first load's search index is being built over everything it wrote (LexicalSearch.firstLoad). */
export type IngestPhase = 'discovering' | 'indexing' | 'building' | 'cleaning' | 'done';

/** Progress of an ingest or sync: files and bytes, for a progress bar with rate and ETA. */
export interface IngestProgress extends JobProgress {
  phase: IngestPhase;
  done: number;
  total: number;
  unit: IngestUnit;
  bytesDone: number;
  bytesTotal: number;
  indexed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  deleted: number;
  elapsedMs: number;
}

export type IngestResult = 'indexed' | 'unchanged' | 'skipped' | 'failed';

const MAX_PROBLEMS = 1000;

/**
 * Counts what an ingest did and reports progress at most every `intervalMs` (a job writes it to the
 * database, so not after every file). Shared by every source of one run.
 */
export class IngestTracker {
  private readonly started = Date.now();
  private phaseName: IngestPhase = 'discovering';
  private total = 0;
  private bytesTotal = 0;
  private done = 0;
  private bytesDone = 0;
  private unit: IngestUnit | undefined;
  private readonly counts = { indexed: 0, unchanged: 0, skipped: 0, failed: 0, deleted: 0 };
  private readonly problems: IngestProblem[] = [];
  private problemsOmitted = 0;
  private readonly warnings: string[] = [];
  private lastReport = 0;
  private reporting: Promise<void> | undefined;

  constructor(
    private readonly onProgress?: (progress: IngestProgress) => void | Promise<void>,
    private readonly intervalMs = 500,
  ) {}

  phase(phase: IngestPhase): void {
    this.phaseName = phase;
  }

  /** More work found: files (or rows) and bytes to go. */
  plan(count: number, bytes: number, unit: 'files' | 'rows' = 'files'): void {
    this.total += count;
    this.bytesTotal += bytes;
    this.unit = mergedUnit(this.unit, unit);
  }

  async record(result: IngestResult, bytes: number, problem?: IngestProblem): Promise<void> {
    this.done++;
    this.bytesDone += bytes;
    this.counts[result]++;
    if (problem) {
      if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
      else this.problemsOmitted++;
    }
    await this.maybeReport();
  }

  /** A planned file that disappeared before it was read (and was deleted, if it had been indexed). */
  async gone(): Promise<void> {
    this.done++;
    await this.maybeReport();
  }

  deleted(count = 1): void {
    this.counts.deleted += count;
  }

  warn(message: string): void {
    if (this.warnings.length < 100) this.warnings.push(message);
  }

  progress(): IngestProgress {
    return {
      phase: this.phaseName,
      done: this.done,
      total: this.total,
      unit: this.unit ?? 'files',
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      ...this.counts,
      elapsedMs: Date.now() - this.started,
    };
  }

  /** Reports now, whatever the interval (start, phase changes, the end). */
  async flush(): Promise<void> {
    await this.reporting;
    this.lastReport = Date.now();
    await this.onProgress?.(this.progress());
  }

  summary(): IngestSummary {
    return {
      files: this.total,
      unit: this.unit ?? 'files',
      bytes: Math.max(this.bytesTotal, this.bytesDone),
      ...this.counts,
      problems: [...this.problems].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      problemsOmitted: this.problemsOmitted,
      warnings: [...this.warnings],
      durationMs: Date.now() - this.started,
    };
  }

  private async maybeReport(): Promise<void> {
    if (!this.onProgress || this.reporting || Date.now() - this.lastReport < this.intervalMs) return;
    this.lastReport = Date.now();
    this.reporting = Promise.resolve(this.onProgress(this.progress())).finally(
      () => (this.reporting = undefined),
    );
    await this.reporting;
  }
}
