import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { runCli, TEST_MASTER_KEY } from '../helpers/run-cli.js';
import { createServerDatabase } from '../helpers/test-database.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'kura-backup-pg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function documentTexts(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ text: string }>(
      `SELECT d.title || ':' || string_agg(c.text, '|' ORDER BY c.ordinal) AS text
         FROM documents d JOIN chunks c ON c.tenant_id = d.tenant_id AND c.document_id = d.id
        GROUP BY d.id, d.title ORDER BY 1`,
    );
    return rows.map((r) => r.text);
  } finally {
    await client.end();
  }
}

it('server mode: kura backup runs pg_dump plus the files; kura restore loads it into an empty database', async () => {
  const source = {
    DATABASE_URL: await createServerDatabase(),
    KURA_MASTER_KEY: TEST_MASTER_KEY,
    KURA_DATA_DIR: path.join(root, 'a'),
  };
  expect((await runCli(['tenant', 'create', 'acme', '--name', 'Acme'], source)).code).toBe(0);
  const docs = path.join(root, 'docs');
  mkdirSync(docs);
  writeFileSync(path.join(docs, 'expenses.md'), '# 経費\n\n経費は30日以内に申請する。');
  writeFileSync(path.join(docs, 'travel.md'), '# Travel\n\nBusiness travel must be approved before booking.');
  expect((await runCli(['ingest', '--tenant', 'acme', docs], source)).code).toBe(0);
  expect((await runCli(['keys', 'rotate', '--tenant', 'acme'], source)).code).toBe(0);
  expect((await runCli(['search', '--tenant', 'acme', '経費'], source)).code).toBe(0);

  const file = path.join(root, 'kura.backup');
  const backup = await runCli(['backup', '--out', file], source);
  expect(backup.code, backup.stderr).toBe(0);
  expect(backup.stdout).toMatch(/PostgreSQL \(pg_dump\)/);
  expect(backup.stdout).toMatch(/master key is NOT in the backup/);

  const target = {
    DATABASE_URL: await createServerDatabase(),
    KURA_MASTER_KEY: TEST_MASTER_KEY,
    KURA_DATA_DIR: path.join(root, 'b'),
  };
  const wrongDb = await runCli(['restore', file], { ...target, DATABASE_URL: source.DATABASE_URL });
  expect(wrongDb.stderr).toMatch(/already has tables/);
  const restore = await runCli(['restore', file], target);
  expect(restore.code, restore.stderr).toBe(0);
  expect(readFileSync(path.join(root, 'b', 'audit.key'))).toEqual(
    readFileSync(path.join(root, 'a', 'audit.key')),
  );

  expect(await documentTexts(target.DATABASE_URL)).toEqual(await documentTexts(source.DATABASE_URL));
  const found = await runCli(['search', '--tenant', 'acme', '--json', '経費'], target);
  expect(JSON.parse(found.stdout).results[0].title).toBe('expenses');
  const answer = await runCli(
    ['ask', '--tenant', 'acme', '--json', '経費は何日以内に申請しますか？'],
    target,
  );
  expect(JSON.parse(answer.stdout).citations.length).toBeGreaterThan(0);
  const verify = await runCli(['audit', 'verify', '--tenant', 'acme'], target);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
}, 600_000);
