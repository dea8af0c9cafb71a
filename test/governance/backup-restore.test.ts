import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startKuraProcess, type KuraProcess } from '../helpers/kura-process.js';
import { multipartBody } from '../helpers/multipart.js';
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'kura-backup-'));
const original = path.join(root, 'original');
const restored = path.join(root, 'restored');
const archive = path.join(root, 'kura.backup');
const servers: KuraProcess[] = [];
/** A cold `kura serve` on the shared 2-core machine can take minutes under load. */
const STARTUP_MS = 300_000;
afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
});

const SEEDED: Record<string, string> = {
  '経費精算規程.md':
    '# 経費精算規程\n\n経費は発生日から30日以内に精算システムで申請する。領収書の原本を添付する。',
  'travel.md': '# Travel policy\n\nBusiness travel must be approved by the manager before booking.',
  '情報セキュリティ規程.md': '# 情報セキュリティ規程\n\nパスワードは12文字以上とし、90日ごとに変更する。',
};

interface Doc {
  id: string;
  title: string;
}

async function api(
  server: KuraProcess,
  key: string,
  route: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${server.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string> | undefined) },
  });
}

async function documents(server: KuraProcess, key: string): Promise<Map<string, string>> {
  const list = (await (await api(server, key, '/api/v1/documents?limit=200')).json()) as { documents: Doc[] };
  const texts = new Map<string, string>();
  for (const doc of list.documents) {
    const text = (await (await api(server, key, `/api/v1/documents/${doc.id}/text`)).json()) as {
      chunks: { text: string }[];
    };
    texts.set(doc.title, text.chunks.map((c) => c.text).join('\n'));
  }
  return texts;
}

async function upload(server: KuraProcess, key: string, name: string, content: string): Promise<number> {
  const { payload, headers } = multipartBody({ authorization: `Bearer ${key}` }, [
    { name: 'file', fileName: name, content },
  ]);
  const response = await fetch(`${server.url}/api/v1/documents`, { method: 'POST', headers, body: payload });
  return response.status;
}

