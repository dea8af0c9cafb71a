import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import type { ZodApp } from '../../src/api/route-types.js';
import { composeServices } from '../../src/cli/compose-services.js';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';
import { loadConfig } from '../../src/platform/config/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/log/logger.js';
import type { Tenancy } from '../../src/tenancy/tenancy-module.js';
import { cookieHeaders, postLogin, registeredRoutes, seedUser, signIn } from '../api/http-helpers.js';
import { sharedAnalyzer } from '../helpers/connectors-harness.js';
import { bearer, createApiKey, createCompany, TEST_PASSWORD } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestDatabase } from '../helpers/test-database.js';

const PUBLIC_ROUTE = /^(?:GET|HEAD|POST) \/api\/v1\/(?:auth\/.*|openapi\.json)$/;

/**
 * Checks a security reviewer runs against the real application (embedded database): what the logs
 * keep, which routes answer without credentials, where uploaded file names can reach.
 */
describe('security checks', () => {
  const logLines: string[] = [];
  let db: Database;
  let tenancy: Tenancy;
  let app: ZodApp;
  let closeAll: () => Promise<void>;

  beforeAll(async () => {
    // Everything the server logs, at the most verbose level, captured line by line.
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger('trace', capture);
    const config = loadConfig({
      KURA_DATA_DIR: '/nonexistent-kura-test',
      KURA_AUDIT_KEY: 'security-test-audit-key-0123456789abcdef',
    });
    db = await createTestDatabase('pglite');
    const services = composeServices(db, config, logger, new LocalKeyProvider(randomBytes(32)), {
      jobs: { concurrency: 1, embedded: false },
    });
    tenancy = services.tenancy;
    services.knowledge.analyzer = sharedAnalyzer;
    app = await buildApp({ config, db, logger, ...services });
    await app.ready();
    closeAll = async () => {
      await app.close();
      await tenancy.authenticator.flushUse();
      await db.close();
    };
  });
  afterAll(() => closeAll());

  it('never writes passwords, API keys, session tokens or source credentials to the log', async () => {
    const company = await createCompany(tenancy);
    const admin = await seedUser(tenancy, company.id, 'admin');
    const secrets: string[] = [TEST_PASSWORD];

    const session = await signIn(app, company.slug, admin.email);
    secrets.push(session.token, session.csrfToken);
    const wrong = `Wrong-${randomBytes(8).toString('hex')}`;
    secrets.push(wrong);
    expect((await postLogin(app, company.slug, admin.email, { password: wrong })).statusCode).toBe(401);

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: cookieHeaders(session),
      payload: { name: 'integration', role: 'admin' },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json<{ key: string }>().key;
    secrets.push(key);

    const dbPassword = `Pg-${randomBytes(8).toString('hex')}`;
    const urlPassword = `Url-${randomBytes(8).toString('hex')}`;
    secrets.push(dbPassword, urlPassword);
    // The test server trusts local connections: the passwords are stored, never checked, never shown.
    const server = new URL(inject('postgresUrl'));
    const withPassword = new URL(server);
    withPassword.password = urlPassword;
    for (const payload of [
      {
        kind: 'postgres',
        name: 'erp',
        settings: { url: server.toString(), tables: [] },
        password: dbPassword,
      },
      { kind: 'postgres', name: 'crm', settings: { url: withPassword.toString(), tables: [] } },
      // Unreachable: the error names the server, masks the password.
      {
        kind: 'postgres',
        name: 'gone',
        settings: { url: `postgres://kura:${urlPassword}@db.invalid:5432/x`, tables: [] },
      },
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: bearer(key),
        payload,
      });
      expect(response.statusCode, response.body).toBe(payload.name === 'gone' ? 400 : 201);
      expect(response.body).not.toContain(dbPassword);
      expect(response.body).not.toContain(urlPassword);
    }
    // A request that fails inside (the SSO callback without its flow) also logs.
    await app.inject({ method: 'GET', url: `/api/v1/auth/sso/callback?code=${key}&state=x` });
    // A bearer key that is wrong, and a good key used in a query string.
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(`${key}x`) });

    expect(
      logLines.length,
      'the checks above produced no log line at all: the capture is broken',
    ).toBeGreaterThan(0);
    const all = logLines.join('\n');
    for (const secret of secrets) expect(all, `a secret reached the log`).not.toContain(secret);
    // Nor the audit log.
    const audit = await db.owner((tx) =>
      tx.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_events a'),
    );
    const stored = audit.map((r) => r.row).join('\n');
    expect(stored.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(stored, 'a secret reached the audit log').not.toContain(secret);
  });

  it('refuses every authenticated /api/v1 route to a caller without valid credentials (401)', async () => {
    const company = await createCompany(tenancy);
    const revoked = await tenancy.apiKeys.create(
      { kind: 'operator', id: '', role: 'operator', tenantId: null, groupId: null },
      company.id,
      { role: 'admin' },
    );
    await tenancy.apiKeys.revoke(
      { kind: 'operator', id: '', role: 'operator', tenantId: null, groupId: null },
      company.id,
      revoked.apiKey.id,
    );
    const routes = [
      ...new Set(
        registeredRoutes(app).filter(
          (r) => / \/api\/v1\//.test(r) && !r.startsWith('HEAD ') && !PUBLIC_ROUTE.test(r),
        ),
      ),
    ];
    expect(routes.length).toBeGreaterThan(20);
    const credentials: [string, Record<string, string>][] = [
      ['none', {}],
      ['a malformed header', { authorization: 'Basic a3VyYTprdXJh' }],
      ['an unknown key', bearer(`kura_${randomBytes(40).toString('base64url')}`)],
      ['a revoked key', bearer(revoked.key)],
      ['a forged session cookie', { cookie: `kura_session=${company.id}.${company.id}.${'A'.repeat(43)}` }],
    ];
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', string];
      const url = pattern.replace(/:[a-zA-Z]+/g, company.id);
      for (const [name, headers] of credentials) {
        const response = await app.inject({
          method,
          url,
          headers,
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        expect(response.statusCode, `${route} with ${name}`).toBe(401);
        expect(response.json<{ error: { code: string } }>().error.code, `${route} with ${name}`).toMatch(
          /^(unauthenticated|invalid_api_key|session_expired)$/,
        );
      }
    }
  });

  it('never lets an uploaded file name choose where anything is written', async () => {
    const company = await createCompany(tenancy);
    const admin = bearer(await createApiKey(tenancy, company.id, 'admin'));
    const marker = `kura-escape-${randomBytes(6).toString('hex')}`;
    const watched = [os.tmpdir(), process.cwd(), path.dirname(process.cwd()), '/tmp'];
    const escaping = fc.oneof(
      fc.constantFrom('../', '..\\', '/', '\\', './', '%2e%2e%2f', '..%2f', '\u0000', '....//'),
      fc.string({ maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(escaping, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('tmp/', 'etc/', ''),
        async (parts, dir) => {
          const fileName = `${parts.join('')}${dir}${marker}.md`;
          const upload = multipartBody(admin, [{ name: 'file', fileName, content: `# ${marker}\n\nbody` }]);
          const response = await app.inject({ method: 'POST', url: '/api/v1/documents', ...upload });
          expect([200, 201]).toContain(response.statusCode);
          const title = response.json<{ results: { document: { title: string } }[] }>().results[0]!.document
            .title;
          expect(title.includes('\u0000') || /[/\\]/.test(title)).toBe(false);
          for (const folder of watched) {
            expect(
              readdirSync(folder).filter((name) => name.includes(marker)),
              `${fileName} reached ${folder}`,
            ).toEqual([]);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
