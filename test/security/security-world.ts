import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { buildApp, type SlowClientLimits } from '../../src/api/server.js';
import type { ZodApp } from '../../src/api/route-types.js';
import { composeServices } from '../../src/cli/compose-services.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';
import type { Database } from '../../src/platform/db/database.js';
import { JobWorker } from '../../src/platform/jobs/job-worker.js';
import { createLogger } from '../../src/platform/log/logger.js';
import type { Company } from '../../src/tenancy/companies/company-repository.js';
import { cookieHeaders, seedUser, signIn } from '../api/http-helpers.js';
import { sharedAnalyzer } from '../helpers/connectors-harness.js';
import { bearer, createApiKey, createCompany } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart.js';
import { createTestDatabase } from '../helpers/test-database.js';

/** A company of the security suites: keys, an admin session, and documents carrying its marker. */
export interface Tenant {
  company: Company;
  admin: Record<string, string>;
  member: Record<string, string>;
  /** The admin's browser session (cookie and CSRF token). */
  session: Record<string, string>;
  adminEmail: string;
  /** A word only this company's documents hold (in their titles and text). */
  marker: string;
  documentIds: string[];
}

export interface SecurityWorld {
  app: ZodApp;
  db: Database;
  services: ReturnType<typeof composeServices>;
  a: Tenant;
  b: Tenant;
  /** Runs the queued jobs (folder syncs) to the end. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export const SHARED_WORD = 'securityword';

/** The real application over one in-memory PGlite, with two companies of two documents each. */
export async function startSecurityWorld(
  env: Record<string, string> = {},
  slowClients?: SlowClientLimits,
): Promise<SecurityWorld> {
  const config = loadConfig({
    KURA_DATA_DIR: '/nonexistent-kura-test',
    KURA_AUDIT_KEY: 'security-suite-audit-key-0123456789abcdef',
    ...env,
  });
  const logger = createLogger('silent');
  const db = await createTestDatabase('pglite');
  const services = composeServices(db, config, logger, new LocalKeyProvider(randomBytes(32)), {
    jobs: { concurrency: 1, embedded: false },
  });
  services.knowledge.analyzer = sharedAnalyzer;
  const app = await buildApp({ config, db, logger, ...services, ...(slowClients ? { slowClients } : {}) });
  await app.ready();

  async function tenant(name: string): Promise<Tenant> {
    const company = await createCompany(services.tenancy);
    const admin = bearer(await createApiKey(services.tenancy, company.id, 'admin'));
    const member = bearer(await createApiKey(services.tenancy, company.id, 'member'));
    const user = await seedUser(services.tenancy, company.id, 'admin');
    const session = cookieHeaders(await signIn(app, company.slug, user.email));
    const marker = `${name}${randomBytes(4)
      .toString('hex')
      .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!)}`;
    const documentIds: string[] = [];
    for (const n of [1, 2]) {
      const upload = multipartBody(admin, [
        {
          name: 'file',
          fileName: `${marker}-${n}.md`,
          content: `# ${marker} ${n}\n\n${SHARED_WORD} report ${n} of ${marker}: sales rose.`,
        },
      ]);
      const response = await app.inject({ method: 'POST', url: '/api/v1/documents', ...upload });
      expect(response.statusCode, response.body).toBe(201);
      documentIds.push(response.json<{ results: { document: { id: string } }[] }>().results[0]!.document.id);
    }
    return { company, admin, member, session, adminEmail: user.email, marker, documentIds };
  }

  const a = await tenant('alpha');
  const b = await tenant('bravo');
  return {
    app,
    db,
    services,
    a,
    b,
    async drain() {
      await new JobWorker(services.jobs.repository, services.jobs.catalog, logger, {
        concurrency: 1,
      }).drain();
    },
    async close() {
      await app.close();
      await services.connectors.close();
      await services.tenancy.authenticator.flushUse();
      await db.close();
    },
  };
}
