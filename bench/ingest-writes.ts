/**
 * `node --import tsx bench/ingest-writes.ts [--postgres] [--in-flight N] [--without acl-gin,search,bm25]`:
 * the database half of ingestion alone. The corpus of bench/ingest.ts is parsed, chunked and
 * analysed once (cached in the temp directory), then its 300 documents are written through
 * IngestService exactly as `kura ingest` writes them (look-up, group commit, triggers), with N
 * files in flight, and written again with new content (every document replaced). Prints the CPU
 * seconds of the main thread (PGlite runs there) and, with `--postgres`, of the server's processes;
 * on pg_textsearch, also what a REINDEX of the company's bm25 index costs afterwards (a build).
 * `--without` removes parts in the scratch database to measure what they cost:
 * acl-gin (the GIN index on chunks.acl), search (the search triggers: no postings / no mirror),
 * bm25 (pg_textsearch: the company's bm25 index, the mirror rows still written).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createConnectors } from '../src/connectors/connectors-module.js';
import { createKnowledge } from '../src/ingest/knowledge-module.js';
import { IngestService } from '../src/ingest/pipeline/ingest-service.js';
import {
  prepareFile,
  type DocumentPreparer,
  type PreparedFile,
} from '../src/ingest/pipeline/prepare-document.js';
import { createAnalyzer } from '../src/search/analysis/create-analyzer.js';
import { bm25IndexName } from '../src/search/lexical/pg-textsearch-index.js';
import { openDatabase } from '../src/platform/db/open-database.js';
import { createLogger } from '../src/platform/log/logger.js';
import { OPERATOR } from '../src/tenancy/actor.js';
import { createTenancy } from '../src/tenancy/tenancy-module.js';
import startPostgres from '../test/setup/postgres-server.js';
import { createScratchDatabase } from '../src/platform/db/scratch-database.js';
import { mainThreadCpuSeconds, serverCpuSeconds } from './bench-process.js';
import { writeCorpus } from './ingest-corpus.js';

const { values } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    'in-flight': { type: 'string', default: '4' },
    without: { type: 'string', default: '' },
    files: { type: 'string', default: '60' },
    engine: { type: 'string', default: 'auto' },
    spill: { type: 'string' },
    sql: { type: 'string' },
  },
});
const inFlight = Number(values['in-flight']);
const without = new Set(values.without.split(',').filter(Boolean));
const say = (line: string) => console.error(line);

const prepared = await preparedCorpus(Number(values.files));
say(`${prepared.length} prepared documents, ${prepared.reduce((n, p) => n + p.chunks, 0)} chunks`);

let baseUrl: string | undefined;
let serverDataDir: string | undefined;
let stopServer: (() => Promise<void>) | undefined;
if (values.postgres) {
  const project = {
    provide: (key: string, value: string) => {
      if (key === 'postgresUrl') baseUrl = value;
      if (key === 'postgresDataDir') serverDataDir = value;
    },
  };
  stopServer = await startPostgres(project as unknown as Parameters<typeof startPostgres>[0]);
}
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-writes-bench-'));
try {
  let databaseUrl: string | undefined;
  if (baseUrl) {
    databaseUrl = (await createScratchDatabase(baseUrl)).url;
  }
  const db = await openDatabase({ dataDir, databaseUrl });
  const tenancy = createTenancy(db, {
    sessionTtlMs: 3_600_000,
    login: { maxFailures: 5, lockoutMs: 60_000 },
  });
  const knowledge = createKnowledge(db, {
    logger: createLogger('silent'),
    searchEngine: values.engine as 'auto' | 'portable',
    searchSpillPostings: values.spill === undefined ? undefined : Number(values.spill),
  });
  const index = await knowledge.lexical.index();
  const company = await tenancy.companies.create(OPERATOR, {
    slug: `writes-${randomBytes(3).toString('hex')}`,
    name: 'Write bench',
  });
  await index.prepareTenant(company.id);
  const connectors = createConnectors(db, knowledge, tenancy, {
    ingest: { maxFileBytes: 100 * 1024 * 1024, folderRoots: [] },
  });
  const source = await connectors.sources.uploadSource(company.id);
  if (without.has('acl-gin')) await db.owner((tx) => tx.query('DROP INDEX chunks_acl_idx'));
  if (without.has('search'))
    await db.owner((tx) =>
      tx.query(
        `DO $$ DECLARE t text; BEGIN FOR t IN SELECT tgname FROM pg_trigger WHERE tgrelid = 'chunks'::regclass AND tgname LIKE 'kura_search_%' LOOP EXECUTE format('DROP TRIGGER %I ON chunks', t); END LOOP; END $$`,
      ),
    );
  if (without.has('bm25'))
    await db.owner((tx) => tx.query(`DROP INDEX IF EXISTS ${bm25IndexName(company.id)}`));

  // --sql: statements run as the owner before the passes (scratch experiments on the triggers).
  if (values.sql) await db.owner((tx) => tx.exec(values.sql!));
  const byName = new Map(prepared.map((p) => [p.name, p.file]));
  const preparer: DocumentPreparer = {
    prepareFile: async (_bytes, fileName) => byName.get(fileName)!,
    prepareText: () => Promise.reject(new Error('not used')),
  };
  const ingest = new IngestService(knowledge.repos.documents, preparer);
  console.log(
    `\n| database | without | in flight | pass | seconds | main-thread CPU s | process CPU s | server CPU s | load average |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const pass of ['new', 'replaced']) {
    const started = performance.now();
    const main = mainThreadCpuSeconds();
    const all = process.cpuUsage();
    const server = serverDataDir ? serverCpuSeconds(serverDataDir) : 0;
    let next = 0;
    const worker = async () => {
      while (next < prepared.length) {
        const p = prepared[next++]!;
        const outcome = await ingest.ingest(
          company.id,
          {
            sourceId: source.id,
            externalId: p.name,
            title: p.name,
            uri: `bench://${p.name}`,
            sizeBytes: 1,
            modifiedAt: null,
            acl: ['everyone'],
          },
          Buffer.from(`${pass}:${p.name}`),
        );
        if (outcome.status !== 'indexed') throw new Error(`${p.name}: ${outcome.status}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(all);
    const serverSeconds = (serverDataDir ? serverCpuSeconds(serverDataDir) : 0) - server;
    console.log(
      `| ${db.kind} (${index.engine}) | ${[...without].join(', ') || '—'} | ${inFlight} | ${pass} | ${seconds.toFixed(2)} | ${(mainThreadCpuSeconds() - main).toFixed(2)} | ${((used.user + used.system) / 1e6).toFixed(2)} | ${serverDataDir ? serverSeconds.toFixed(2) : '—'} | ${os.loadavg()[0]!.toFixed(1)} |`,
    );
  }
  const chunks = await db.tenant(company.id, (tx) =>
    tx.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks WHERE tenant_id = $1', [company.id]),
  );
  say(`chunks stored: ${chunks[0]?.n}`);
  if (index.engine === 'pg_textsearch') {
    const main = mainThreadCpuSeconds();
    const started = performance.now();
    await db.owner((tx) => tx.query(`REINDEX INDEX ${bm25IndexName(company.id)}`));
    say(
      `REINDEX of the company's bm25 index: ${(performance.now() - started).toFixed(0)} ms, main-thread CPU ${(mainThreadCpuSeconds() - main).toFixed(2)} s`,
    );
  }
  await connectors.close();
  knowledge.lexical.stop();
  await db.close();
} finally {
  await stopServer?.();
  rmSync(dataDir, { recursive: true, force: true });
}

/** The corpus parsed, chunked and analysed once; kept in the temp directory for the next run. */
async function preparedCorpus(
  files: number,
): Promise<{ name: string; file: PreparedFile; chunks: number }[]> {
  const cache = path.join(os.tmpdir(), `kura-ingest-writes-${files}.json`);
  if (!existsSync(cache)) {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'kura-writes-corpus-'));
    try {
      await writeCorpus(folder, files, 16);
      const analyzer = await createAnalyzer();
      const out: { name: string; file: PreparedFile }[] = [];
      for (const name of readdirSync(folder).sort()) {
        out.push({ name, file: await prepareFile(readFileSync(path.join(folder, name)), name, analyzer) });
      }
      writeFileSync(cache, JSON.stringify(out));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  const list = JSON.parse(readFileSync(cache, 'utf8')) as { name: string; file: PreparedFile }[];
  return list.map((p) => ({ ...p, chunks: p.file.ok ? p.file.chunks.length : 0 }));
}
