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
import { createGovernance, type Governance } from '../../src/governance/governance-module.js';

export interface TestApp {
  app: ZodApp;
  db: Database;
  tenancy: Tenancy;
  knowledge: Knowledge;
  connectors: Connectors;
  /** The job queue; no worker runs: drain it with a JobWorker over jobs.repository and jobs.catalog. */
  jobs: JobRunner;
  /** Audit log and quotas (audit key: KURA_AUDIT_KEY of `env`, else a fixed test key). */
  governance: Governance;
  config: KuraConfig;
  close(): Promise<void>;
}

/** The real HTTP application over a fresh database of the given engine (one per test file). */
export async function startTestApp(engine: Engine, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ KURA_DATA_DIR: '/nonexistent-kura-test', ...env });
  const db = await createTestDatabase(engine);
  const tenancy = createTenancy(db, { sessionTtlMs: config.sessionTtlMs, login: config.login });
  const logger = createLogger('silent');
  const knowledge = createKnowledge(db, { logger });
  const governance = createGovernance(db, tenancy, {
    auditKey: config.auditKey ?? 'test-audit-key-0123456789abcdef0123456789',
    dataDir: config.dataDir,
    logger,
  });
  const connectors = createConnectors(db, knowledge, tenancy, config, { storage: governance.quotas });
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
    governance,
    config,
    async close() {
      await app.close();
      await tenancy.authenticator.flushUse();
      await db.close();
    },
  };
}
