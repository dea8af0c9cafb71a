import path from 'node:path';
import {
  mergedUnit,
  type IngestProgress,
  type IngestSummary,
  type IngestUnit,
} from '../../ingest/pipeline/ingest-tracker.js';
import { AppError } from '../../platform/errors/errors.js';
import { DataDirLock } from '../../platform/db/data-dir-lock.js';
import type { Job } from '../../platform/jobs/job-repository.js';
import type { CliContext } from '../cli-context.js';
import type { CliIo } from '../main.js';
import type { OperationName } from '../operations.js';
import { callOperatorSocket } from '../operator-socket.js';
import { runInThisProcess } from '../execute-operation.js';

const MB = 1024 * 1024;

export const formatBytes = (bytes: number) =>
  bytes >= 1024 * MB
    ? `${(bytes / 1024 / MB).toFixed(1)} GB`
    : bytes >= MB
      ? `${(bytes / MB).toFixed(1)} MB`
      : `${(bytes / 1024).toFixed(1)} kB`;

export const formatDuration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};

/** "1 file", "2 files", "1 row". */
const counted = (count: number, unit: IngestUnit) => `${count} ${count === 1 ? unit.slice(0, -1) : unit}`;

/**
 * Progress of an ingest on standard error: on a terminal one line redrawn in place (files, bytes,
 * rate, ETA); otherwise a plain line every few seconds, so logs of scripted runs stay readable.
 */
export class ProgressRenderer {
  private lastDraw = 0;
  private drawn = false;
  private indexingSince: { at: number; bytes: number; done: number } | undefined;
  private indexingStartedAt: number | undefined;
  private lastPhase: string | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly plainEveryMs = 5_000,
    private readonly clock: () => number = Date.now,
  ) {}

  update(progress: IngestProgress): void {
    const now = this.clock();
    // The rate counts from the first file done: the seconds before it (threads starting, the
    // dictionary loading) would make the first ETAs many times too long.
    if (progress.phase === 'indexing' && !this.indexingSince && progress.done > 0)
      this.indexingSince = { at: now, bytes: progress.bytesDone, done: progress.done };
    const phaseChanged = progress.phase !== this.lastPhase;
    this.lastPhase = progress.phase;
    if (progress.phase === 'indexing' && phaseChanged) this.indexingStartedAt = now;
    if (this.io.terminal) {
      if (!phaseChanged && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const line = this.line(progress, now);
      const width = Math.max(20, this.io.terminal.columns() - 1);
      this.io.terminal.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      this.drawn = true;
      return;
    }
    if (progress.phase === 'indexing' && phaseChanged) {
      const bytes = progress.bytesTotal > 0 ? ` (${formatBytes(progress.bytesTotal)})` : '';
      this.io.err(`kura: ${counted(progress.total, progress.unit)}${bytes} to check`);
      this.lastDraw = now;
    } else if (progress.phase === 'indexing' && now - this.lastDraw >= this.plainEveryMs) {
      this.lastDraw = now;
      this.io.err(`kura: ${this.line(progress, now)}`);
    }
  }

  /** A line of its own (a retry, a warning), without breaking the bar. */
  note(line: string): void {
    this.clear();
    this.io.err(line);
  }

  clear(): void {
    if (this.drawn && this.io.terminal) this.io.terminal.write('\r\x1b[2K');
    this.drawn = false;
  }

  private line(progress: IngestProgress, now: number): string {
    if (progress.phase === 'discovering') return 'discovering files…';
    if (progress.phase === 'building') return 'building the search index over the new documents…';
    if (progress.phase === 'cleaning') return `removing deleted files… (${progress.deleted} so far)`;
    const ratio = progress.total > 0 ? progress.done / progress.total : 1;
    // Rows have no size before they are read: their share is counted in rows, not bytes.
    const byBytes = progress.bytesTotal > 0;
    const shareDone = byBytes ? progress.bytesDone / progress.bytesTotal : ratio;
    const width = 20;
    const filled = Math.round(Math.min(1, ratio) * width);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
    const count = `${progress.done}/${progress.total} ${progress.unit}`;
    // Until a file is done there is no rate: the first files are being read, parsed and
    // analysed (on a first run, after the preparation threads load the dictionary: a second or two).
    if (progress.done === 0)
      return `${bar} 0% ${count}${byBytes ? ` · ${formatBytes(progress.bytesTotal)}` : ''} · reading and analysing the first ${progress.unit}…`;
    const failures = progress.failed > 0 ? ` · ${progress.failed} failed` : '';
    const bytes = byBytes
      ? `${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)}`
      : formatBytes(progress.bytesDone);
    return `${bar} ${Math.round(shareDone * 100)}% ${count} · ${bytes} · ${this.pace(progress, now)}${failures}`;
  }

  /**
   * The rate and ETA, by bytes (by count for rows, whose bytes are unknown ahead); all done, the
   * rate of the whole indexing (one large file has no later window).
   */
  private pace(progress: IngestProgress, now: number): string {
    const byBytes = progress.bytesTotal > 0;
    const [done, total] = byBytes
      ? [progress.bytesDone, progress.bytesTotal]
      : [progress.done, progress.total];
    const since = this.indexingSince;
    const seconds = since ? (now - since.at) / 1000 : 0;
    const rate = since && seconds > 0.5 ? (done - (byBytes ? since.bytes : since.done)) / seconds : 0;
    const perSecond = (value: number) =>
      byBytes ? `${formatBytes(value)}/s` : `${Math.round(value).toLocaleString('en-US')} ${progress.unit}/s`;
    if (total - done <= 0) {
      const overall = this.indexingStartedAt === undefined ? 0 : (now - this.indexingStartedAt) / 1000;
      return overall > 0.5 ? perSecond(done / overall) : 'all read';
    }
    if (rate <= 0) return 'measuring the rate…';
    return `${perSecond(rate)} · ETA ${formatDuration(((total - done) / rate) * 1000)}`;
  }
}

