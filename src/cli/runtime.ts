import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { openDatabase } from '../platform/db/open-database.js';
import type { Logger } from '../platform/log/logger.js';
import { createTenancy, type Tenancy } from '../tenancy/tenancy-module.js';
import { createKnowledge, type Knowledge } from '../ingest/knowledge-module.js';
import { createConnectors, type Connectors } from '../connectors/connectors-module.js';
import { JobRunner } from '../ingest/jobs/job-runner.js';
import { createAssistant, type Assistant } from '../assistant/assistant-module.js';

/** The composition root: configuration, database and services, opened once per process. */
export interface Runtime {
  config: KuraConfig;
  logger: Logger;
  db: Database;
  tenancy: Tenancy;
  knowledge: Knowledge;
  /** Sources, syncs, documents and uploads (the ingestion pillar). */
  connectors: Connectors;
  /** The job queue; `kura worker` and embedded `kura serve` also run its worker. */
  jobs: JobRunner;
  /** Conversations and answers (the generative engine plugs in here, see createAssistant). */
  assistant: Assistant;
  close(): Promise<void>;
}

export async function openRuntime(config: KuraConfig, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const tenancy = createTenancy(db, { sessionTtlMs: config.sessionTtlMs, login: config.login });
  const knowledge = createKnowledge(db, { logger, searchEngine: config.searchEngine });
  const connectors = createConnectors(db, knowledge, tenancy, config);
  const jobs = new JobRunner(db, connectors, logger, {
    concurrency: config.workerConcurrency,
    embedded: !config.databaseUrl,
  });
  return {
    config,
    logger,
    db,
    tenancy,
    knowledge,
    connectors,
    jobs,
    assistant: createAssistant(db, knowledge),
    async close() {
      await jobs.stopWorker();
      await tenancy.authenticator.flushUse();
      knowledge.lexical.stop();
      await db.close();
    },
  };
}
