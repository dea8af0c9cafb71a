import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../../tenancy/actor.js';
import type { CompanyRole } from '../../../tenancy/roles.js';
import { bearer, createApiKey, createCompany, createUser } from '../../../../test/helpers/factories.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/test-app.js';
import { TestBrowser, walkToRedirect } from '../../../../test/helpers/test-browser.js';
import { startTestIdp, unreachableIssuer, type TestIdp } from '../../../../test/helpers/test-idp.js';

interface MeBody {
  id: string;
  kind: string;
  role: string;
  csrfToken: string | null;
  user: { email: string; name: string } | null;
  company: { id: string; slug: string };
}

const CLIENT_A = { clientId: 'kura-company-a', clientSecret: 'secret-of-company-a-0123456789' };
const CLIENT_B = { clientId: 'kura-company-b', clientSecret: 'secret-of-company-b-0123456789' };

describe('OpenID Connect sign-in per company, against a real OpenID provider', () => {
  let t: TestApp;
  let kura: string;
  let idp: TestIdp;
  let accountSeq = 0;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    kura = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const redirectUris = [`${kura}/api/v1/auth/sso/callback`];
    idp = await startTestIdp([
      { ...CLIENT_A, redirectUris },
      { ...CLIENT_B, redirectUris },
    ]);
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  const isCallback = (url: URL) => url.href.startsWith(`${kura}/api/v1/auth/sso/callback?`);

  /** A person at the IdP; returns their login. */
  function idpAccount(claims: { email?: string; email_verified?: boolean; name?: string } = {}): string {
    const login = `person-${++accountSeq}`;
    idp.accounts.set(login, {
      email: `${login}@corp.example`,
      email_verified: true,
      name: `Person ${accountSeq}`,
      ...claims,
    });
    return login;
  }

  async function ssoCompany(
    client = CLIENT_A,
    defaultRole: CompanyRole = 'viewer',
    clientSecret = client.clientSecret,
  ) {
    const company = await createCompany(t.tenancy);
    await t.tenancy.sso.configure(OPERATOR, company.id, {
      issuer: idp.issuer,
      clientId: client.clientId,
      clientSecret,
      defaultRole,
    });
    return company;
  }

  /** Start → IdP login and consent → the redirect to Kura's callback (not yet followed). */
  async function toCallback(slug: string, login: string, browser = new TestBrowser()) {
    const callback = await walkToRedirect(browser, `${kura}/api/v1/auth/sso/${slug}/start`, isCallback, {
      login,
    });
    return { browser, callback };
  }

  async function finish(browser: TestBrowser, callback: URL | string) {
    const response = await browser.request(callback);
    return {
      status: response.status,
      location: response.headers.get('location'),
      cookies: response.headers.getSetCookie(),
    };
  }

  async function signIn(slug: string, login: string) {
    const { browser, callback } = await toCallback(slug, login);
    return { browser, ...(await finish(browser, callback)) };
  }

  async function me(browser: TestBrowser) {
    const response = await browser.request(`${kura}/api/v1/me`);
    return { status: response.status, body: (await response.json()) as MeBody };
  }

  const sessionCookie = (cookies: string[]) => cookies.find((c) => c.startsWith('kura_session='));

  it('first sign-in creates the user with the default role; the second reuses them', async () => {
    const company = await ssoCompany(CLIENT_A, 'viewer');
    const login = idpAccount({ name: '山田 花子' });

    const first = await signIn(company.slug, login);
    expect(first.status).toBe(302);
    expect(first.location).toBe('/');
    expect(sessionCookie(first.cookies)).toMatch(/HttpOnly/);
    expect(sessionCookie(first.cookies)).toMatch(/SameSite=Strict/);
    const firstMe = await me(first.browser);
    expect(firstMe.status).toBe(200);
    expect(firstMe.body).toMatchObject({
      kind: 'user',
      role: 'viewer',
      user: { email: `${login}@corp.example`, name: '山田 花子' },
      company: { id: company.id, slug: company.slug },
    });

    const second = await signIn(company.slug, login);
    expect(second.location).toBe('/');
    const secondMe = await me(second.browser);
    expect(secondMe.body.id).toBe(firstMe.body.id);

    const users = await t.tenancy.users.list(OPERATOR, company.id);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      email: `${login}@corp.example`,
      role: 'viewer',
      sso: true,
      disabled: false,
    });
    expect(users[0]!.lastLoginAt).not.toBeNull();
  });

  it('start sends the browser to the IdP with PKCE, state and nonce, keeping the flow in a Lax cookie', async () => {
    const company = await ssoCompany();
    const response = await new TestBrowser().request(`${kura}/api/v1/auth/sso/${company.slug}/start`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(idp.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: CLIENT_A.clientId,
      response_type: 'code',
      redirect_uri: `${kura}/api/v1/auth/sso/callback`,
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    for (const param of ['state', 'nonce', 'code_challenge'])
      expect(location.searchParams.get(param)).toMatch(/^[\w-]{20,}$/);
    const flowCookie = response.headers.getSetCookie().find((c) => c.startsWith('kura_sso_flow='));
    expect(flowCookie).toMatch(/SameSite=Lax/);
    expect(flowCookie).toMatch(/HttpOnly/);
    expect(flowCookie).toMatch(/Path=\/api\/v1\/auth\/sso\/callback/);
  });

  it('a company without SSO says enabled: false and has no start', async () => {
    const plain = await createCompany(t.tenancy);
    const configured = await ssoCompany();
    const status = async (slug: string) => (await t.app.inject({ url: `/api/v1/auth/sso/${slug}` })).json();
    expect(await status(plain.slug)).toEqual({ enabled: false });
    expect(await status('no-such-company')).toEqual({ enabled: false });
    expect(await status(configured.slug)).toEqual({ enabled: true });

    const start = await t.app.inject({ url: `/api/v1/auth/sso/${plain.slug}/start` });
    expect(start.statusCode).toBe(404);
    expect(start.json().error.code).toBe('not_found');
    expect((await t.app.inject({ url: '/api/v1/auth/sso/no-such-company/start' })).statusCode).toBe(404);
  });

  it('a tampered state, a missing flow cookie or a replayed callback is refused', async () => {
    const company = await ssoCompany();
    const login = idpAccount();

    const tampered = await toCallback(company.slug, login);
    const url = new URL(tampered.callback);
    url.searchParams.set('state', 'forged-state-value-0123456789abcdef');
    const refused = await finish(tampered.browser, url);
    expect(refused.location).toBe('/?sso_error=sso_state_invalid');
    expect(sessionCookie(refused.cookies)).toBeUndefined();
    expect((await me(tampered.browser)).status).toBe(401);

    const cookieless = await toCallback(company.slug, login);
    const noCookie = await finish(new TestBrowser(), cookieless.callback);
    expect(noCookie.location).toBe('/?sso_error=sso_state_invalid');

    const good = await toCallback(company.slug, login);
    const flowCookie = `kura_sso_flow=${good.browser.cookie('kura_sso_flow')}`;
    expect((await finish(good.browser, good.callback)).location).toBe('/');
    // The same callback replayed with the very same flow cookie finds no flow: each is used once.
    const replay = await fetch(good.callback, { headers: { cookie: flowCookie }, redirect: 'manual' });
    expect(replay.headers.get('location')).toBe('/?sso_error=sso_state_invalid');
    expect(sessionCookie(replay.headers.getSetCookie())).toBeUndefined();
  });

  it('a wrong client secret fails with a clear code', async () => {
    const company = await ssoCompany(CLIENT_A, 'member', 'not-the-secret');
    const result = await signIn(company.slug, idpAccount());
    expect(result.location).toBe('/?sso_error=sso_invalid_client');
    expect(sessionCookie(result.cookies)).toBeUndefined();
  });

  it('a person who cancels at the IdP comes back with sso_idp_error', async () => {
    const company = await ssoCompany();
    const browser = new TestBrowser();
    const callback = await walkToRedirect(
      browser,
      `${kura}/api/v1/auth/sso/${company.slug}/start`,
      isCallback,
      {
        login: idpAccount(),
        abort: true,
      },
    );
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect((await finish(browser, callback)).location).toBe('/?sso_error=sso_idp_error');
  });

  it('a disabled user is refused', async () => {
    const company = await ssoCompany();
    const login = idpAccount();
    const first = await signIn(company.slug, login);
    const { body } = await me(first.browser);
    await t.tenancy.users.update(OPERATOR, company.id, body.id, { disabled: true });

    const again = await signIn(company.slug, login);
    expect(again.location).toBe('/?sso_error=sso_user_disabled');
    expect(sessionCookie(again.cookies)).toBeUndefined();
  });

  it('links an existing password user only when the IdP says the e-mail is verified', async () => {
    const company = await ssoCompany();
    const email = `kenji-${accountSeq}@corp.example`;
    const existing = await createUser(t.tenancy, company.id, 'admin', email);

    const unverified = idpAccount({ email, email_verified: false });
    expect((await signIn(company.slug, unverified)).location).toBe('/?sso_error=sso_email_unverified');

    const verified = idpAccount({ email, email_verified: true });
    const linked = await signIn(company.slug, verified);
    expect(linked.location).toBe('/');
    expect((await me(linked.browser)).body).toMatchObject({
      id: existing.id,
      role: 'admin',
      user: { email },
    });
    expect((await t.tenancy.users.get(OPERATOR, company.id, existing.id)).sso).toBe(true);

    // A second IdP account claiming the same verified address cannot take the linked user over.
    const impostor = idpAccount({ email, email_verified: true });
    expect((await signIn(company.slug, impostor)).location).toBe('/?sso_error=sso_identity_conflict');
  });

  it('refuses an identity without an e-mail address', async () => {
    const company = await ssoCompany();
    const login = `no-mail-${++accountSeq}`;
    idp.accounts.set(login, { name: 'No Mail' });
    expect((await signIn(company.slug, login)).location).toBe('/?sso_error=sso_email_missing');
  });

  it('a flow for company A never yields a session in company B', async () => {
    const a = await ssoCompany(CLIENT_A);
    const b = await ssoCompany(CLIENT_B);
    const login = idpAccount();

    // The same person signs in to each company: two separate users, each session in its own company.
    const inA = await signIn(a.slug, login);
    const inB = await signIn(b.slug, login);
    const meA = (await me(inA.browser)).body;
    const meB = (await me(inB.browser)).body;
    expect(meA.company.id).toBe(a.id);
    expect(meB.company.id).toBe(b.id);
    expect(meA.id).not.toBe(meB.id);

    // A's IdP response delivered to a browser whose pending flow is B's: refused.
    const browser = new TestBrowser();
    const fromA = await walkToRedirect(browser, `${kura}/api/v1/auth/sso/${a.slug}/start`, isCallback, {
      login,
    });
    await browser.request(`${kura}/api/v1/auth/sso/${b.slug}/start`);
    const crossed = await finish(browser, fromA);
    expect(crossed.location).toBe('/?sso_error=sso_state_invalid');
    expect(sessionCookie(crossed.cookies)).toBeUndefined();

    // A's authorization code smuggled into B's flow (with B's state): B's client cannot redeem it.
    const victim = await toCallback(b.slug, login);
    const smuggled = new URL(victim.callback);
    smuggled.searchParams.set('code', (await toCallback(a.slug, login)).callback.searchParams.get('code')!);
    const exchanged = await finish(victim.browser, smuggled);
    expect(exchanged.location).toBe('/?sso_error=sso_token_exchange_failed');
    expect(sessionCookie(exchanged.cookies)).toBeUndefined();
  });

  it('the SSO routes are described in the OpenAPI document', async () => {
    const paths = Object.keys((await t.app.inject({ url: '/api/v1/openapi.json' })).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/sso',
        '/api/v1/auth/sso/{company}',
        '/api/v1/auth/sso/{company}/start',
        '/api/v1/auth/sso/callback',
      ]),
    );
  });

  describe('configuration API', () => {
    const put = (key: string, body: unknown) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/sso', headers: bearer(key), payload: body as object });
    const get = (key: string) => t.app.inject({ url: '/api/v1/sso', headers: bearer(key) });

    it('a company admin sets, reads and removes their SSO; the secret never comes back', async () => {
      const company = await createCompany(t.tenancy);
      const admin = await createApiKey(t.tenancy, company.id, 'admin');
      expect((await get(admin)).statusCode).toBe(404);

      const set = await put(admin, { issuer: idp.issuer, ...CLIENT_A, defaultRole: 'member' });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({
        tenantId: company.id,
        issuer: idp.issuer,
        clientId: CLIENT_A.clientId,
        defaultRole: 'member',
      });
      expect(set.body).not.toContain(CLIENT_A.clientSecret);

      const read = await get(admin);
      expect(read.statusCode).toBe(200);
      expect(read.json()).not.toHaveProperty('clientSecret');
      expect(read.body).not.toContain(CLIENT_A.clientSecret);

      // Changing only the default role keeps the stored secret; a new client needs its own.
      expect(
        (await put(admin, { issuer: idp.issuer, clientId: CLIENT_A.clientId, defaultRole: 'viewer' })).json()
          .defaultRole,
      ).toBe('viewer');
      expect((await signIn(company.slug, idpAccount())).location).toBe('/');
      const newClient = await put(admin, { issuer: idp.issuer, clientId: CLIENT_B.clientId });
      expect(newClient.statusCode).toBe(400);
      expect(newClient.json().error.code).toBe('sso_client_secret_required');

      const removed = await t.app.inject({ method: 'DELETE', url: '/api/v1/sso', headers: bearer(admin) });
      expect(removed.statusCode).toBe(204);
      expect((await get(admin)).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/api/v1/auth/sso/${company.slug}` })).json()).toEqual({
        enabled: false,
      });
    });

    it('an unreachable or non-OpenID issuer is refused with sso_discovery_failed', async () => {
      const company = await createCompany(t.tenancy);
      const admin = await createApiKey(t.tenancy, company.id, 'admin');
      const closed = await put(admin, { issuer: await unreachableIssuer(), ...CLIENT_A });
      expect(closed.statusCode).toBe(400);
      expect(closed.json().error).toMatchObject({
        code: 'sso_discovery_failed',
        message: expect.stringContaining('ECONNREFUSED'),
      });
      expect(closed.body).not.toContain(CLIENT_A.clientSecret);

      const notOidc = await put(admin, { issuer: `${kura}/`, ...CLIENT_A });
      expect(notOidc.json().error.code).toBe('sso_discovery_failed');

      const plainHttp = await put(admin, { issuer: 'http://idp.corp.example/', ...CLIENT_A });
      expect(plainHttp.statusCode).toBe(400);
      expect(plainHttp.json().error.code).toBe('invalid_request');
      expect((await get(admin)).statusCode).toBe(404);
    });

    it('members and viewers cannot read or change it; another company’s admin sees only their own', async () => {
      const a = await ssoCompany(CLIENT_A);
      const b = await ssoCompany(CLIENT_B);
      for (const role of ['member', 'viewer'] as const) {
        const key = await createApiKey(t.tenancy, a.id, role);
        expect((await get(key)).statusCode).toBe(403);
        expect((await put(key, { issuer: idp.issuer, ...CLIENT_B })).statusCode).toBe(403);
        expect(
          (await t.app.inject({ method: 'DELETE', url: '/api/v1/sso', headers: bearer(key) })).statusCode,
        ).toBe(403);
      }
      const adminB = await createApiKey(t.tenancy, b.id, 'admin');
      expect((await get(adminB)).json()).toMatchObject({ tenantId: b.id, clientId: CLIENT_B.clientId });
      expect((await get(await createApiKey(t.tenancy, a.id, 'admin'))).json()).toMatchObject({
        tenantId: a.id,
        clientId: CLIENT_A.clientId,
      });
      expect((await get(adminB)).body).not.toContain(a.id);
    });

    it('a cookie session needs its CSRF token to change SSO', async () => {
      const company = await ssoCompany(CLIENT_A, 'admin');
      const { browser } = await signIn(company.slug, idpAccount());
      const { body } = await me(browser);
      expect(body.role).toBe('admin');
      const cookie = `kura_session=${browser.cookie('kura_session')}`;
      const payload = { issuer: idp.issuer, ...CLIENT_A };
      const withoutToken = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/sso',
        headers: { cookie },
        payload,
      });
      expect(withoutToken.json().error.code).toBe('csrf_failed');
      const withToken = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/sso',
        headers: { cookie, 'x-csrf-token': body.csrfToken! },
        payload,
      });
      expect(withToken.statusCode).toBe(200);
    });
  });
});
