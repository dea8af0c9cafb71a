import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../../platform/jobs/job-worker.js';
import { createLogger } from '../../../platform/log/logger.js';
import { OPERATOR } from '../../../tenancy/actor.js';
import { bearer, createApiKey, createCompany } from '../../../../test/helpers/factories.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/test-app.js';
import { sharedAnalyzer, tempFolder } from '../../../../test/helpers/connectors-harness.js';

const roots = tempFolder('kura-text-roots-');

interface TextAnswer {
  document: { id: string; title: string };
  chunks: { ordinal: number; text: string; anchor: Record<string, unknown> }[];
}

/** GET /api/v1/documents/:id/text: what the console's viewer reads, under the same ACL as the document. */
describe('a document’s text for the viewer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', { KURA_FOLDER_ROOTS: path.join(roots, '{tenant}') });
    t.knowledge.analyzer = sharedAnalyzer;
  });
  afterAll(() => t.close());

  it('gives the chunks in reading order with their anchors; hidden and foreign documents answer 404', async () => {
    const a = await createCompany(t.tenancy);
    const b = await createCompany(t.tenancy);
    const folder = path.join(roots, a.slug, 'share');
    mkdirSync(path.join(folder, '役員会'), { recursive: true });
    const long = Array.from(
      { length: 40 },
      (_, i) => `第${i + 1}条 規定の本文はここに書く。段落${i + 1}。`,
    ).join('\n\n');
    writeFileSync(
      path.join(folder, '規程.md'),
      `# 就業規則\n\n## 総則\n\n${long}\n\n## 附則\n\n施行日は四月一日とする。\n`,
    );
    writeFileSync(path.join(folder, '役員会/議事録.txt'), '取締役会の議事録。');
    const source = await t.connectors.sources.create(OPERATOR, a.id, {
      kind: 'folder',
      settings: { path: folder, acl: [{ prefix: '役員会', principals: ['group:役員'] }] },
    });
    const admin = bearer(await createApiKey(t.tenancy, a.id, 'admin'));
    const member = bearer(await createApiKey(t.tenancy, a.id, 'member'));
    const other = bearer(await createApiKey(t.tenancy, b.id, 'admin'));
    await t.app.inject({ method: 'POST', url: `/api/v1/sources/${source.id}/sync`, headers: admin });
    await new JobWorker(t.jobs.repository, t.jobs.catalog, createLogger('silent'), {
      concurrency: 1,
    }).drain();
    const documents = (await t.app.inject({ method: 'GET', url: '/api/v1/documents', headers: admin })).json()
      .documents as { id: string; externalId: string; chunkCount: number }[];
    const rules = documents.find((d) => d.externalId === '規程.md')!;
    const minutes = documents.find((d) => d.externalId === '役員会/議事録.txt')!;

    const answer = await t.app.inject({
      method: 'GET',
      url: `/api/v1/documents/${rules.id}/text`,
      headers: member,
    });
    expect(answer.statusCode).toBe(200);
    const text = answer.json<TextAnswer>();
    expect(text.document.id).toBe(rules.id);
    expect(text.chunks.length).toBe(rules.chunkCount);
    expect(text.chunks.length).toBeGreaterThan(1);
    expect(text.chunks.map((c) => c.ordinal)).toEqual(text.chunks.map((_, i) => i));
    const all = text.chunks.map((c) => c.text).join('\n');
    expect(all.indexOf('第1条')).toBeLessThan(all.indexOf('第40条'));
    expect(all).toContain('施行日は四月一日とする。');
    expect(text.chunks.at(-1)!.anchor).toMatchObject({ heading: expect.stringContaining('附則') });

    for (const [headers, id] of [
      [member, minutes.id],
      [other, rules.id],
      [admin, '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const refused = await t.app.inject({ method: 'GET', url: `/api/v1/documents/${id}/text`, headers });
      expect(refused.statusCode).toBe(404);
      expect(refused.body).not.toContain('議事録');
      expect(refused.body).not.toContain('就業規則');
    }
    expect(
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/documents/${minutes.id}/text`, headers: admin })
      ).json<TextAnswer>().chunks[0]!.text,
    ).toContain('取締役会の議事録。');
  });
});