interface JobView {
  id: string;
  state: Job['state'];
  attempts: number;
  lastError: string | null;
  progress: IngestProgress | null;
  result: IngestSummary | null;
}

export interface TrackedRun {
  tenant: string;
  /** Runs the work in this process, reporting progress (no server holds the data). */
  local: OperationName;
  /** Enqueues it in the server holding the data directory; returns a job or `{ jobs }`. */
  remote: OperationName;
  args: Record<string, unknown>;
  /** Only enqueue through a server, do not wait. */
  noWait?: boolean;
  /** Run here: start the preparation threads while the database opens (a folder, a source, many files). */
  startPreparation?: boolean;
}

/**
 * Runs an ingest or sync where the data lives. Without a server, in this process with a live
 * progress bar. With `kura serve` holding the embedded data directory, as jobs in the server (which
 * reads the paths itself), following their progress through the operator socket.
 */
export async function runTracked(ctx: CliContext, run: TrackedRun): Promise<IngestSummary | undefined> {
  const config = ctx.config();
  const logger = ctx.logger();
  const renderer = new ProgressRenderer(ctx.io);
  const holder = config.databaseUrl ? undefined : DataDirLock.holder(config.dataDir);
  if (holder?.socket) {
    const socket = holder.socket;
    const started = (await callOperatorSocket(socket, run.remote, run.args)) as JobView | { jobs: JobView[] };
    const jobs = 'jobs' in started ? started.jobs : [started];
    if (run.noWait) {
      for (const job of jobs) ctx.io.out(`queued job ${job.id}`);
      return undefined;
    }
    try {
      return await follow(
        ctx,
        renderer,
        jobs,
        (id) => callOperatorSocket(socket, 'job.get', { tenant: run.tenant, id }) as Promise<JobView>,
      );
    } finally {
      renderer.clear();
    }
  }
  try {
    return (await runInThisProcess(
      config,
      logger,
      run.local,
      run.args,
      { progress: (p) => renderer.update(p) },
      { startPreparation: run.startPreparation },
    )) as IngestSummary;
  } finally {
    renderer.clear();
  }
}

