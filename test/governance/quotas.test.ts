import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeaders, errorCode, seedUser, signIn } from '../api/http-helpers.js';
import { sharedAnalyzer } from '../helpers/connectors-harness.js';
import { bearer, createApiKey, createCompany, createGroup } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Per-company limits over HTTP on the server database: who sets them, and what a client sees past them. */
describe('quotas: requests per minute, storage cap, monthly token budget', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('postgres');
    t.knowledge.analyzer = sharedAnalyzer;
  });
  afterAll(() => t.close());

  /** A group with its holding company's group admin (signed in) and one subsidiary with an admin key. */
  async function group() {
    const g = await createGroup(t.tenancy);
    const holding = await createCompany(t.tenancy, { groupId: g.id });
    const groupAdmin = await seedUser(t.tenancy, holding.id, 'group_admin');
    const subsidiary = await createCompany(t.tenancy, { groupId: g.id });
    return {
      subsidiary,
      groupAdmin: cookieHeaders(await signIn(t.app, holding.slug, groupAdmin.email)),
      admin: bearer(await createApiKey(t.tenancy, subsidiary.id, 'admin')),
    };
  }
  const setQuota = (headers: Record<string, string>, id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/companies/${id}/quota`, headers, payload });

  it('lets the group admin set limits; the company admin reads them but cannot raise them', async () => {
    const { subsidiary, groupAdmin, admin } = await group();
    const set = await setQuota(groupAdmin, subsidiary.id, {
      requestsPerMinute: 600,
      storageMb: 2048,
      monthlyTokens: 5_000_000,
    });
    expect(set.statusCode, set.body).toBe(200);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/companies/${subsidiary.id}/quota`,
      headers: admin,
    });
    expect(read.json()).toMatchObject({
      requestsPerMinute: 600,
      storageMb: 2048,
      monthlyTokens: 5_000_000,
      usage: { storageBytes: 0 },
    });
    expect((await setQuota(admin, subsidiary.id, { requestsPerMinute: 100_000 })).statusCode).toBe(403);
    // Null lifts one limit; the others stay.
    const lifted = await setQuota(groupAdmin, subsidiary.id, { storageMb: null });
    expect(lifted.json()).toMatchObject({
      requestsPerMinute: 600,
      storageMb: null,
      monthlyTokens: 5_000_000,
    });
    expect((await setQuota(groupAdmin, subsidiary.id, { requestsPerMinute: 0 })).statusCode).toBe(400);
    const changes = await t.governance.audit.list(subsidiary.id, {
      action: 'policy.quota_updated',
      limit: 10,
    });
    expect(changes.map((e) => [e.outcome, e.payload])).toEqual([
      ['success', { requestsPerMinute: 600, storageMb: 2048, monthlyTokens: 5_000_000 }],
      // The company admin's attempt, refused, is in the company's log too.
      ['denied', { requestsPerMinute: 100_000 }],
      ['success', { storageMb: null }],
    ]);
  });

  it('answers 429 rate_limited with Retry-After and the reason, per company (every key and address counts)', async () => {
    const { subsidiary, groupAdmin, admin } = await group();
    const other = bearer(await createApiKey(t.tenancy, subsidiary.id, 'viewer'));
    const neighbour = bearer(await createApiKey(t.tenancy, (await createCompany(t.tenancy)).id, 'viewer'));
    await setQuota(groupAdmin, subsidiary.id, { requestsPerMinute: 4 });
    const me = (headers: Record<string, string>, remoteAddress = '192.0.2.10') =>
      t.app.inject({ method: 'GET', url: '/api/v1/me', headers, remoteAddress });
    for (let i = 0; i < 2; i += 1) expect((await me(admin)).statusCode).toBe(200);
    expect((await me(other, '192.0.2.99')).statusCode).toBe(200);
    const fourth = await me(other, '192.0.2.98');
    expect(fourth.statusCode).toBe(200);
    expect(fourth.headers['ratelimit-remaining']).toBe('0');
    const refused = await me(admin, '203.0.113.5');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      error: { code: 'rate_limited', details: { reason: 'requests_per_minute', limit: 4 } },
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    // Another company from the same address is not affected.
    expect((await me(neighbour, '203.0.113.5')).statusCode).toBe(200);
  });

  it('refuses uploads past the storage cap with 413 quota_exceeded and keeps what is stored', async () => {
    const { subsidiary, groupAdmin, admin } = await group();
    await setQuota(groupAdmin, subsidiary.id, { storageMb: 4096 / 1024 / 1024 });
    const first = multipartBody(admin, [
      { name: 'file', fileName: 'a.md', content: `# A\n\n${'経費は30日以内。'.repeat(40)}` },
    ]);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/documents', ...first });
    expect(ok.statusCode, ok.body).toBe(201);
    const second = multipartBody(admin, [
      { name: 'file', fileName: 'b.md', content: `# B\n\n${'出張旅費の規程。'.repeat(200)}` },
    ]);
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/documents', ...second });
    expect(refused.statusCode).toBe(413);
    expect(errorCode(refused)).toBe('quota_exceeded');
    expect(refused.json()).toMatchObject({ error: { details: { reason: 'storage', limitBytes: 4096 } } });
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/storage quota is 0\.0 MB/);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/documents', headers: admin });
    expect(listed.json()).toMatchObject({ total: 1, documents: [{ title: 'a', status: 'indexed' }] });
  });

  it('records files an ingestion cannot fit as failed (quota_exceeded); an indexed version stays searchable', async () => {
    const { subsidiary, groupAdmin } = await group();
    const ingest = await t.connectors.ingest();
    const source = await t.connectors.sources.uploadSource(subsidiary.id);
    const identity = (name: string, size: number) => ({
      sourceId: source.id,
      externalId: `file:${name}`,
      title: name,
      uri: `upload://${name}`,
      sizeBytes: size,
      modifiedAt: null,
      acl: ['everyone'],
    });
    const small = Buffer.from('# 規程\n\n申請は30日以内。');
    expect((await ingest.ingest(subsidiary.id, identity('rule.md', small.length), small)).status).toBe(
      'indexed',
    );
    await setQuota(groupAdmin, subsidiary.id, { storageMb: (small.length + 10) / 1024 / 1024 });
    const big = Buffer.from(`# 規程\n\n${'申請は30日以内。'.repeat(100)}`);
    const grown = await ingest.ingest(subsidiary.id, identity('rule.md', big.length), big);
    expect(grown).toMatchObject({ status: 'failed', code: 'quota_exceeded' });
    expect(grown.document).toMatchObject({ status: 'indexed', errorCode: 'quota_exceeded', chunkCount: 1 });
    const fresh = await ingest.ingest(subsidiary.id, identity(`new-${randomUUID()}.md`, big.length), big);
    expect(fresh).toMatchObject({ status: 'failed', code: 'quota_exceeded', document: { status: 'failed' } });
  });
});
