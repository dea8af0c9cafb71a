/**
 * `node --import tsx bench/ingest-rows.ts [--rows N] [--threads N] [--db-url URL | --postgres]`:
 * a database source's first sync, end to end (scan → render each row → analyse → index), on the
 * embedded database or a PostgreSQL server (as bench/ingest.ts: bench-database.ts). The
 * source is a SQLite file of N support tickets whose text is JSQuAD paragraphs (Japanese), so each
 * row is a record of a few hundred characters, as a CRM or helpdesk table would give. Prints a
 * Markdown row for the first sync and one for the unchanged sync after it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openBenchDatabase, type BenchDatabase } from './bench-database.js';
import { mainThreadCpuSeconds, postgresCpuSeconds } from './bench-process.js';
import { ingestionModules, sourcesRun } from './compiled-modules.js';

const { createConnectors, createKnowledge, IngestTracker, createLogger, OPERATOR, createTenancy } =
  await ingestionModules();

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '3000' },
    'db-url': { type: 'string' },
    postgres: { type: 'boolean', default: false },
    threads: { type: 'string', default: String(os.availableParallelism()) },
  },
});
const rows = Number(values.rows);
const threads = Number(values.threads);
const MB = 1024 * 1024;
const say = (line: string) => console.error(line);

const datasetPath = new URL('../../shared/bench/jsquad/test-v1.3.json', import.meta.url);
const dataset = JSON.parse(readFileSync(datasetPath, 'utf8')) as {
  data: { paragraphs: { context: string }[] }[];
};
const paragraphs = [
  ...new Set(dataset.data.flatMap((a) => a.paragraphs.map((p) => p.context.replace(/^.*?\[SEP\]\s*/, '')))),
];

const work = mkdtempSync(path.join(os.tmpdir(), 'kura-ingest-rows-'));
let database: BenchDatabase | undefined;
try {
  const file = path.join(work, 'helpdesk.sqlite');
  const sqlite = new Database(file);
  sqlite.exec(
    'CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL)',
  );
  const insert = sqlite.prepare('INSERT INTO tickets VALUES (?, ?, ?, ?)');
  let textBytes = 0;
  sqlite.transaction(() => {
    for (let id = 1; id <= rows; id++) {
      const body = paragraphs[id % paragraphs.length]!;
      const subject = `問い合わせ ${id}: ${body.slice(0, 20)}`;
      textBytes += Buffer.byteLength(subject + body);
      insert.run(id, subject, body, id % 3 === 0 ? '完了' : '対応中');
    }
  })();
  sqlite.close();
  say(`sources: ${sourcesRun}`);
  say(`source: ${rows} rows, ${(textBytes / MB).toFixed(2)} MB of Japanese text in ${file}`);

  database = await openBenchDatabase({ dbUrl: values['db-url'], postgres: values.postgres, say });
  const { db, engine, postmaster } = database;
  const tenancy = createTenancy(db, {
    sessionTtlMs: 3_600_000,
    login: { maxFailures: 5, lockoutMs: 60_000 },
  });
  const knowledge = createKnowledge(db, { logger: createLogger('silent') });
  await knowledge.lexical.index();
  const connectors = createConnectors(db, knowledge, tenancy, {
    ingest: { maxFileBytes: 100 * MB, folderRoots: [] },
    workerConcurrency: threads,
  });
  const company = await tenancy.companies.create(OPERATOR, {
    slug: `rows-${randomBytes(3).toString('hex')}`,
    name: 'Rows bench',
  });
  const source = await connectors.sources.create(OPERATOR, company.id, {
    kind: 'sqlite',
    name: 'helpdesk',
    settings: {
      path: file,
      tables: [{ name: 'tickets', title: '{subject}', template: '{body}\n状態: {status}' }],
    },
  });
  await connectors.preparation?.warm();
  console.log(
    `\n| database | run | rows | seconds | rows/s | text MB/s | CPU s (all threads) | of which main thread | PostgreSQL server CPU s |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (const run of ['first sync', 'unchanged']) {
    const tracker = new IngestTracker(() => Promise.resolve(), 1_000);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpuSeconds();
    const serverCpu = postmaster === undefined ? 0 : postgresCpuSeconds(postmaster);
    await connectors.sync.syncSource(company.id, source.id, tracker);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const summary = tracker.summary();
    if (summary.failed + summary.skipped > 0) say(JSON.stringify(summary.problems.slice(0, 5)));
    console.log(
      `| ${engine} | ${run} | ${summary.files} (${summary.indexed} indexed, ${summary.unchanged} unchanged) | ${seconds.toFixed(2)} | ${(
        summary.files / seconds
      ).toFixed(0)} | ${run === 'first sync' ? (textBytes / MB / seconds).toFixed(2) : '—'} | ${(
        (used.user + used.system) /
        1e6
      ).toFixed(1)} | ${(mainThreadCpuSeconds() - mainCpu).toFixed(1)} | ${
        postmaster === undefined ? '—' : (postgresCpuSeconds(postmaster) - serverCpu).toFixed(1)
      } |`,
    );
  }
  await connectors.close();
  knowledge.lexical.stop();
} finally {
  await database?.close();
  rmSync(work, { recursive: true, force: true });
}
