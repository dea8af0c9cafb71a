import { loadConfig, type KuraConfig } from '../../src/platform/config/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { buildApp } from '../../src/api/server.js';
import type { ZodApp } from '../../src/api/route-types.js';
import type { Tenancy } from '../../src/tenancy/tenancy-module.js';
import type { Knowledge } from '../../src/ingest/knowledge-module.js';
import type { Connectors } from '../../src/connectors/connectors-module.js';
import type { JobRunner } from '../../src/ingest/jobs/job-runner.js';
import { createTestDatabase, type Engine } from './test-database.js';
import { randomBytes } from 'node:crypto';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';
import type { Keyring } from '../../src/platform/crypto/keyring.js';
import type { UsageReportService } from '../../src/governance/chargeback/usage-report.js';
import type { KeyRotationService } from '../../src/governance/secrets/key-rotation-service.js';
import type { Governance } from '../../src/governance/governance-module.js';
import { composeServices } from '../../src/cli/compose-services.js';

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
  /** Master key and data key rotation (`kura keys rotate`). */
  keys: KeyRotationService;
  /** Group chargeback reports. */
  usage: UsageReportService;
  /** Residency, providers, gateway, metering; audit log and quotas (audit key: KURA_AUDIT_KEY of `env`, else a fixed test key). */
  governance: Governance;
  close(): Promise<void>;
}

/** The real HTTP application over a fresh database of the given engine (one per test file). */
export async function startTestApp(engine: Engine, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    KURA_DATA_DIR: '/nonexistent-kura-test',
    KURA_AUDIT_KEY: 'test-audit-key-0123456789abcdef0123456789',
    ...env,
  });
  const db = await createTestDatabase(engine);
  const logger = createLogger('silent');
  const services = composeServices(db, config, logger, new LocalKeyProvider(randomBytes(32)), {
    jobs: { concurrency: 1, embedded: false },
  });
  const { tenancy, connectors } = services;
  const app = await buildApp({ config, db, logger, ...services });
  await app.ready();
  return {
    app,
    db,
    config,
    ...services,
    async close() {
      await app.close();
      await connectors.close();
      await tenancy.authenticator.flushUse();
      await db.close();
    },
  };
}
