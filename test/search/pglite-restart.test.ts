import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { createKnowledge } from '../../src/ingest/knowledge-module.js';
import { migrate } from '../../src/platform/db/migrations.js';
import { PgliteDatabase } from '../../src/platform/db/pglite-database.js';
import { PgTextsearchIndex } from '../../src/search/lexical/pg-textsearch-index.js';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { createTenancy } from '../../src/tenancy/tenancy-module.js';
import { createCompany } from '../helpers/factories.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-search-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('embedded search gives the same answers after the database is reopened', async () => {
  let db = await PgliteDatabase.open(dir);
  await migrate(db);
  const tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
  let knowledge = createKnowledge(db, { searchEngine: 'pg_textsearch' });
  const company = await createCompany(tenancy);
  const source = await knowledge.repos.sources.insert(company.id, {
    id: randomUUID(),
    kind: 'upload',
    name: 'uploads',
    settings: {},
    secret: null,
  });
  const ingest = await knowledge.ingest();
  const texts = [
    '経費は30日以内に申請する。',
    '出張旅費の規程。',
    '経費精算の様式と経費の科目。',
    'Travel expenses policy.',
  ];
  for (const [i, text] of texts.entries()) {
    await ingest.ingest(
      company.id,
      {
        sourceId: source.id,
        externalId: `${i}.txt`,
        title: `${i}`,
        uri: `u://${i}`,
        sizeBytes: 0,
        modifiedAt: null,
        acl: ['everyone'],
      },
      Buffer.from(text),
    );
  }
  const ask = async () =>
    (await (await knowledge.search()).search(OPERATOR, company.id, { q: '経費 申請' })).results.map((r) => [
      r.title,
      r.bm25,
    ]);
  const before = await ask();
  expect(before.map(([title]) => title)).toEqual(['0', '2']);
  knowledge.lexical.stop();
  await db.close();

  db = await PgliteDatabase.open(dir);
  // What pg_textsearch 0.5.1 remembers across a reopen: the rows, but not their statistics.
  expect(await new PgTextsearchIndex(db).stats(company.id)).toMatchObject({
    index: { docs: 0 },
    rows: { docs: 4 },
  });
  knowledge = createKnowledge(db, { searchEngine: 'pg_textsearch' });
  // Setting search up checks every company's index and rebuilds the ones that drifted.
  expect(await ask()).toEqual(before);
  knowledge.lexical.stop();
  await db.close();

  // kill -9 in the middle of indexing: every committed document is searchable after the restart.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./fixtures/ingest-until-killed.ts', import.meta.url)),
      dir,
      company.id,
      source.id,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let committed = -1;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (data: Buffer) => {
      committed = Math.max(committed, ...String(data).trim().split('\n').map(Number));
      if (committed >= 30) resolve();
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  db = await PgliteDatabase.open(dir);
  knowledge = createKnowledge(db);
  const found = await (
    await knowledge.search()
  ).search(OPERATOR, company.id, { q: '障害試験 共通語', limit: 50 });
  const stored = await db.tenant(company.id, (tx) =>
    tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1 AND external_id LIKE 'crash-%'`,
      [company.id],
    ),
  );
  expect(stored[0]!.n).toBeGreaterThan(committed);
  expect(found.total).toBe(stored[0]!.n);
  knowledge.lexical.stop();
  await db.close();
}, 120_000);
