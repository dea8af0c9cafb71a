import { beforeAll, describe, expect, it } from 'vitest';
import type { Company } from '../../src/tenancy/companies/company-repository.js';
import type { User } from '../../src/tenancy/users/user-repository.js';
import { bearer, createApiKey, createCompany, TEST_PASSWORD } from '../helpers/factories.js';
import type { TestApp } from '../helpers/test-app.js';
import {
  cookieHeaders,
  errorCode,
  postLogin,
  signIn,
  type BrowserSession,
  seedUser,
} from './http-helpers.js';

/** The app these tests run against must be started with KURA_LOGIN_MAX_FAILURES set to this. */
export const MAX_FAILURES = 3;
let address = 0;
/** Each test signs in from its own address, so address-wide throttling of one test never touches another. */
const nextAddress = () => {
  address += 1;
  return `198.51.${Math.floor(address / 250)}.${(address % 250) + 1}`;
};

/** Sign-in, throttling, CSRF and session lifetime; registered by api.test.ts on each engine. */
export function authSuite(testApp: () => TestApp): void {
  describe('sign-in, sessions and CSRF', () => {
    let t: TestApp;
    beforeAll(() => {
      t = testApp();
    });

    /** A company with an admin and a member, both with TEST_PASSWORD. */
    async function seed(): Promise<{ company: Company; admin: User; member: User }> {
      const company = await createCompany(t.tenancy);
      const admin = await seedUser(t.tenancy, company.id, 'admin');
      const member = await seedUser(t.tenancy, company.id, 'member');
      return { company, admin, member };
    }

    const me = (session: BrowserSession) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: `kura_session=${session.token}` },
      });

    describe('sign-in', () => {
      it('a good password sets an HttpOnly, SameSite session cookie and answers the CSRF token', async () => {
        const { company, admin } = await seed();
        const response = await postLogin(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        expect(response.statusCode).toBe(200);
        const cookie = response.cookies.find((c) => c.name === 'kura_session');
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
        expect(cookie?.expires?.getTime()).toBeGreaterThan(Date.now());
        const body = response.json<{ csrfToken: string; expiresAt: string }>();
        expect(body.csrfToken.length).toBeGreaterThanOrEqual(20);
        expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());

        const who = await me({ token: cookie!.value, csrfToken: body.csrfToken });
        expect(who.statusCode).toBe(200);
        expect(who.json()).toMatchObject({
          kind: 'user',
          id: admin.id,
          role: 'admin',
          csrfToken: body.csrfToken,
        });
      });

      it('matches the company and the e-mail address whatever their case and surrounding spaces', async () => {
        const { company, member } = await seed();
        const response = await postLogin(
          t.app,
          ` ${company.slug.toUpperCase()} `,
          ` ${member.email.toUpperCase()}`,
          {
            remoteAddress: nextAddress(),
          },
        );
        expect(response.statusCode).toBe(200);
      });

      it('wrong password, unknown company, unknown e-mail and a disabled user all answer the same 401 invalid_credentials', async () => {
        const { company, admin, member } = await seed();
        await t.tenancy.repos.users.update(company.id, member.id, { disabled: true });
        const remoteAddress = nextAddress();
        const attempts = [
          await postLogin(t.app, company.slug, admin.email, { password: 'wrong password!', remoteAddress }),
          await postLogin(t.app, 'no-such-company', admin.email, { remoteAddress }),
          await postLogin(t.app, company.slug, 'nobody@example.com', { remoteAddress }),
          await postLogin(t.app, company.slug, member.email, { remoteAddress }),
        ];
        const first = attempts[0]!;
        expect(first.statusCode).toBe(401);
        expect(first.json()).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
        for (const attempt of attempts) {
          expect(attempt.statusCode).toBe(401);
          expect(attempt.body).toBe(first.body);
          expect(attempt.cookies).toEqual([]);
        }
      });

      it('a sign-in with a missing field is a 400 invalid_request, not a failed attempt', async () => {
        const { company } = await seed();
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { company: company.slug, password: TEST_PASSWORD },
          remoteAddress: nextAddress(),
        });
        expect(response.statusCode).toBe(400);
        expect(errorCode(response)).toBe('invalid_request');
        expect(response.json<{ error: { message: string } }>().error.message).toMatch(/email/);
      });
    });

    describe('brute-force throttling', () => {
      it(`after ${MAX_FAILURES} failures the account answers 429 too_many_attempts with Retry-After, even for the right password`, async () => {
        const { company, admin, member } = await seed();
        const remoteAddress = nextAddress();
        for (let i = 0; i < MAX_FAILURES; i++) {
          const failed = await postLogin(t.app, company.slug, admin.email, {
            password: `guess number ${i}`,
            remoteAddress,
          });
          expect(failed.statusCode).toBe(401);
        }
        for (const password of ['another guess', TEST_PASSWORD]) {
          const locked = await postLogin(t.app, company.slug, admin.email, { password, remoteAddress });
          expect(locked.statusCode).toBe(429);
          expect(errorCode(locked)).toBe('too_many_attempts');
          const retryAfter = Number(locked.headers['retry-after']);
          expect(retryAfter).toBeGreaterThan(0);
          expect(retryAfter).toBeLessThanOrEqual(15 * 60);
          expect(locked.cookies).toEqual([]);
        }
        // The lock is the account's, wherever the attempt comes from …
        const elsewhere = await postLogin(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        expect(elsewhere.statusCode).toBe(429);
        // … and it does not lock anyone else.
        expect((await postLogin(t.app, company.slug, member.email, { remoteAddress })).statusCode).toBe(200);
      });

      it('colleagues behind one address are not locked out by each other’s typos', async () => {
        const { company, admin, member } = await seed();
        const colleagues = await Promise.all([1, 2, 3].map(() => seedUser(t.tenancy, company.id, 'viewer')));
        const remoteAddress = nextAddress();
        for (const colleague of [admin, ...colleagues]) {
          for (let i = 0; i < MAX_FAILURES - 1; i++) {
            const typo = await postLogin(t.app, company.slug, colleague.email, {
              password: 'typo typo typo',
              remoteAddress,
            });
            expect(typo.statusCode).toBe(401);
          }
        }
        expect((await postLogin(t.app, company.slug, member.email, { remoteAddress })).statusCode).toBe(200);
      });

      it('a successful sign-in clears the account’s failures', async () => {
        const { company, admin } = await seed();
        const remoteAddress = nextAddress();
        for (let round = 0; round < 2; round++) {
          for (let i = 0; i < MAX_FAILURES - 1; i++) {
            expect(
              (await postLogin(t.app, company.slug, admin.email, { password: 'nope nope', remoteAddress }))
                .statusCode,
            ).toBe(401);
          }
          expect((await postLogin(t.app, company.slug, admin.email, { remoteAddress })).statusCode).toBe(200);
        }
      });
    });

    describe('CSRF', () => {
      it('a cookie-authenticated POST, PATCH or DELETE without or with a wrong X-CSRF-Token is refused with 403 csrf_failed', async () => {
        const { company, admin, member } = await seed();
        const session = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        const adminKey = await createApiKey(t.tenancy, company.id, 'admin');
        const keyId = (
          await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(adminKey) })
        ).json<{
          apiKeys: Array<{ id: string }>;
        }>().apiKeys[0]!.id;
        const requests = [
          { method: 'POST' as const, url: '/api/v1/api-keys', payload: { name: 'csrf probe' } },
          {
            method: 'PATCH' as const,
            url: `/api/v1/users/${member.id}`,
            payload: { name: 'Renamed by CSRF' },
          },
          { method: 'DELETE' as const, url: `/api/v1/api-keys/${keyId}` },
        ];
        for (const request of requests) {
          for (const csrf of [undefined, 'wrong-token', '', `${session.csrfToken}x`]) {
            const response = await t.app.inject({
              ...request,
              headers: {
                cookie: `kura_session=${session.token}`,
                ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }),
              },
            });
            expect(response.statusCode, `${request.method} ${request.url} with ${String(csrf)}`).toBe(403);
            expect(errorCode(response)).toBe('csrf_failed');
          }
        }
        // Nothing happened.
        const keys = await t.app.inject({
          method: 'GET',
          url: '/api/v1/api-keys',
          headers: bearer(adminKey),
        });
        expect(keys.json<{ apiKeys: Array<{ name: string; revokedAt: string | null }> }>().apiKeys).toEqual([
          expect.objectContaining({ revokedAt: null }),
        ]);
        expect((await t.tenancy.repos.users.findById(company.id, member.id))?.name).toBe(member.name);

        // With the right token the same requests work.
        const statuses = [];
        for (const request of requests) {
          statuses.push((await t.app.inject({ ...request, headers: cookieHeaders(session) })).statusCode);
        }
        expect(statuses).toEqual([201, 200, 200]);
      });

      it('a GET with the cookie needs no CSRF token', async () => {
        const { company, admin } = await seed();
        const session = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        const response = await t.app.inject({
          method: 'GET',
          url: '/api/v1/users',
          headers: { cookie: `kura_session=${session.token}` },
        });
        expect(response.statusCode).toBe(200);
      });

      it('bearer-key requests need no CSRF token', async () => {
        const { company } = await seed();
        const key = await createApiKey(t.tenancy, company.id, 'admin');
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: bearer(key),
          payload: { name: 'ci' },
        });
        expect(created.statusCode).toBe(201);
        const revoked = await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/api-keys/${created.json<{ apiKey: { id: string } }>().apiKey.id}`,
          headers: bearer(key),
        });
        expect(revoked.statusCode).toBe(200);
      });

      it('one session’s CSRF token does not work for another session', async () => {
        const { company, admin } = await seed();
        const first = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        const second = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: { cookie: `kura_session=${first.token}`, 'x-csrf-token': second.csrfToken },
          payload: {},
        });
        expect(response.statusCode).toBe(403);
        expect(errorCode(response)).toBe('csrf_failed');
      });
    });

    describe('session lifetime', () => {
      it('logout ends the session: the cookie no longer works, and other sessions of the user go on', async () => {
        const { company, admin } = await seed();
        const session = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        const other = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        expect((await me(session)).statusCode).toBe(200);

        const logout = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: cookieHeaders(session),
        });
        expect(logout.statusCode).toBe(204);
        const cleared = logout.cookies.find((c) => c.name === 'kura_session');
        expect(cleared?.value).toBe('');

        const after = await me(session);
        expect(after.statusCode).toBe(401);
        expect(errorCode(after)).toBe('session_expired');
        expect((await me(other)).statusCode).toBe(200);
      });

      it('a request without a cookie is 401 unauthenticated; a forged cookie is 401 session_expired', async () => {
        const none = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
        expect(none.statusCode).toBe(401);
        expect(errorCode(none)).toBe('unauthenticated');
        const { company, admin } = await seed();
        const session = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        const [tenantId, id] = session.token.split('.');
        for (const token of [
          'garbage',
          `${tenantId}.${id}.${'A'.repeat(43)}`,
          `${company.id}.${crypto.randomUUID()}.${'A'.repeat(43)}`,
        ]) {
          const forged = await me({ token, csrfToken: '' });
          expect(forged.statusCode).toBe(401);
          expect(errorCode(forged)).toBe('session_expired');
        }
      });

      it('disabling a user ends their sessions at once', async () => {
        const { company, admin, member } = await seed();
        const adminSession = await signIn(t.app, company.slug, admin.email, { remoteAddress: nextAddress() });
        const memberSession = await signIn(t.app, company.slug, member.email, {
          remoteAddress: nextAddress(),
        });
        expect((await me(memberSession)).statusCode).toBe(200);

        const disabled = await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${member.id}`,
          headers: cookieHeaders(adminSession),
          payload: { disabled: true },
        });
        expect(disabled.statusCode).toBe(200);
        expect(disabled.json()).toMatchObject({ disabled: true });
        expect((await me(memberSession)).statusCode).toBe(401);
        expect(
          (await postLogin(t.app, company.slug, member.email, { remoteAddress: nextAddress() })).statusCode,
        ).toBe(401);

        // Enabled again, the user signs in anew; the old cookie stays dead.
        await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${member.id}`,
          headers: cookieHeaders(adminSession),
          payload: { disabled: false },
        });
        expect((await me(memberSession)).statusCode).toBe(401);
        await signIn(t.app, company.slug, member.email, { remoteAddress: nextAddress() });
      });

      it('changing a user’s role ends their sessions at once; the next sign-in carries the new role', async () => {
        const { company, member } = await seed();
        const adminKey = await createApiKey(t.tenancy, company.id, 'admin');
        const memberSession = await signIn(t.app, company.slug, member.email, {
          remoteAddress: nextAddress(),
        });
        expect((await me(memberSession)).json()).toMatchObject({ role: 'member' });

        const promoted = await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${member.id}`,
          headers: bearer(adminKey),
          payload: { role: 'admin' },
        });
        expect(promoted.statusCode).toBe(200);
        expect((await me(memberSession)).statusCode).toBe(401);
        const again = await signIn(t.app, company.slug, member.email, { remoteAddress: nextAddress() });
        expect((await me(again)).json()).toMatchObject({ role: 'admin' });
        // The admin who was not touched keeps working.
        expect(
          (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(adminKey) })).statusCode,
        ).toBe(200);
      });

      it('deleting a user ends their sessions at once', async () => {
        const { company, member } = await seed();
        const adminKey = await createApiKey(t.tenancy, company.id, 'admin');
        const memberSession = await signIn(t.app, company.slug, member.email, {
          remoteAddress: nextAddress(),
        });
        expect((await me(memberSession)).statusCode).toBe(200);
        const deleted = await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/users/${member.id}`,
          headers: bearer(adminKey),
        });
        expect(deleted.statusCode).toBe(204);
        expect((await me(memberSession)).statusCode).toBe(401);
      });

      it('a password change ends the user’s sessions, and the new password works', async () => {
        const { company, member } = await seed();
        const adminKey = await createApiKey(t.tenancy, company.id, 'admin');
        const memberSession = await signIn(t.app, company.slug, member.email, {
          remoteAddress: nextAddress(),
        });
        const changed = await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${member.id}`,
          headers: bearer(adminKey),
          payload: { password: 'a brand new passphrase' },
        });
        expect(changed.statusCode).toBe(200);
        expect((await me(memberSession)).statusCode).toBe(401);
        expect(
          (await postLogin(t.app, company.slug, member.email, { remoteAddress: nextAddress() })).statusCode,
        ).toBe(401);
        await signIn(t.app, company.slug, member.email, {
          password: 'a brand new passphrase',
          remoteAddress: nextAddress(),
        });
      });
    });
  });
}
