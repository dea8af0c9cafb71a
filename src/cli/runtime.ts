import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { openDatabase } from '../platform/db/open-database.js';
import type { Logger } from '../platform/log/logger.js';
import { createTenancy, type Tenancy } from '../tenancy/tenancy-module.js';
import { createKnowledge, type Knowledge } from '../ingest/knowledge-module.js';
import { createConnectors, type Connectors } from '../connectors/connectors-module.js';
import { JobRunner } from '../ingest/jobs/job-runner.js';
import { LocalKeyProvider } from '../platform/crypto/key-provider.js';
import { createKeyring } from '../platform/crypto/create-keyring.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { loadMasterKey } from '../platform/crypto/master-key.js';
import { createGovernance, type Governance } from '../governance/governance-module.js';
import { CompanyRepository } from '../tenancy/companies/company-repository.js';
import { sealExistingSecrets } from '../governance/secrets/seal-existing-secrets.js';

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
  /** Seals credentials at rest (per-company data keys under the master key). */
  keyring: Keyring;
  /** Residency policies, the egress guard, metering, model providers and the model gateway. */
  governance: Governance;
  close(): Promise<void>;
}

export async function openRuntime(config: KuraConfig, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  // A server without its master key must not start at all: it could neither read nor store secrets.
  let masterKey: LocalKeyProvider;
  try {
    masterKey = new LocalKeyProvider(
      loadMasterKey({
        masterKey: config.masterKey,
        dataDir: config.dataDir,
        serverMode: !!config.databaseUrl,
      }),
    );
  } catch (error) {
    await db.close();
    throw error;
  }
  const keyring = createKeyring(db, masterKey);
  // Governance reads companies through its own repository: tenancy calls it when a company is created.
  const governance = createGovernance(db, keyring, new CompanyRepository(db), { llm: config.llm });
  const tenancy = createTenancy(db, {
    sessionTtlMs: config.sessionTtlMs,
    login: config.login,
    keyring,
    onCompanyCreated: (company) => governance.residency.applyPreset(company),
  });
  const sealed = await sealExistingSecrets(db, keyring);
  if (sealed > 0) logger.info({ sealed }, 'sealed credentials stored before encryption at rest');
  const knowledge = createKnowledge(db, { logger, searchEngine: config.searchEngine, keyring });
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
    keyring,
    governance,
    async close() {
      await jobs.stopWorker();
      await connectors.close();
      await tenancy.authenticator.flushUse();
      knowledge.lexical.stop();
      await db.close();
    },
  };
}
