import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../../platform/jobs/job-worker.js';
import { createLogger } from '../../../platform/log/logger.js';
import { OPERATOR } from '../../../tenancy/actor.js';
import { bearer, createApiKey, createCompany } from '../../../../test/helpers/factories.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/test-app.js';
import { createServerDatabase, ENGINES } from '../../../../test/helpers/test-database.js';
import { sharedAnalyzer, tempFolder } from '../../../../test/helpers/connectors-harness.js';

const roots = tempFolder('kura-api-roots-');

/** A multipart/form-data body: text fields and files, in order. */
function multipart(
  auth: Record<string, string>,
  parts: ({ name: string; value: string } | { name: string; fileName: string; content: Buffer | string })[],
) {
  const boundary = `----kura${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'fileName' in part
        ? `form-data; name="${part.name}"; filename="${part.fileName.replace(/"/g, '%22')}"`
        : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n`));
    if ('fileName' in part) chunks.push(Buffer.from('Content-Type: application/octet-stream\r\n'));
    chunks.push(
      Buffer.from('\r\n'),
      Buffer.from('fileName' in part ? part.content : part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(ENGINES)('sources, jobs and documents over HTTP on %s', (engine) => {
  let t: TestApp;
  const logger = createLogger('silent');
  beforeAll(async () => {
    t = await startTestApp(engine, {
      KURA_FOLDER_ROOTS: path.join(roots, '{tenant}'),
      KURA_UPLOAD_LIMIT_MB: '0.05',
    });
    t.knowledge.analyzer = sharedAnalyzer;
  });
  afterAll(() => t.close());

  async function company() {
    const co = await createCompany(t.tenancy);
    const folder = path.join(roots, co.slug, 'share');
    mkdirSync(folder, { recursive: true });
    return {
      co,
      folder,
      admin: bearer(await createApiKey(t.tenancy, co.id, 'admin')),
      member: bearer(await createApiKey(t.tenancy, co.id, 'member')),
      viewer: bearer(await createApiKey(t.tenancy, co.id, 'viewer')),
    };
  }
  const drain = () => new JobWorker(t.jobs.repository, t.jobs.catalog, logger, { concurrency: 1 }).drain();

  it('lets an admin add a folder source under the allowed roots only; others get 403 or 404', async () => {
    const a = await company();
    const b = await company();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: a.admin,
      payload: { kind: 'folder', name: '共有', settings: { path: a.folder, include: ['*.md'] } },
    });
    expect(created.statusCode).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({ kind: 'folder', name: '共有', status: 'idle', documents: { indexed: 0 } });

    const outside = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: a.admin,
      payload: { kind: 'folder', settings: { path: b.folder } },
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('folder_not_allowed');
    const etc = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: a.admin,
      payload: { kind: 'folder', settings: { path: '/etc' } },
    });
    expect(etc.statusCode).toBe(403);
    const member = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: a.member,
      payload: { kind: 'folder', settings: { path: a.folder } },
    });
    expect(member.statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/sources', headers: a.viewer })).statusCode,
    ).toBe(403);

    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/sources/${source.id}`, headers: b.admin }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/sources/${source.id}`, headers: b.admin }))
        .statusCode,
    ).toBe(404);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${source.id}`,
      headers: a.admin,
      payload: { name: '共有フォルダ', settings: { exclude: ['old/**'] } },
    });
    expect(renamed.json()).toMatchObject({
      name: '共有フォルダ',
      settings: { include: ['*.md'], exclude: ['old/**'] },
    });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/sources', headers: a.admin });
    expect(list.json().sources.map((s: { name: string }) => s.name)).toEqual(['共有フォルダ']);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/sources/${source.id}`, headers: a.admin }))
        .statusCode,
    ).toBe(204);
  });

  it('adds a database source, keeping its password out of every answer', async () => {
    const a = await company();
    const url = new URL(await createServerDatabase());
    url.password = 'p@ss word/secret';
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: a.admin,
      payload: { kind: 'postgres', name: '基幹DB', settings: { url: url.toString(), tables: [] } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      kind: 'postgres',
      settings: { url: expect.not.stringContaining('secret') },
    });
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/sources', headers: a.admin });
    expect(listed.body).not.toContain('secret');
    expect(listed.body).not.toContain('p%40ss');
    const unreachable = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: a.admin,
      payload: { kind: 'postgres', settings: { url: 'postgres://kura:hunter2@127.0.0.1:1/x' } },
    });
    expect(unreachable.statusCode).toBe(400);
    expect(unreachable.json().error.code).toBe('source_unreachable');
    expect(unreachable.body).not.toContain('hunter2');
    const sqliteOutside = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: a.admin,
      payload: { kind: 'sqlite', settings: { path: '/etc/shadow.db' } },
    });
    expect(sqliteOutside.statusCode).toBe(403);
  });

  it('queues a sync, shows its progress and result, and hides the job from other companies', async () => {
    const a = await company();
    const b = await company();
    writeFileSync(path.join(a.folder, '規程.md'), '# 経費精算規程\n\n経費は30日以内に申請する。');
    writeFileSync(path.join(a.folder, 'broken.pdf'), '%PDF-1.7\n1 0 obj <<');
    const source = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: a.admin,
        payload: { kind: 'folder', settings: { path: a.folder } },
      })
    ).json();
    const queued = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sources/${source.id}/sync`,
      headers: a.admin,
    });
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({ name: 'source.sync', state: 'queued', attempts: 0 });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sources/${source.id}/sync`,
      headers: a.admin,
    });
    expect(again.json().id).toBe(queued.json().id);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/sources/${source.id}/sync`, headers: b.admin }))
        .statusCode,
    ).toBe(404);

    await drain();
    const job = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${queued.json().id}`,
      headers: a.admin,
    });
    expect(job.json()).toMatchObject({
      state: 'succeeded',
      progress: { phase: 'done', done: 2, total: 2, unit: 'files' },
      result: {
        indexed: 1,
        failed: 1,
        problems: [{ code: 'corrupt_file', path: path.join(a.folder, 'broken.pdf') }],
      },
    });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${queued.json().id}`, headers: b.admin }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${queued.json().id}`, headers: a.member }))
        .statusCode,
    ).toBe(403);
  });

  it('lists documents by ACL: admins see all, members and viewers what everyone may see', async () => {
    const a = await company();
    const b = await company();
    mkdirSync(path.join(a.folder, '役員会'));
    writeFileSync(path.join(a.folder, '役員会/議事録.txt'), '取締役会の議事録。');
    writeFileSync(path.join(a.folder, '就業規則.txt'), '始業は午前9時とする。');
    const source = await t.connectors.sources.create(OPERATOR, a.co.id, {
      kind: 'folder',
      settings: { path: a.folder, acl: [{ prefix: '役員会', principals: ['group:役員'] }] },
    });
    await t.app.inject({ method: 'POST', url: `/api/v1/sources/${source.id}/sync`, headers: a.admin });
    await drain();
    const titles = async (headers: Record<string, string>, query = '') =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/documents${query}`, headers }))
        .json()
        .documents?.map((d: { externalId: string }) => d.externalId)
        .sort();
    expect(await titles(a.admin)).toEqual(['就業規則.txt', '役員会/議事録.txt']);
    expect(await titles(a.member)).toEqual(['就業規則.txt']);
    expect(await titles(a.viewer)).toEqual(['就業規則.txt']);
    expect(await titles(b.admin)).toEqual([]);
    expect(await titles(a.admin, '?q=議事録')).toEqual(['役員会/議事録.txt']);
    expect(await titles(a.admin, `?sourceId=${source.id}&status=failed`)).toEqual([]);

    const docs = (await t.app.inject({ method: 'GET', url: '/api/v1/documents', headers: a.admin })).json()
      .documents as { id: string; externalId: string }[];
    const secret = docs.find((d) => d.externalId === '役員会/議事録.txt')!;
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/documents/${secret.id}`, headers: a.admin })).json(),
    ).toMatchObject({
      acl: ['group:役員'],
      status: 'indexed',
    });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/documents/${secret.id}`, headers: a.member }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/documents/${secret.id}`, headers: b.admin }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/documents/${secret.id}`, headers: a.member }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/documents/${secret.id}`, headers: b.admin }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/documents/${secret.id}`, headers: a.admin }))
        .statusCode,
    ).toBe(204);
    expect(await titles(a.admin)).toEqual(['就業規則.txt']);
  });

  it('indexes an upload streamed to disk, sniffing its type; same content again is unchanged', async () => {
    const a = await company();
    const text = '# 情報セキュリティ規程\n\nパスワードは12文字以上とする。';
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      ...multipart(a.admin, [{ name: 'file', fileName: 'security.bin', content: text }]),
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().results).toEqual([
      expect.objectContaining({
        fileName: 'security.bin',
        status: 'indexed',
        document: expect.objectContaining({ title: 'security', mimeType: 'text/markdown', chunkCount: 1 }),
      }),
    ]);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      ...multipart(a.admin, [{ name: 'file', fileName: 'copy.md', content: text }]),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().results[0]).toMatchObject({
      status: 'unchanged',
      document: { id: first.json().results[0].document.id },
    });
    const sources = (await t.app.inject({ method: 'GET', url: '/api/v1/sources', headers: a.admin })).json()
      .sources;
    expect(sources).toEqual([
      expect.objectContaining({
        name: 'uploads',
        kind: 'upload',
        documents: { indexed: 1, failed: 0, skipped: 0 },
      }),
    ]);
  });

  it('answers bad uploads clearly: hostile names, empty and oversized files, no file, no right', async () => {
    const a = await company();
    const hostile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      ...multipart(a.admin, [
        { name: 'acl', value: 'group:総務, user:someone' },
        { name: 'file', fileName: '../../etc/pass\u0000wd.txt', content: '総務部の連絡事項。' },
        { name: 'file', fileName: 'empty.txt', content: '' },
      ]),
    });
    expect(hostile.statusCode).toBe(201);
    const [named, empty] = hostile.json().results;
    expect(named).toMatchObject({
      status: 'indexed',
      document: { title: 'passwd', acl: ['group:総務', 'user:someone'] },
    });
    expect(named.document.uri).not.toContain('..');
    expect(empty).toMatchObject({
      status: 'failed',
      error: { code: 'empty_file' },
      document: { status: 'failed', errorCode: 'empty_file' },
    });

    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      ...multipart(a.admin, [{ name: 'file', fileName: 'big.txt', content: 'あ'.repeat(40_000) }]),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({
      code: 'file_too_large',
      message: 'big.txt: the file is over the upload limit of 0.1 MB.',
    });
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      ...multipart(a.admin, [{ name: 'note', value: 'x' }]),
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('no_file');
    const badAcl = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      ...multipart(a.admin, [
        { name: 'acl', value: 'root' },
        { name: 'file', fileName: 'a.txt', content: 'x' },
      ]),
    });
    expect(badAcl.statusCode).toBe(400);
    const viewer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      ...multipart(a.viewer, [{ name: 'file', fileName: 'a.txt', content: 'x' }]),
    });
    expect(viewer.statusCode).toBe(403);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: a.admin,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    // Nothing of the rejected requests was kept.
    const docs = (await t.app.inject({ method: 'GET', url: '/api/v1/documents', headers: a.admin })).json();
    expect(docs.total).toBe(2);
  });
});
