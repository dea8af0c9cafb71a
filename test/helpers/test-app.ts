import { loadConfig, type KuraConfig } from '../../src/platform/config/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { buildApp } from '../../src/api/server.js';
import type { ZodApp } from '../../src/api/route-types.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { createTestDatabase, type Engine } from './test-database.js';

export interface TestApp {
  app: ZodApp;
  db: Database;
  tenancy: Tenancy;
  config: KuraConfig;
  close(): Promise<void>;
}

/** The real HTTP application over a fresh database of the given engine (one per test file). */
export async function startTestApp(engine: Engine, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ KURA_DATA_DIR: '/nonexistent-kura-test', ...env });
  const db = await createTestDatabase(engine);
  const tenancy = createTenancy(db, { sessionTtlMs: config.sessionTtlMs, login: config.login });
  const logger = createLogger('silent');
  const app = await buildApp({ config, db, tenancy, logger });
  await app.ready();
  return {
    app,
    db,
    tenancy,
    config,
    async close() {
      await app.close();
      await tenancy.authenticator.flushUse();
      await db.close();
    },
  };
}
