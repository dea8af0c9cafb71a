import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/governance/audit/audit-event.js';
import { cookieHeaders, postLogin, seedUser, signIn } from '../api/http-helpers.js';
import { sharedAnalyzer } from '../helpers/connectors-harness.js';
import { bearer, createApiKey, createCompany, createGroup } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** What a company admin finds in the audit log after people use Kura over HTTP (embedded database). */
describe('audit events from the API, and GET /api/v1/audit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite');
    t.knowledge.analyzer = sharedAnalyzer;
  });
  afterAll(() => t.close());

  const events = (tenantId: string, action?: string) =>
    t.governance.audit.list(tenantId, { action, limit: 1000 });

  it('records sign-in ok and failed with the user, outcome, address and request id', async () => {
    const company = await createCompany(t.tenancy);
    const user = await seedUser(t.tenancy, company.id, 'member');
    await signIn(t.app, company.slug, user.email, { remoteAddress: '198.51.100.7' });
    const failed = await postLogin(t.app, company.slug, user.email, { password: 'wrong password!!' });
    expect(failed.statusCode).toBe(401);
    const unknown = await postLogin(t.app, company.slug, 'nobody@example.com', {
      password: 'wrong password!!',
    });
    expect(unknown.statusCode).toBe(401);
    const signIns = await events(company.id, 'auth.sign_in');
    expect(signIns).toHaveLength(3);
    expect(signIns[0]).toMatchObject({
      outcome: 'success',
      actor: { kind: 'user', id: user.id },
      ip: '198.51.100.7',
      payload: { method: 'password' },
    });
    expect(signIns[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(signIns[1]).toMatchObject({
      outcome: 'denied',
      actor: { kind: 'user', id: user.id },
      payload: { method: 'password', reason: 'invalid_credentials' },
    });
    expect(signIns[2]).toMatchObject({ outcome: 'denied', actor: { kind: 'anonymous', id: null } });
    // Nothing of the password or the unknown address is kept.
    const stored = JSON.stringify(signIns);
    expect(stored).not.toContain('wrong password');
    expect(stored).not.toContain('nobody@example.com');
  });

  it('records key, user and company changes by their actor, with a caller-supplied request id', async () => {
    const group = await createGroup(t.tenancy);
    const company = await createCompany(t.tenancy, { groupId: group.id });
    const admin = await seedUser(t.tenancy, company.id, 'admin');
    const session = cookieHeaders(await signIn(t.app, company.slug, admin.email));
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { ...session, 'x-request-id': 'ticket-4711' },
      payload: { name: 'CI', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['x-request-id']).toBe('ticket-4711');
    const keyId = created.json<{ apiKey: { id: string } }>().apiKey.id;
    await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${keyId}`, headers: session });
    const member = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: session,
      payload: { email: 'hana@example.com', role: 'member', password: 'a long enough password' },
    });
    const memberId = member.json<{ user: { id: string } }>().user.id;
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${memberId}`,
      headers: session,
      payload: { role: 'admin' },
    });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${memberId}`, headers: session });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/companies/${company.id}`,
      headers: session,
      payload: { name: 'Renamed' },
    });

    const log = (await events(company.id)).filter((e) => e.action !== 'auth.sign_in');
    expect(log.map((e) => [e.action, e.target?.id ?? null, e.payload])).toEqual([
      ['apikey.created', keyId, { name: 'CI', role: 'viewer' }],
      ['apikey.revoked', keyId, {}],
      ['user.created', memberId, { role: 'member' }],
      ['user.updated', memberId, { role: 'admin' }],
      ['user.deleted', memberId, {}],
      ['company.updated', company.id, { name: true }],
    ]);
    expect(log[0]).toMatchObject({ actor: { kind: 'user', id: admin.id }, requestId: 'ticket-4711' });
    expect(JSON.stringify(log)).not.toContain('a long enough password');
    expect(await t.governance.audit.verify(company.id)).toMatchObject({ ok: true, events: 7 });
  });

  it('keeps search queries only as a keyed hash and a length; documents viewed by id', async () => {
    const company = await createCompany(t.tenancy);
    const admin = bearer(await createApiKey(t.tenancy, company.id, 'admin'));
    const upload = multipartBody(admin, [
      { name: 'file', fileName: 'policy.md', content: '# 経費精算\n\n30日以内に申請する。' },
    ]);
    const uploaded = await t.app.inject({ method: 'POST', url: '/api/v1/documents', ...upload });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const documentId = uploaded.json<{ results: { document: { id: string } }[] }>().results[0]!.document.id;
    await t.app.inject({ method: 'GET', url: `/api/v1/documents/${documentId}`, headers: admin });
    for (const q of ['Salary of Tanaka Taro', 'salary  of  TANAKA taro', 'Ｓａｌａｒｙ of tanaka taro'])
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/search?q=${encodeURIComponent(q)}`,
            headers: admin,
          })
        ).statusCode,
      ).toBe(200);
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${encodeURIComponent('賞与')}`,
      headers: admin,
    });

    const log = await events(company.id);
    expect(log.find((e) => e.action === 'document.uploaded')).toMatchObject({ payload: { files: 1 } });
    expect(log.find((e) => e.action === 'document.viewed')).toMatchObject({
      actor: { kind: 'api_key' },
      target: { type: 'document', id: documentId },
    });
    const searches = log.filter((e) => e.action === 'search.query');
    expect(searches).toHaveLength(4);
    const [first, second, third, other] = searches.map(
      (e) => e.payload as { queryHmac: string; queryLength: number },
    );
    expect(second!.queryHmac).toBe(first!.queryHmac);
    expect(third!.queryHmac).toBe(first!.queryHmac);
    expect(other!.queryHmac).not.toBe(first!.queryHmac);
    expect(first!.queryLength).toBe('salary of tanaka taro'.length);
    const stored = JSON.stringify(log).toLowerCase();
    expect(stored).not.toContain('tanaka');
    expect(stored).not.toContain('賞与');
  });

  it('serves the log to company admins only, with filters and pagination, and exports it', async () => {
    const company = await createCompany(t.tenancy);
    const adminKey = await createApiKey(t.tenancy, company.id, 'admin');
    const admin = bearer(adminKey);
    for (let i = 0; i < 5; i += 1)
      await t.app.inject({ method: 'GET', url: '/api/v1/search?q=x', headers: admin });
    const member = bearer(await createApiKey(t.tenancy, company.id, 'member'));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: member })).statusCode).toBe(
      403,
    );

    const page1 = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=search.query&limit=3',
      headers: admin,
    });
    expect(page1.statusCode, page1.body).toBe(200);
    const body1 = page1.json<{ events: AuditEvent[]; nextAfter: number | null }>();
    expect(body1.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(body1.nextAfter).toBe(3);
    const page2 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit?action=search.*&limit=3&after=${body1.nextAfter}`,
      headers: admin,
    });
    expect(page2.json<{ events: AuditEvent[]; nextAfter: number | null }>()).toMatchObject({
      events: [{ seq: 4 }, { seq: 5 }],
      nextAfter: null,
    });
    const future = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit?since=${new Date(Date.now() + 60_000).toISOString()}`,
      headers: admin,
    });
    expect(future.json<{ events: unknown[] }>().events).toEqual([]);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/audit?since=yesterday', headers: admin });
    expect(bad.statusCode).toBe(400);

    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/export?format=csv&action=search.query',
      headers: admin,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(6);
    const jsonl = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export', headers: admin });
    expect(jsonl.headers['content-type']).toMatch(/ndjson/);
    // The export is itself an audit event, written before the first line goes out: it ends its own file.
    const exported = jsonl.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEvent);
    expect(exported.map((e) => [e.seq, e.action])).toEqual([
      [1, 'search.query'],
      [2, 'search.query'],
      [3, 'search.query'],
      [4, 'search.query'],
      [5, 'search.query'],
      [6, 'audit.read'],
      [7, 'audit.read'],
    ]);
    const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: admin });
    expect(verify.json()).toMatchObject({ ok: true });
  });
});
