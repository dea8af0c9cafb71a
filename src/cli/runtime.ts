import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { openDatabase } from '../platform/db/open-database.js';
import type { Logger } from '../platform/log/logger.js';
import { createTenancy, type Tenancy } from '../tenancy/tenancy-module.js';
import { createKnowledge, type Knowledge } from '../ingest/knowledge-module.js';

/** The composition root: configuration, database and services, opened once per process. */
export interface Runtime {
  config: KuraConfig;
  logger: Logger;
  db: Database;
  tenancy: Tenancy;
  knowledge: Knowledge;
  close(): Promise<void>;
}

export async function openRuntime(config: KuraConfig, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const tenancy = createTenancy(db, { sessionTtlMs: config.sessionTtlMs, login: config.login });
  const knowledge = createKnowledge(db);
  return {
    config,
    logger,
    db,
    tenancy,
    knowledge,
    async close() {
      await tenancy.authenticator.flushUse();
      await db.close();
    },
  };
}
