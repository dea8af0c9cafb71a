import { mkdirSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/connectors-harness.js';
import { startKuraProcess, type KuraProcess } from '../helpers/kura-process.js';
import { runCli } from '../helpers/run-cli.js';
import { createServerDatabase } from '../helpers/test-database.js';

function mixedFolder(): string {
  const root = tempFolder('kura-ingest-');
  mkdirSync(path.join(root, '規程'));
  writeFileSync(
    path.join(root, '規程/経費精算規程.md'),
    '# 経費精算規程\n\n## 第1条\n\n経費は発生日から30日以内に申請する。',
  );
  writeFileSync(path.join(root, '規程/就業規則.txt'), '始業は午前9時、終業は午後6時とする。');
  writeFileSync(path.join(root, 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog');
  writeFileSync(path.join(root, 'empty.txt'), '');
  return root;
}

describe('kura ingest on the embedded database (no server)', () => {
  const dataDir = tempFolder('kura-ingest-data-');
  const kura = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  beforeAll(async () => {
    expect((await kura('tenant', 'create', 'acme', '--name', 'Acme')).code).toBe(0);
  });

  it('ingests the good files, names each bad one with its reason and exits 3; a second run reads nothing', async () => {
    const root = mixedFolder();
    const first = await kura('ingest', '--tenant', 'acme', root);
    expect(first.code).toBe(3);
    expect(first.stdout).toMatch(
      /^4 files \(.+\) in [\d.]+ s: 2 indexed, 0 unchanged, 0 skipped, 2 failed, 0 deleted$/m,
    );
    expect(first.stdout).toMatch(/^failed:$/m);
    expect(first.stdout).toContain(`${path.join(root, 'broken.pdf')}: corrupt_file: `);
    expect(first.stdout).toContain(
      `${path.join(root, 'empty.txt')}: empty_file: The file is empty (0 bytes).`,
    );
    expect(first.stderr).toMatch(/4 files \(.+\) to check/);

    const started = Date.now();
    const second = await kura('ingest', '--tenant', 'acme', root);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(second.code).toBe(3);
    expect(second.stdout).toMatch(/: 0 indexed, 2 unchanged, 0 skipped, 2 failed, 0 deleted$/m);
    expect(second.stdout).toMatch(/broken\.pdf: corrupt_file: .*\(unchanged since the last run\)/);

    // The folder became a source that `kura source sync` keeps up to date.
    const list = await kura('source', 'list', '--tenant', 'acme', '--json');
    const sources = JSON.parse(list.stdout) as {
      name: string;
      kind: string;
      documents: { indexed: number; failed: number };
    }[];
    expect(sources).toEqual([
      expect.objectContaining({
        name: root,
        kind: 'folder',
        documents: { indexed: 2, failed: 2, skipped: 0 },
      }),
    ]);
  });

  it('exits 1 when nothing could be done', async () => {
    const missing = await kura('ingest', '--tenant', 'acme', '/no/such/folder');
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'kura: /no/such/folder does not exist (or cannot be read).',
    });
    const root = tempFolder();
    writeFileSync(path.join(root, 'empty.md'), '');
    const allBad = await kura('ingest', '--tenant', 'acme', root);
    expect(allBad.code).toBe(1);
    expect(allBad.stdout).toContain('empty_file');
  });
});

describe('kura ingest through a running server', () => {
  const dataDir = tempFolder('kura-ingest-srv-');
  let server: KuraProcess;
  beforeAll(async () => {
    server = await startKuraProcess(['--data-dir', dataDir, '--no-demo']);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  const kura = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

  it('lets the server read the paths in a job and reports the same summary', async () => {
    expect((await kura('tenant', 'create', 'acme', '--name', 'Acme')).code).toBe(0);
    expect((await kura('ingest', '--tenant', 'nobody', '/tmp')).stderr).toBe(
      'kura: Company "nobody" not found. The companies here: acme.',
    );
    const root = mixedFolder();
    const first = await kura('ingest', '--tenant', 'acme', root);
    expect(first.code).toBe(3);
    expect(first.stdout).toMatch(/: 2 indexed, 0 unchanged, 0 skipped, 2 failed, 0 deleted$/m);
    expect(first.stderr).toMatch(/done by the running server \(job [0-9a-f-]{36}\)/);
    const all = await kura('source', 'sync', '--tenant', 'acme', '--all');
    expect(all.stdout).toMatch(/: 0 indexed, 2 unchanged, 0 skipped, 2 failed, 0 deleted$/m);
  });
  it('exits 0 when every file went in, files going into the uploads source', async () => {
    const root = tempFolder();
    writeFileSync(path.join(root, 'memo.txt'), '会議は毎週月曜日に行う。');
    const result = await kura('ingest', '--tenant', 'acme', path.join(root, 'memo.txt'));
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^1 file .*: 1 indexed, 0 unchanged, 0 skipped, 0 failed, 0 deleted$/m);
    expect((await kura('source', 'list', '--tenant', 'acme')).stdout).toMatch(
      /^uploads {2}\[upload, idle\] 1 indexed/m,
    );
  });

  it('adds, syncs and removes a folder source with globs and ACL rules', async () => {
    const root = mixedFolder();
    const added = await kura(
      'source',
      'add',
      'folder',
      '--tenant',
      'acme',
      '--path',
      root,
      '--name',
      '規程集',
      '--include',
      '*.md',
      '--include',
      '*.txt',
      '--exclude',
      'empty.*',
      '--acl',
      '規程=group:総務,user:soumu@acme.example',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added source 規程集 \(/);
    const synced = await kura('source', 'sync', '--tenant', 'acme', '規程集');
    expect(synced.code).toBe(0);
    expect(synced.stdout).toMatch(/^2 files .*: 2 indexed/m);
    const json = JSON.parse((await kura('source', 'list', '--tenant', 'acme', '--json')).stdout) as {
      name: string;
      settings: unknown;
    }[];
    expect(json.find((s) => s.name === '規程集')?.settings).toMatchObject({
      include: ['*.md', '*.txt'],
      exclude: ['empty.*'],
      acl: [{ prefix: '規程', principals: ['group:総務', 'user:soumu@acme.example'] }],
    });
    expect((await kura('source', 'add', 'postgres', '--tenant', 'acme', '--path', root)).stderr).toBe(
      'kura: a postgres source needs --url',
    );
    expect((await kura('source', 'add', 'oracle', '--tenant', 'acme')).stderr).toMatch(
      /unknown source kind "oracle"/,
    );
    expect((await kura('source', 'sync', '--tenant', 'acme')).stderr).toMatch(
      /name one source, or use --all/,
    );
    expect((await kura('source', 'remove', '--tenant', 'acme', '規程集')).stdout).toBe(
      'removed source 規程集',
    );
    expect((await kura('source', 'remove', '--tenant', 'acme', '規程集')).stderr).toBe(
      'kura: Source not found.',
    );
  });

  it('adds and syncs a SQLite database source whose rows become records', async () => {
    const file = path.join(tempFolder(), 'shop.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, amount INTEGER, updated_at TEXT);
             INSERT INTO orders VALUES (1, '山田商事', 12000, '2025-10-01'), (2, '大阪物産', 8000, '2025-10-02');`);
    db.close();
    const added = await kura(
      'source',
      'add',
      'sqlite',
      '--tenant',
      'acme',
      '--path',
      file,
      '--name',
      '受注DB',
      '--table',
      'orders@updated_at={customer}様 ご注文 {amount}円',
    );
    expect(added.code).toBe(0);
    const synced = await kura('source', 'sync', '--tenant', 'acme', '受注DB');
    expect(synced.stdout).toMatch(/^2 rows .*: 2 indexed, 0 unchanged, 0 skipped, 0 failed, 0 deleted$/m);
    const unknown = await kura(
      'source',
      'add',
      'sqlite',
      '--tenant',
      'acme',
      '--path',
      file,
      '--table',
      'customers',
    );
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'kura: No table or view named customers (found: orders).',
    });
  });

  it('finds the rows of a PostgreSQL source with kura search', async () => {
    expect((await kura('tenant', 'create', 'hokuto', '--name', '北斗')).code).toBe(0);
    const url = await createServerDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, prefecture TEXT, note TEXT);
      INSERT INTO customers VALUES (1, '北斗精機株式会社', '長野県', '年間保守契約を2026年3月に更新予定'),
                                   (2, '南風フーズ', '沖縄県', '新規取引、与信枠500万円')`);
    await client.end();
    const added = await runCli(
      [
        '--data-dir',
        dataDir,
        'source',
        'add',
        'postgres',
        '--tenant',
        'hokuto',
        '--url',
        url,
        '--password-stdin',
        '--name',
        '顧客DB',
        '--table',
        'customers={name}（{prefecture}）: {note}',
      ],
      {},
      'kura-readonly-pw\n',
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).not.toContain('kura-readonly-pw');
    const synced = await kura('source', 'sync', '--tenant', 'hokuto', '顧客DB');
    expect(synced.stdout).toMatch(/^2 rows .*: 2 indexed, 0 unchanged, 0 skipped, 0 failed, 0 deleted$/m);
    const found = await kura('search', '--tenant', 'hokuto', '保守契約の更新');
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/^1\. customers 1 /m);
    expect(found.stdout).toContain('北斗精機株式会社（長野県）');
  }, 120_000);
});
