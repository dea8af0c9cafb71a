import { loadConfig, type KuraConfig } from '../../src/platform/config/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { buildApp } from '../../src/api/server.js';
import type { ZodApp } from '../../src/api/route-types.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { createKnowledge, type Knowledge } from '../../src/ingest/knowledge-module.js';
import { createConnectors, type Connectors } from '../../src/connectors/connectors-module.js';
import { JobRunner } from '../../src/ingest/jobs/job-runner.js';
import { createTestDatabase, type Engine } from './test-database.js';
import { randomBytes } from 'node:crypto';
import { createKeyring } from '../../src/platform/crypto/create-keyring.js';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';
import type { Keyring } from '../../src/platform/crypto/keyring.js';
import { createGovernance, type Governance } from '../../src/governance/governance-module.js';
import { CompanyRepository } from '../../src/tenancy/companies/company-repository.js';

export interface TestApp {
  app: ZodApp;
  db: Database;
  tenancy: Tenancy;
  knowledge: Knowledge;
  connectors: Connectors;
  /** The job queue; no worker runs: drain it with a JobWorker over jobs.repository and jobs.catalog. */
  jobs: JobRunner;
  config: KuraConfig;
  keyring: Keyring;
  governance: Governance;
  close(): Promise<void>;
}

/** The real HTTP application over a fresh database of the given engine (one per test file). */
export async function startTestApp(engine: Engine, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ KURA_DATA_DIR: '/nonexistent-kura-test', ...env });
  const db = await createTestDatabase(engine);
  const keyring = createKeyring(db, new LocalKeyProvider(randomBytes(32)));
  // Governance reads companies through its own repository: tenancy calls it when a company is created.
  const governance = createGovernance(db, keyring, new CompanyRepository(db), { llm: config.llm });
  const tenancy = createTenancy(db, {
    sessionTtlMs: config.sessionTtlMs,
    login: config.login,
    keyring,
    onCompanyCreated: (company) => governance.residency.applyPreset(company),
  });
  const logger = createLogger('silent');
  const knowledge = createKnowledge(db, { logger, keyring });
  const connectors = createConnectors(db, knowledge, tenancy, config);
  const jobs = new JobRunner(db, connectors, logger, { concurrency: 1, embedded: false });
  const app = await buildApp({ config, db, tenancy, logger, knowledge, connectors, jobs, governance });
  await app.ready();
  return {
    app,
    db,
    tenancy,
    knowledge,
    connectors,
    jobs,
    config,
    keyring,
    governance,
    async close() {
      await app.close();
      await connectors.close();
      await tenancy.authenticator.flushUse();
      await db.close();
    },
  };
}
