import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { bearer, createApiKey, createCompany, createGroup, TEST_PASSWORD } from '../helpers/factories.js';
import type { TestApp } from '../helpers/test-app.js';
import {
  cookieHeaders,
  errorCode,
  postLogin,
  randomId,
  registeredRoutes,
  signIn,
  seedUser,
} from './http-helpers.js';

/** The value of one sample of a Prometheus text exposition, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

interface Me {
  kind: string;
  id: string;
  role: string;
  user: { email: string; name: string } | null;
  company: { id: string; slug: string; name: string; region: string; sector: string };
  group: { id: string; slug: string; name: string } | null;
  csrfToken: string | null;
}

/** What a client of the REST resources relies on; registered by api.test.ts on each engine. */
export function resourcesSuite(testApp: () => TestApp): void {
  describe('REST resources, system routes and errors', () => {
    let t: TestApp;
    beforeAll(() => {
      t = testApp();
    });

    const get = (url: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url, headers });
    const send = (
      method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      payload?: unknown,
    ) =>
      t.app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    /** A group with a holding company whose group admin is signed in. */
    async function holding() {
      const group = await createGroup(t.tenancy);
      const company = await createCompany(t.tenancy, { groupId: group.id });
      const groupAdmin = await seedUser(t.tenancy, company.id, 'group_admin');
      const session = await signIn(t.app, company.slug, groupAdmin.email);
      return { group, company, groupAdmin, session, headers: cookieHeaders(session) };
    }

    describe('GET /api/v1/me', () => {
      it('describes a signed-in user: kind, role, the user, the company and the CSRF token', async () => {
        const company = await createCompany(t.tenancy, { sector: 'finance', region: 'jp-west' });
        const user = await seedUser(t.tenancy, company.id, 'viewer');
        const session = await signIn(t.app, company.slug, user.email);
        const response = await get('/api/v1/me', { cookie: `kura_session=${session.token}` });
        expect(response.statusCode).toBe(200);
        expect(response.json<Me>()).toEqual({
          kind: 'user',
          id: user.id,
          role: 'viewer',
          user: { email: user.email, name: user.name },
          company: {
            id: company.id,
            slug: company.slug,
            name: company.name,
            region: 'jp-west',
            sector: 'finance',
          },
          group: null,
          csrfToken: session.csrfToken,
        });
      });

      it('describes an API key: kind api_key, the key id and role, no user and no CSRF token', async () => {
        const company = await createCompany(t.tenancy);
        const created = await t.tenancy.apiKeys.create(OPERATOR, company.id, {
          role: 'viewer',
          name: 'reporting',
        });
        const response = await get('/api/v1/me', bearer(created.key));
        expect(response.statusCode).toBe(200);
        expect(response.json<Me>()).toEqual({
          kind: 'api_key',
          id: created.apiKey.id,
          role: 'viewer',
          user: null,
          company: {
            id: company.id,
            slug: company.slug,
            name: company.name,
            region: 'jp-east',
            sector: 'general',
          },
          group: null,
          csrfToken: null,
        });
      });

      it("names the company's group for a group admin", async () => {
        const { group, company, groupAdmin, headers } = await holding();
        const me = (await get('/api/v1/me', headers)).json<Me>();
        expect(me).toMatchObject({
          kind: 'user',
          id: groupAdmin.id,
          role: 'group_admin',
          company: { id: company.id },
          group: { id: group.id, slug: group.slug, name: group.name },
        });
      });
    });

    describe('API keys', () => {
      it('a created key works at once with its role, and is shown in that response only', async () => {
        const company = await createCompany(t.tenancy);
        const admin = await createApiKey(t.tenancy, company.id, 'admin');
        const created = await send('POST', '/api/v1/api-keys', bearer(admin), {
          name: 'nightly export',
          role: 'viewer',
        });
        expect(created.statusCode).toBe(201);
        const body = created.json<{
          apiKey: { id: string; prefix: string; role: string; name: string };
          key: string;
        }>();
        expect(body.apiKey).toMatchObject({ name: 'nightly export', role: 'viewer', revokedAt: null });
        expect(body.key.startsWith(body.apiKey.prefix)).toBe(true);

        const me = await get('/api/v1/me', bearer(body.key));
        expect(me.json<Me>()).toMatchObject({ kind: 'api_key', id: body.apiKey.id, role: 'viewer' });
        const list = await get('/api/v1/api-keys', bearer(admin));
        expect(list.body).not.toContain(body.key);
        expect(list.body).not.toContain(body.key.slice(13));
        expect(list.json<{ apiKeys: Array<{ id: string }> }>().apiKeys.map((k) => k.id)).toContain(
          body.apiKey.id,
        );
      });

      it('a revoked key answers 401 invalid_api_key at once, even right after it was used', async () => {
        const company = await createCompany(t.tenancy);
        const admin = await createApiKey(t.tenancy, company.id, 'admin');
        const victim = await t.tenancy.apiKeys.create(OPERATOR, company.id, { role: 'member' });
        expect((await get('/api/v1/me', bearer(victim.key))).statusCode).toBe(200);

        const revoked = await send('DELETE', `/api/v1/api-keys/${victim.apiKey.id}`, bearer(admin));
        expect(revoked.statusCode).toBe(200);
        expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();

        const after = await get('/api/v1/me', bearer(victim.key));
        expect(after.statusCode).toBe(401);
        expect(after.json()).toEqual({ error: { code: 'invalid_api_key', message: expect.any(String) } });
        // Revoking again is harmless and keeps the first revocation time.
        const again = await send('DELETE', `/api/v1/api-keys/${victim.apiKey.id}`, bearer(admin));
        expect(again.json<{ revokedAt: string }>().revokedAt).toBe(
          revoked.json<{ revokedAt: string }>().revokedAt,
        );
      });

      it('a wrong or malformed key answers 401 with a JSON error', async () => {
        const company = await createCompany(t.tenancy);
        const good = await createApiKey(t.tenancy, company.id, 'admin');
        const wrongSecret = good.slice(0, -6) + (good.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
        for (const authorization of [
          `Bearer ${wrongSecret}`,
          `Bearer ${good.slice(0, -1)}`,
          'Bearer kura_not-a-key',
          'Bearer ',
          'Bearer',
          `Basic ${Buffer.from('user:pass').toString('base64')}`,
          `Bearer ${good} extra`,
          `Token ${good}`,
        ]) {
          const response = await get('/api/v1/me', { authorization });
          expect(response.statusCode, authorization).toBe(401);
          expect(response.headers['content-type']).toMatch(/^application\/json/);
          expect(errorCode(response), authorization).toBe('invalid_api_key');
        }
      });
    });

    describe('roles', () => {
      it('viewers and members cannot create users or keys (403); admins can', async () => {
        const company = await createCompany(t.tenancy);
        const member = await seedUser(t.tenancy, company.id, 'member');
        const memberSession = await signIn(t.app, company.slug, member.email);
        const callers = {
          'viewer key': bearer(await createApiKey(t.tenancy, company.id, 'viewer')),
          'member key': bearer(await createApiKey(t.tenancy, company.id, 'member')),
          'member session': cookieHeaders(memberSession),
        };
        for (const [who, headers] of Object.entries(callers)) {
          const user = await send('POST', '/api/v1/users', headers, {
            email: `new-${randomId()}@example.com`,
          });
          expect(user.statusCode, who).toBe(403);
          expect(errorCode(user)).toBe('forbidden');
          const key = await send('POST', '/api/v1/api-keys', headers, { name: 'escalate', role: 'admin' });
          expect(key.statusCode, who).toBe(403);
          expect((await get('/api/v1/users', headers)).statusCode, who).toBe(403);
          expect((await get('/api/v1/api-keys', headers)).statusCode, who).toBe(403);
        }
        expect((await t.tenancy.repos.users.list(company.id)).map((u) => u.id)).toEqual([member.id]);

        const admin = bearer(await createApiKey(t.tenancy, company.id, 'admin'));
        const user = await send('POST', '/api/v1/users', admin, {
          email: 'Hanako@Example.com',
          name: 'Hanako',
          role: 'viewer',
        });
        expect(user.statusCode).toBe(201);
        const created = user.json<{ user: { email: string; role: string }; generatedPassword: string }>();
        expect(created.user).toMatchObject({
          email: 'hanako@example.com',
          role: 'viewer',
          disabled: false,
          sso: false,
        });
        // No password given: one is generated, shown once, and it signs in.
        expect(created.generatedPassword.length).toBeGreaterThanOrEqual(12);
        await signIn(t.app, company.slug, 'hanako@example.com', { password: created.generatedPassword });
        expect((await send('POST', '/api/v1/api-keys', admin, { role: 'member' })).statusCode).toBe(201);
      });

      it('an e-mail address is unique within a company (409 email_taken) but free in another', async () => {
        const company = await createCompany(t.tenancy);
        const other = await createCompany(t.tenancy);
        const existing = await seedUser(t.tenancy, company.id, 'member');
        const admin = bearer(await createApiKey(t.tenancy, company.id, 'admin'));
        const duplicate = await send('POST', '/api/v1/users', admin, {
          email: existing.email.toUpperCase(),
          password: TEST_PASSWORD,
        });
        expect(duplicate.statusCode).toBe(409);
        expect(errorCode(duplicate)).toBe('email_taken');
        const elsewhere = await send(
          'POST',
          '/api/v1/users',
          bearer(await createApiKey(t.tenancy, other.id, 'admin')),
          {
            email: existing.email,
            password: TEST_PASSWORD,
          },
        );
        expect(elsewhere.statusCode).toBe(201);
      });

      it('a user cannot disable, demote or delete themself', async () => {
        const company = await createCompany(t.tenancy);
        const admin = await seedUser(t.tenancy, company.id, 'admin');
        const session = await signIn(t.app, company.slug, admin.email);
        const headers = cookieHeaders(session);
        const disable = await send('PATCH', `/api/v1/users/${admin.id}`, headers, { disabled: true });
        expect(disable.statusCode).toBe(409);
        expect(errorCode(disable)).toBe('cannot_change_self');
        const demote = await send('PATCH', `/api/v1/users/${admin.id}`, headers, { role: 'viewer' });
        expect(demote.statusCode).toBe(409);
        const remove = await send('DELETE', `/api/v1/users/${admin.id}`, headers);
        expect(remove.statusCode).toBe(409);
        expect(errorCode(remove)).toBe('cannot_delete_self');
        // Still an enabled admin, still signed in; renaming oneself is fine.
        expect(
          (await send('PATCH', `/api/v1/users/${admin.id}`, headers, { name: 'Taro' })).json(),
        ).toMatchObject({
          name: 'Taro',
          role: 'admin',
          disabled: false,
        });
        expect((await get('/api/v1/me', headers)).statusCode).toBe(200);
      });

      it('a company always keeps an enabled admin: the last one cannot be disabled, demoted or deleted (409 last_admin)', async () => {
        const company = await createCompany(t.tenancy);
        const admin = await seedUser(t.tenancy, company.id, 'admin');
        const key = bearer(await createApiKey(t.tenancy, company.id, 'admin'));
        for (const [method, payload] of [
          ['PATCH', { disabled: true }],
          ['PATCH', { role: 'member' }],
          ['DELETE', undefined],
        ] as const) {
          const response = await send(method, `/api/v1/users/${admin.id}`, key, payload);
          expect(response.statusCode, JSON.stringify(payload)).toBe(409);
          expect(errorCode(response)).toBe('last_admin');
        }
        // With a second admin, the first may go.
        await seedUser(t.tenancy, company.id, 'admin');
        expect((await send('PATCH', `/api/v1/users/${admin.id}`, key, { role: 'member' })).statusCode).toBe(
          200,
        );
      });

      it('only a group admin can grant group_admin, or change or delete a group admin', async () => {
        const { company, groupAdmin, headers: groupAdminHeaders } = await holding();
        const admin = await seedUser(t.tenancy, company.id, 'admin');
        const adminHeaders = cookieHeaders(await signIn(t.app, company.slug, admin.email));
        const member = await seedUser(t.tenancy, company.id, 'member');
        const adminKey = bearer(await createApiKey(t.tenancy, company.id, 'admin'));

        for (const headers of [adminHeaders, adminKey]) {
          const create = await send('POST', '/api/v1/users', headers, {
            email: `ga-${randomId()}@example.com`,
            role: 'group_admin',
          });
          expect(create.statusCode).toBe(403);
          expect(
            (await send('PATCH', `/api/v1/users/${member.id}`, headers, { role: 'group_admin' })).statusCode,
          ).toBe(403);
          expect(
            (await send('PATCH', `/api/v1/users/${groupAdmin.id}`, headers, { disabled: true })).statusCode,
          ).toBe(403);
          expect((await send('DELETE', `/api/v1/users/${groupAdmin.id}`, headers)).statusCode).toBe(403);
        }
        expect((await t.tenancy.repos.users.findById(company.id, member.id))?.role).toBe('member');
        expect((await t.tenancy.repos.users.findById(company.id, groupAdmin.id))?.disabled).toBe(false);

        const granted = await send('PATCH', `/api/v1/users/${member.id}`, groupAdminHeaders, {
          role: 'group_admin',
        });
        expect(granted.statusCode).toBe(200);
        expect(granted.json()).toMatchObject({ role: 'group_admin' });
        const created = await send('POST', '/api/v1/users', groupAdminHeaders, {
          email: `ga-${randomId()}@example.com`,
          role: 'group_admin',
          password: TEST_PASSWORD,
        });
        expect(created.statusCode).toBe(201);
      });
    });

    describe('companies', () => {
      it('a group admin creates a company in its group; a duplicate slug (of a company or a group) is 409 slug_taken', async () => {
        const { group, headers } = await holding();
        const slug = `sub-${randomId().slice(0, 8)}`;
        const created = await send('POST', '/api/v1/companies', headers, {
          slug,
          name: 'Subsidiary',
          sector: 'finance',
        });
        expect(created.statusCode).toBe(201);
        expect(created.json()).toMatchObject({
          slug,
          name: 'Subsidiary',
          groupId: group.id,
          region: 'jp-east',
          sector: 'finance',
        });

        for (const taken of [slug, group.slug]) {
          const duplicate = await send('POST', '/api/v1/companies', headers, { slug: taken, name: 'Again' });
          expect(duplicate.statusCode).toBe(409);
          expect(errorCode(duplicate)).toBe('slug_taken');
        }
      });

      it('simultaneous creations of one slug: one 201, the others 409 slug_taken, never a 500', async () => {
        const { headers } = await holding();
        const slug = `race-${randomId().slice(0, 8)}`;
        const responses = await Promise.all(
          Array.from({ length: 4 }, () => send('POST', '/api/v1/companies', headers, { slug, name: 'Race' })),
        );
        expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
        for (const response of responses.filter((r) => r.statusCode === 409))
          expect(errorCode(response)).toBe('slug_taken');
      });

      it('company admins and members cannot create companies (403)', async () => {
        const company = await createCompany(t.tenancy);
        for (const role of ['admin', 'member', 'viewer'] as const) {
          const response = await send(
            'POST',
            '/api/v1/companies',
            bearer(await createApiKey(t.tenancy, company.id, role)),
            {
              slug: `x-${randomId().slice(0, 8)}`,
              name: 'Nope',
            },
          );
          expect(response.statusCode, role).toBe(403);
        }
      });

      it('a group admin of a company outside any group cannot create companies', async () => {
        const company = await createCompany(t.tenancy);
        const lone = await seedUser(t.tenancy, company.id, 'group_admin');
        const headers = cookieHeaders(await signIn(t.app, company.slug, lone.email));
        const slug = `orphan-${randomId().slice(0, 8)}`;
        const response = await send('POST', '/api/v1/companies', headers, { slug, name: 'Orphan' });
        expect(response.statusCode).toBe(403);
        expect(await t.tenancy.repos.companies.findBySlug(slug)).toBeUndefined();
        // Its own company it can still read.
        expect((await get(`/api/v1/companies/${company.id}`, headers)).statusCode).toBe(200);
      });

      it('an admin renames its company; a member cannot (403)', async () => {
        const company = await createCompany(t.tenancy);
        const renamed = await send(
          'PATCH',
          `/api/v1/companies/${company.id}`,
          bearer(await createApiKey(t.tenancy, company.id, 'admin')),
          {
            name: '株式会社テスト',
          },
        );
        expect(renamed.statusCode).toBe(200);
        expect(renamed.json()).toMatchObject({ id: company.id, name: '株式会社テスト', slug: company.slug });
        const member = await send(
          'PATCH',
          `/api/v1/companies/${company.id}`,
          bearer(await createApiKey(t.tenancy, company.id, 'member')),
          {
            name: 'Hijacked',
          },
        );
        expect(member.statusCode).toBe(403);
        expect((await t.tenancy.repos.companies.findById(company.id))?.name).toBe('株式会社テスト');
      });

      it('deleting a company (by its group admin) purges its users, keys and sessions; its credentials stop at once', async () => {
        const { group, headers } = await holding();
        const doomed = await createCompany(t.tenancy, { groupId: group.id });
        const user = await seedUser(t.tenancy, doomed.id, 'admin');
        const session = await signIn(t.app, doomed.slug, user.email);
        const key = await createApiKey(t.tenancy, doomed.id, 'admin');
        // Used once, so both credentials are warm in the authenticator's cache.
        expect((await get('/api/v1/me', bearer(key))).statusCode).toBe(200);
        expect((await get('/api/v1/me', cookieHeaders(session))).statusCode).toBe(200);

        const deleted = await send('DELETE', `/api/v1/companies/${doomed.id}`, headers);
        expect(deleted.statusCode).toBe(204);

        const counts = await t.db.owner((tx) =>
          tx.query<{ users: number; keys: number; sessions: number; tenants: number }>(
            `SELECT (SELECT count(*)::int FROM users WHERE tenant_id = $1) AS users,
                  (SELECT count(*)::int FROM api_keys WHERE tenant_id = $1) AS keys,
                  (SELECT count(*)::int FROM sessions WHERE tenant_id = $1) AS sessions,
                  (SELECT count(*)::int FROM tenants WHERE id = $1) AS tenants`,
            [doomed.id],
          ),
        );
        expect(counts[0]).toEqual({ users: 0, keys: 0, sessions: 0, tenants: 0 });

        const byKey = await get('/api/v1/me', bearer(key));
        expect(byKey.statusCode).toBe(401);
        expect(errorCode(byKey)).toBe('invalid_api_key');
        expect((await get('/api/v1/me', cookieHeaders(session))).statusCode).toBe(401);
        expect((await get(`/api/v1/companies/${doomed.id}`, headers)).statusCode).toBe(404);
        expect((await postLogin(t.app, doomed.slug, user.email)).statusCode).toBe(401);
      });

      it('a company cannot delete itself', async () => {
        const { company, headers } = await holding();
        const self = await send('DELETE', `/api/v1/companies/${company.id}`, headers);
        expect(self.statusCode).toBe(409);
        expect(errorCode(self)).toBe('cannot_delete_self');
        const byAdmin = await send(
          'DELETE',
          `/api/v1/companies/${company.id}`,
          bearer(await createApiKey(t.tenancy, company.id, 'admin')),
        );
        expect(byAdmin.statusCode).toBe(403);
        expect(await t.tenancy.repos.companies.findById(company.id)).toBeDefined();
        expect((await get('/api/v1/me', headers)).statusCode).toBe(200);
      });
    });

    describe('bad input', () => {
      it('malformed JSON is a 400 invalid_request', async () => {
        const company = await createCompany(t.tenancy);
        const admin = await createApiKey(t.tenancy, company.id, 'admin');
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { ...bearer(admin), 'content-type': 'application/json' },
          payload: '{"email": "broken@example.com",',
        });
        expect(response.statusCode).toBe(400);
        expect(errorCode(response)).toBe('invalid_request');
      });

      it('invalid fields are a 400 invalid_request whose message names the field', async () => {
        const { headers } = await holding();
        const cases: Array<[string, string, unknown, string]> = [
          ['POST', '/api/v1/users', { email: 'not-an-email' }, 'email'],
          ['POST', '/api/v1/users', { email: 'ok@example.com', role: 'owner' }, 'role'],
          ['POST', '/api/v1/users', { email: 'ok@example.com', password: 'short' }, 'password'],
          ['POST', '/api/v1/companies', { slug: 'Not A Slug', name: 'X' }, 'slug'],
          ['POST', '/api/v1/companies', { slug: 'fine-slug', name: '' }, 'name'],
          ['POST', '/api/v1/companies', { slug: 'fine-slug', name: 'X', sector: 'casino' }, 'sector'],
          ['POST', '/api/v1/companies', { slug: 'fine-slug', name: 'X', region: 'Tokyo Japan' }, 'region'],
          ['PATCH', `/api/v1/users/not-a-uuid`, { name: 'x' }, 'id'],
          ['POST', '/api/v1/auth/login', { company: 'x', email: 'a@b.c' }, 'password'],
        ];
        for (const [method, url, payload, field] of cases) {
          const response = await send(method as 'POST', url, headers, payload);
          expect(response.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
          const error = response.json<{ error: { code: string; message: string } }>().error;
          expect(error.code).toBe('invalid_request');
          expect(error.message, `${url} ${field}`).toContain(field);
        }
      });
    });

    describe('system routes and protocol-level errors', () => {
      let key: string;
      beforeAll(async () => {
        key = await createApiKey(t.tenancy, (await createCompany(t.tenancy)).id, 'admin');
      });

      it('/healthz is public and names the database engine', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/healthz' });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ status: 'ok', database: t.db.kind });
      });

      it('/api/v1/openapi.json is public and documents every /api/v1 route with its methods', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
        expect(response.statusCode).toBe(200);
        const spec = response.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
        expect(spec.openapi).toMatch(/^3\./);
        const documented = Object.entries(spec.paths)
          .filter(([path]) => path.startsWith('/api/v1/'))
          .flatMap(([path, methods]) =>
            Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
          );
        const registered = registeredRoutes(t.app)
          .filter((r) => / \/api\/v1\//.test(r) && !r.startsWith('HEAD ') && r !== 'GET /api/v1/openapi.json')
          .map((r) => r.replace(/:(\w+)/g, '{$1}'));
        expect(registered).toContain('GET /api/v1/me');
        expect(registered).toContain('DELETE /api/v1/users/{id}');
        expect([...new Set(documented)].sort()).toEqual([...new Set(registered)].sort());
      });

      it('/metrics answers Prometheus text on loopback and counts requests by route and status', async () => {
        // app.inject comes from 127.0.0.1 unless told otherwise.
        const first = await t.app.inject({ method: 'GET', url: '/metrics' });
        expect(first.statusCode).toBe(200);
        expect(first.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(first.body).toContain('# TYPE kura_http_requests_total counter');
        expect(first.body).toContain('# TYPE kura_http_request_duration_seconds histogram');

        const labels = { method: 'GET', route: '/api/v1/me', status: '200' };
        const before = sample(first.body, 'kura_http_requests_total', labels);
        for (let i = 0; i < 3; i++)
          await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(key) });
        await t.app.inject({ method: 'GET', url: '/api/v1/me' });
        const after = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
        expect(sample(after, 'kura_http_requests_total', labels)).toBe(before + 3);
        expect(
          sample(after, 'kura_http_requests_total', { ...labels, status: '401' }),
        ).toBeGreaterThanOrEqual(1);
      });

      it('/metrics is not served to other addresses, nor through a local reverse proxy', async () => {
        for (const remoteAddress of ['203.0.113.7', '10.0.0.1', '::ffff:192.0.2.1']) {
          const response = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
          expect(response.statusCode, remoteAddress).toBe(404);
          expect(response.body).not.toContain('kura_http_requests_total');
        }
        // Nor to the outside world through a reverse proxy on the same machine.
        for (const headers of [
          { 'x-forwarded-for': '203.0.113.7' },
          { forwarded: 'for=203.0.113.7;proto=https' },
        ]) {
          const proxied = await t.app.inject({ method: 'GET', url: '/metrics', headers });
          expect(proxied.statusCode).toBe(404);
        }
      });

      it('metrics label unknown paths as one route, so probing cannot blow up the series count', async () => {
        for (let i = 0; i < 3; i++)
          await t.app.inject({ method: 'GET', url: `/api/v1/nothing-${i}`, headers: bearer(key) });
        const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
        expect(text).not.toContain('nothing-');
      });

      it('an unknown route answers 404 JSON not_found, with or without credentials, whatever the method', async () => {
        for (const headers of [{}, bearer(key)]) {
          for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const) {
            for (const url of ['/api/v1/no-such-thing', '/api/v2/me', '/v1/unknown']) {
              const response = await t.app.inject({ method, url, headers });
              expect(response.statusCode, `${method} ${url}`).toBe(404);
              expect(response.headers['content-type']).toMatch(/^application\/json/);
              expect(errorCode(response)).toBe('not_found');
            }
          }
        }
      });

      it('a known path with an unsupported method is not served', async () => {
        const response = await t.app.inject({ method: 'PUT', url: '/api/v1/me', headers: bearer(key) });
        expect(response.statusCode).toBe(404);
        expect(errorCode(response)).toBe('not_found');
      });

      it('malformed JSON is a 400 invalid_request in JSON', async () => {
        for (const payload of ['{"name":', 'not json', '[1,2', '']) {
          const response = await t.app.inject({
            method: 'POST',
            url: '/api/v1/api-keys',
            headers: { ...bearer(key), 'content-type': 'application/json' },
            payload,
          });
          expect(response.statusCode, payload).toBe(400);
          expect(errorCode(response)).toBe('invalid_request');
        }
      });

      it('a form body is 415 unsupported_media_type, plain text 400; a huge body is 413 payload_too_large', async () => {
        const form = await t.app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: { ...bearer(key), 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'name=x',
        });
        expect(form.statusCode).toBe(415);
        expect(errorCode(form)).toBe('unsupported_media_type');
        const text = await t.app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: { ...bearer(key), 'content-type': 'text/plain' },
          payload: 'name=x',
        });
        expect(text.statusCode).toBe(400);
        expect(errorCode(text)).toBe('invalid_request');
        const huge = await t.app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: { ...bearer(key), 'content-type': 'application/json' },
          payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
        });
        expect(huge.statusCode).toBe(413);
        expect(errorCode(huge)).toBe('payload_too_large');
      });

      it('errors carry security headers and never a stack trace', async () => {
        const response = await t.app.inject({
          method: 'GET',
          url: '/api/v1/users/not-a-uuid',
          headers: bearer(key),
        });
        expect(response.statusCode).toBe(400);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.body).not.toMatch(/at .+\.ts:\d+/);
      });
    });
  });
}
