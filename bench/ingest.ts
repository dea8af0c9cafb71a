/**
 * `node --import tsx bench/ingest.ts [--db-url URL | --postgres] [--files N] [--threads N]`:
 * end-to-end ingestion (read → parse → chunk → analyse → index) of a mixed Japanese corpus
 * (bench/ingest-corpus.ts: text, Markdown, HTML, DOCX, PDF) through the path `kura ingest <folder>`
 * takes: a folder source, the preparation thread pool, the real database. Embedded PGlite by
 * default; `--db-url` a PostgreSQL server (a fresh database is created on it and dropped);
 * `--postgres` starts a temporary PostgreSQL server of Debian's binaries like the test harness.
 * Three timed runs, a Markdown row each: the first ingest in a fresh process; the same folder
 * again, unchanged; a copy of the corpus into a second company of the same process, whose threads'
 * code is now compiled and database warm — the steady rate of a large ingest or a running server.
 * On stderr after each run: CPU seconds per thread, and how long a first load's index build took.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBenchDatabase, type BenchDatabase } from './bench-database.js';
import { mainThreadCpuSeconds, postgresCpuSeconds, threadCpuSeconds } from './bench-process.js';
import { ingestionModules, sourcesRun } from './compiled-modules.js';
import { writeCorpus } from './ingest-corpus.js';

const { createConnectors, createKnowledge, IngestTracker, createLogger, OPERATOR, createTenancy } =
  await ingestionModules();

const { values } = parseArgs({
  options: {
    'db-url': { type: 'string' },
    postgres: { type: 'boolean', default: false },
    files: { type: 'string', default: '60' },
    paragraphs: { type: 'string', default: '16' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    // pg_textsearch's in-memory table bound (0: the extension's own, i.e. never spill): for A/B runs.
    spill: { type: 'string' },
  },
});
const threads = Number(values.threads);
const MB = 1024 * 1024;
const say = (line: string) => console.error(line);

const folder = mkdtempSync(path.join(os.tmpdir(), 'kura-ingest-corpus-'));
const copy = mkdtempSync(path.join(os.tmpdir(), 'kura-ingest-copy-'));
let database: BenchDatabase | undefined;
try {
  const corpus = await writeCorpus(folder, Number(values.files), Number(values.paragraphs));
  say(
    `corpus: ${corpus.files} files (${Object.entries(corpus.byFormat)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}), ${mb(corpus.inputBytes)} MB on disk, ${mb(corpus.textBytes)} MB of Japanese text`,
  );
  database = await openBenchDatabase({ dbUrl: values['db-url'], postgres: values.postgres, say });
  const { db, engine, postmaster } = database;
  const logger = createLogger('silent');
  const tenancy = createTenancy(db, {
    sessionTtlMs: 3_600_000,
    login: { maxFailures: 5, lockoutMs: 60_000 },
  });
  const knowledge = createKnowledge(db, {
    logger,
    searchSpillPostings: values.spill === undefined ? undefined : Number(values.spill),
  });
  await knowledge.lexical.index();
  const connectors = createConnectors(db, knowledge, tenancy, {
    ingest: { maxFileBytes: 100 * 1024 * 1024, folderRoots: [] },
    workerConcurrency: threads,
  });
  const company = await tenancy.companies.create(OPERATOR, {
    slug: `bench-${randomBytes(3).toString('hex')}`,
    name: 'Ingest bench',
  });
  // The threads start (their code, and the process's dictionary) before the clock, as in a running server.
  const warm = performance.now();
  await connectors.preparation?.warm();
  say(`sources: ${sourcesRun}`);
  say(`${threads} preparation threads ready in ${((performance.now() - warm) / 1000).toFixed(1)} s`);
  // The third run: a copy of the corpus into a second company of the same, now warm, process.
  const second = await tenancy.companies.create(OPERATOR, {
    slug: `bench-${randomBytes(3).toString('hex')}`,
    name: 'Ingest bench, second company',
  });
  cpSync(folder, copy, { recursive: true });
  const runs = [
    { name: 'first (fresh process)', target: company.id, from: folder, indexing: true },
    { name: 'unchanged', target: company.id, from: folder, indexing: false },
    { name: 'first, another company (warm process)', target: second.id, from: copy, indexing: true },
  ];
  console.log(
    `\n| database | run | files | seconds | text MB/s | input MB/s | documents/s | chunks/s | CPU s (this process, all threads) | of which main thread | PostgreSQL server CPU s | load average |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|---|---|---|---|`);
  for (const run of runs) {
    let buildStarted: number | undefined;
    // A first load's index build is flushed as its own phase: the seconds after it are the build's.
    const tracker = new IngestTracker((progress) => {
      if (progress.phase === 'building') buildStarted ??= performance.now();
    }, 1_000);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpuSeconds();
    const serverCpu = postmaster === undefined ? 0 : postgresCpuSeconds(postmaster);
    const threadsBefore = threadCpuSeconds();
    await connectors.sync.ingestPaths(run.target, [run.from], tracker);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const mainSeconds = mainThreadCpuSeconds() - mainCpu;
    const serverSeconds = postmaster === undefined ? undefined : postgresCpuSeconds(postmaster) - serverCpu;
    say(
      `  ${run.name}: ${describeThreads(threadsBefore)}${buildStarted === undefined ? '' : `; index build ${((performance.now() - buildStarted) / 1000).toFixed(2)} s at the end`}`,
    );
    const summary = tracker.summary();
    if (summary.failed + summary.skipped > 0) say(JSON.stringify(summary.problems.slice(0, 5)));
    const chunks = await db.tenant(run.target, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM chunks WHERE tenant_id = $1`, [run.target]),
    );
    const chunkCount = run.indexing ? (chunks[0]?.n ?? 0) : 0;
    console.log(
      `| ${engine} | ${run.name} | ${summary.files} (${summary.indexed} indexed, ${summary.unchanged} unchanged) | ${seconds.toFixed(2)} | ${
        run.indexing ? (corpus.textBytes / MB / seconds).toFixed(2) : '—'
      } | ${(corpus.inputBytes / MB / seconds).toFixed(2)} | ${(summary.files / seconds).toFixed(1)} | ${
        run.indexing ? (chunkCount / seconds).toFixed(0) : '—'
      } | ${cpuSeconds.toFixed(1)} | ${mainSeconds.toFixed(1)} | ${serverSeconds === undefined ? '—' : serverSeconds.toFixed(1)} | ${os.loadavg()[0]!.toFixed(1)} |`,
    );
  }
  await connectors.close();
  knowledge.lexical.stop();
} finally {
  await database?.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(copy, { recursive: true, force: true });
}

/** CPU seconds per thread over the run: the main thread (PGlite), then the others (preparation threads, V8's). */
function describeThreads(before: ReturnType<typeof threadCpuSeconds>): string {
  const used = [...threadCpuSeconds()].map(([tid, seconds]) => ({
    main: tid === String(process.pid),
    seconds: seconds - (before.get(tid) ?? 0),
  }));
  const main = used.find((thread) => thread.main)?.seconds ?? 0;
  const others = used
    .filter((thread) => !thread.main && thread.seconds >= 0.05)
    .map((thread) => thread.seconds)
    .sort((a, b) => b - a);
  return `CPU s by thread: main ${main.toFixed(2)}, others ${others.map((s) => s.toFixed(2)).join(', ') || '—'}`;
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(2);
}