describe('kura backup and kura restore (embedded)', () => {
  const env = { KURA_DATA_DIR: original };
  let key = '';
  let before = new Map<string, string>();

  it('backs up a running server that keeps taking writes; the restored copy answers, verifies and has every document', async () => {
    // Seed a company: documents, an API key, Kura's own file beside the database.
    expect((await runCli(['tenant', 'create', 'acme', '--name', 'Acme'], env)).code).toBe(0);
    const docs = path.join(root, 'docs');
    mkdirSync(docs);
    for (const [name, text] of Object.entries(SEEDED)) writeFileSync(path.join(docs, name), text);
    expect((await runCli(['ingest', '--tenant', 'acme', docs], env)).code).toBe(0);
    const created = await runCli(['apikey', 'create', '--tenant', 'acme', '--role', 'admin'], env);
    key = created.stdout.trim();
    // A data key of the company, wrapped by the master key: what a restore with another key cannot open.
    expect((await runCli(['keys', 'rotate', '--tenant', 'acme'], env)).code).toBe(0);
    mkdirSync(path.join(original, 'files'), { recursive: true });
    writeFileSync(path.join(original, 'files', 'original-0001.bin'), 'stored original bytes');

    const server = await startKuraProcess(['--no-demo', '--data-dir', original], {}, STARTUP_MS);
    servers.push(server);
    // A conversation and audit events (search and ask are audited).
    const asked = await api(server, key, '/api/v1/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: '経費は何日以内に申請しますか？' }),
    });
    expect(asked.status).toBe(200);
    expect(((await asked.json()) as { citations: unknown[] }).citations.length).toBeGreaterThan(0);
    expect((await api(server, key, '/api/v1/search?q=travel')).status).toBe(200);
    before = await documents(server, key);
    expect(before.size).toBe(3);

    // Writes keep arriving while the backup is taken through the server's operator socket.
    let writing = true;
    let uploads = 0;
    const writer = (async () => {
      while (writing) {
        uploads += 1;
        expect(
          await upload(server, key, `during-${uploads}.txt`, `backup で書き込み中の文書 ${uploads}`),
        ).toBe(201);
        expect((await api(server, key, `/api/v1/search?q=${encodeURIComponent('経費')}`)).status).toBe(200);
      }
    })();
    const backup = await runCli(['backup', '--out', archive], env);
    writing = false;
    await writer;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/master key is NOT in the backup/);
    expect(uploads).toBeGreaterThan(0);
    const after = await documents(server, key);
    await server.stop();

    // Restoring needs the master key; a wrong one is refused and nothing is created.
    const wrongKey = path.join(root, 'wrong.key');
    writeFileSync(wrongKey, Buffer.alloc(32, 1).toString('base64'));
    const wrong = await runCli(['--data-dir', restored, 'restore', archive, '--master-key-file', wrongKey]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/master key given does not open/);
    expect(existsSync(restored)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('.restoring-'))).toEqual([]);

    const restore = await runCli([
      '--data-dir',
      restored,
      'restore',
      archive,
      '--master-key-file',
      path.join(original, 'master.key'),
    ]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(readFileSync(path.join(restored, 'files', 'original-0001.bin'), 'utf8')).toBe(
      'stored original bytes',
    );
    expect(readFileSync(path.join(restored, 'master.key'), 'utf8')).toBe(
      readFileSync(path.join(original, 'master.key'), 'utf8'),
    );

    const copy = await startKuraProcess(['--no-demo', '--data-dir', restored], {}, STARTUP_MS);
    servers.push(copy);
    const found = (await (
      await api(copy, key, `/api/v1/search?q=${encodeURIComponent('経費 申請')}`)
    ).json()) as {
      results: { title: string }[];
    };
    expect(found.results.map((r) => r.title)).toContain('経費精算規程');
    const answer = await api(copy, key, '/api/v1/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'パスワードは何文字以上にしますか？' }),
    });
    const answered = (await answer.json()) as { citations: { title: string }[] };
    expect(answered.citations.map((c) => c.title)).toContain('情報セキュリティ規程');
    // Every document of before the backup, with the same text; any upload of during it is whole.
    const back = await documents(copy, key);
    for (const [title, text] of before) expect(back.get(title)).toBe(text);
    for (const [title, text] of back) expect(after.get(title)).toBe(text);
    expect(back.size).toBeGreaterThanOrEqual(before.size);
    const verify = await runCli(['--data-dir', restored, 'audit', 'verify', '--tenant', 'acme']);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/intact/);
    await copy.stop();
  }, 1_200_000);

  it('refuses a non-empty directory without --force, and corrupt, truncated or foreign files with clear codes', async () => {
    const keyFile = path.join(original, 'master.key');
    const occupied = path.join(root, 'occupied');
    mkdirSync(occupied);
    writeFileSync(path.join(occupied, 'keep.txt'), 'mine');
    const refused = await runCli(['--data-dir', occupied, 'restore', archive, '--master-key-file', keyFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty/);
    expect(readdirSync(occupied)).toEqual(['keep.txt']);

    const noKey = await runCli(['--data-dir', path.join(root, 'nokey'), 'restore', archive]);
    expect(noKey.stderr).toMatch(/holds no master key/);

    const bad = (name: string, make: (file: string) => void) => {
      const file = path.join(root, name);
      copyFileSync(archive, file);
      make(file);
      return file;
    };
    const cases: [string, string, RegExp][] = [
      [bad('truncated', (f) => truncateSync(f, 5000)), 'truncated', /is truncated/],
      [
        bad('flipped', (f) => {
          const bytes = readFileSync(f);
          bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
          writeFileSync(f, bytes);
        }),
        'flipped',
        /is corrupt/,
      ],
      [
        bad('foreign', (f) => writeFileSync(f, 'PK\u0003\u0004 not a backup')),
        'foreign',
        /not a Kura backup/,
      ],
      [
        bad('future', (f) => {
          const bytes = readFileSync(f);
          bytes.writeUInt32BE(99, 8);
          writeFileSync(f, bytes);
        }),
        'future',
        /format version 99/,
      ],
    ];
    for (const [file, name, message] of cases) {
      const target = path.join(root, `from-${name}`);
      const result = await runCli(['--data-dir', target, 'restore', file, '--master-key-file', keyFile]);
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toMatch(message);
      expect(existsSync(target), name).toBe(false);
    }

    const forced = await runCli([
      '--data-dir',
      occupied,
      'restore',
      archive,
      '--master-key-file',
      keyFile,
      '--force',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    const moved = /now (\S+)/.exec(forced.stdout)![1]!;
    expect(readFileSync(path.join(moved, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(occupied, 'pgdata'))).toBe(true);
  }, 300_000);
});