async function follow(
  ctx: CliContext,
  renderer: ProgressRenderer,
  started: JobView[],
  get: (id: string) => Promise<JobView>,
): Promise<IngestSummary> {
  const seenErrors = new Set<string>();
  let jobs = started;
  for (;;) {
    jobs = await Promise.all(jobs.map((job) => get(job.id)));
    for (const job of jobs) {
      if (job.state === 'queued' && job.lastError && !seenErrors.has(`${job.id}:${job.attempts}`)) {
        seenErrors.add(`${job.id}:${job.attempts}`);
        renderer.note(`kura: attempt ${job.attempts} failed (${job.lastError}); the server retries`);
      }
    }
    const progresses = jobs
      .map((job) => job.progress)
      .filter((p): p is IngestProgress => p !== null && p !== undefined);
    if (progresses.length > 0) renderer.update(mergeProgress(progresses));
    if (jobs.every((job) => job.state === 'succeeded' || job.state === 'dead')) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const dead = jobs.filter((job) => job.state === 'dead');
  if (dead.length === jobs.length) {
    throw new AppError(500, 'job_failed', `the job failed: ${dead[0]?.lastError ?? 'unknown reason'}`, true);
  }
  const summary = mergeSummaries(jobs.flatMap((job) => (job.result ? [job.result] : [])));
  for (const job of dead) summary.warnings.push(`job ${job.id} failed: ${job.lastError}`);
  ctx.io.err(
    `kura: done by the running server (job${jobs.length > 1 ? 's' : ''} ${jobs.map((job) => job.id).join(', ')})`,
  );
  return summary;
}

function mergeProgress(list: IngestProgress[]): IngestProgress {
  const phases = ['discovering', 'indexing', 'building', 'cleaning', 'done'] as const;
  const sum = (key: keyof IngestProgress) => list.reduce((total, p) => total + (Number(p[key]) || 0), 0);
  return {
    phase: phases[Math.min(...list.map((p) => phases.indexOf(p.phase)))] ?? 'indexing',
    done: sum('done'),
    total: sum('total'),
    unit: list.map((p) => p.unit).reduce<IngestUnit | undefined>(mergedUnit, undefined) ?? 'files',
    bytesDone: sum('bytesDone'),
    bytesTotal: sum('bytesTotal'),
    indexed: sum('indexed'),
    unchanged: sum('unchanged'),
    skipped: sum('skipped'),
    failed: sum('failed'),
    deleted: sum('deleted'),
    elapsedMs: Math.max(...list.map((p) => p.elapsedMs)),
  };
}

export function mergeSummaries(list: IngestSummary[]): IngestSummary {
  const merged: IngestSummary = {
    files: 0,
    unit: list.map((s) => s.unit).reduce<IngestUnit | undefined>(mergedUnit, undefined) ?? 'files',
    bytes: 0,
    indexed: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    deleted: 0,
    problems: [],
    problemsOmitted: 0,
    warnings: [],
    durationMs: 0,
  };
  for (const s of list) {
    for (const key of [
      'files',
      'bytes',
      'indexed',
      'unchanged',
      'skipped',
      'failed',
      'deleted',
      'problemsOmitted',
    ] as const)
      merged[key] += s[key];
    merged.problems.push(...s.problems);
    merged.warnings.push(...s.warnings);
    merged.durationMs = Math.max(merged.durationMs, s.durationMs);
  }
  return merged;
}

/**
 * Prints what an ingest did: one line of counts on stdout, then each file that did not go in with
 * its reason, and warnings on stderr. Returns the exit code: 0 all in, 3 some failed (the rest went
 * in), 1 nothing could be done.
 */
export function reportSummary(io: CliIo, summary: IngestSummary, cwd = process.cwd()): number {
  const show = (file: string) => {
    const relative = path.relative(cwd, file);
    return path.isAbsolute(file) && relative && !relative.startsWith('..') ? relative : file;
  };
  for (const warning of summary.warnings) io.err(`kura: warning: ${warning}`);
  io.out(
    `${counted(summary.files, summary.unit ?? 'files')} (${formatBytes(summary.bytes)}) in ${(summary.durationMs / 1000).toFixed(1)} s: ` +
      `${summary.indexed} indexed, ${summary.unchanged} unchanged, ${summary.skipped} skipped, ${summary.failed} failed, ${summary.deleted} deleted`,
  );
  for (const status of ['failed', 'skipped'] as const) {
    const problems = summary.problems.filter((problem) => problem.status === status);
    if (problems.length === 0) continue;
    io.out(`${status}:`);
    for (const problem of problems) {
      io.out(
        `  ${show(problem.path)}: ${problem.code}: ${problem.message}${problem.unchanged ? ' (unchanged since the last run)' : ''}`,
      );
    }
  }
  if (summary.problemsOmitted > 0)
    io.out(`  … and ${summary.problemsOmitted} more (see the documents of the source)`);
  return exitCodeOf(summary);
}

export function exitCodeOf(summary: IngestSummary): number {
  if (summary.failed > 0) return summary.indexed + summary.unchanged > 0 ? 3 : 1;
  if (summary.files === 0 && summary.warnings.length > 0) return 1;
  return 0;
}
