import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { IngestTracker } from '../../src/ingest/pipeline/ingest-tracker.js';
import { sealExistingSecrets } from '../../src/governance/secrets/seal-existing-secrets.js';
import { createCompany } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createServerDatabase } from '../helpers/test-database.js';
import { TestBrowser, walkToRedirect } from '../helpers/test-browser.js';
import { startTestIdp, type TestIdp } from '../helpers/test-idp.js';

const CLIENT = { clientId: 'kura-sealed-client', clientSecret: 'sso-client-secret-0123456789abcdef' };
const DB_PASSWORD = 'db-password-4f9c1e77';

/**
 * Credentials at rest: what the database holds is a sealed value (read here from the raw column),
 * and everything that uses the credential — a database sync, an SSO sign-in — still works.
 */
describe('secrets at rest', () => {
  let t: TestApp;
  let idp: TestIdp;
  let kura: string;
  beforeAll(async () => {
    t = await startTestApp('postgres');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    kura = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    idp = await startTestIdp([{ ...CLIENT, redirectUris: [`${kura}/api/v1/auth/sso/callback`] }]);
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  const raw = (sql: string, params: unknown[]) =>
    t.db.owner((tx) => tx.query<Record<string, string>>(sql, params));

  it('a database source password is sealed with the company key, and the source still syncs', async () => {
    const company = await createCompany(t.tenancy);
    const url = new URL(await createServerDatabase());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)`);
    await client.query(`INSERT INTO notes VALUES (1, '封印された資格情報でも同期できる')`);
    await client.end();
    url.password = DB_PASSWORD;
    const source = await t.connectors.sources.create(OPERATOR, company.id, {
      kind: 'postgres',
      name: 'notes-db',
      settings: { url: url.toString(), tables: [{ name: 'notes' }] },
    } as never);
    const [row] = await raw('SELECT secret FROM sources WHERE tenant_id = $1 AND id = $2', [
      company.id,
      source.id,
    ]);
    expect(row!.secret).toMatch(/^kura-sealed:v1:/);
    expect(row!.secret).not.toContain(DB_PASSWORD);
    const everything = JSON.stringify(await raw('SELECT * FROM sources WHERE tenant_id = $1', [company.id]));
    expect(everything).not.toContain(DB_PASSWORD);
    expect(await t.knowledge.repos.sources.findSecret(company.id, source.id)).toContain(DB_PASSWORD);

    const tracker = new IngestTracker();
    await t.connectors.sync.syncSource(company.id, source.id, tracker);
    expect(tracker.summary()).toMatchObject({ failed: 0 });
    expect(tracker.summary().indexed).toBeGreaterThan(0);
  });

  it('the SSO client secret is sealed, and sign-in with it still works', async () => {
    const company = await createCompany(t.tenancy);
    await t.tenancy.sso.configure(OPERATOR, company.id, {
      issuer: idp.issuer,
      ...CLIENT,
      defaultRole: 'member',
    });
    const [row] = await raw('SELECT client_secret FROM sso_configs WHERE tenant_id = $1', [company.id]);
    expect(row!.client_secret).toMatch(/^kura-sealed:v1:/);
    expect(row!.client_secret).not.toContain(CLIENT.clientSecret);

    idp.accounts.set('sealed-person', { email: 'sealed@corp.example', email_verified: true, name: 'Sealed' });
    const browser = new TestBrowser();
    const callback = await walkToRedirect(
      browser,
      `${kura}/api/v1/auth/sso/${company.slug}/start`,
      (u) => u.href.startsWith(`${kura}/api/v1/auth/sso/callback?`),
      { login: 'sealed-person' },
    );
    const response = await browser.request(callback);
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('kura_session='))).toBe(true);
  });

  it('plaintext secrets stored before encryption at rest are sealed by the start-up step', async () => {
    const company = await createCompany(t.tenancy);
    await t.db.tenant(company.id, async (tx) => {
      await tx.query(
        `INSERT INTO sources (tenant_id, id, kind, name, settings, secret) VALUES ($1, gen_random_uuid(), 'postgres', 'legacy', '{}', $2)`,
        [company.id, 'legacy-plaintext-pw'],
      );
      await tx.query(
        `INSERT INTO sso_configs (tenant_id, issuer, client_id, client_secret) VALUES ($1, 'https://idp.example', 'c', $2)`,
        [company.id, 'legacy-client-secret'],
      );
    });
    await t.db.global((tx) => tx.query(`DELETE FROM instance_settings WHERE key = 'secrets_sealed_v1'`));
    expect(await sealExistingSecrets(t.db, t.keyring)).toBeGreaterThanOrEqual(2);
    const sources = await raw(`SELECT id, secret FROM sources WHERE tenant_id = $1 AND name = 'legacy'`, [
      company.id,
    ]);
    const sso = await raw('SELECT client_secret FROM sso_configs WHERE tenant_id = $1', [company.id]);
    expect(sources[0]!.secret).toMatch(/^kura-sealed:v1:/);
    expect(sso[0]!.client_secret).toMatch(/^kura-sealed:v1:/);
    expect(await t.knowledge.repos.sources.findSecret(company.id, sources[0]!.id!)).toBe(
      'legacy-plaintext-pw',
    );
    expect((await t.tenancy.repos.ssoConfigs.find(company.id))?.clientSecret).toBe('legacy-client-secret');
    // Ran once: the next start does not scan again.
    expect(await sealExistingSecrets(t.db, t.keyring)).toBe(0);
  });
});
