import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { openDatabase } from '../platform/db/open-database.js';
import type { Logger } from '../platform/log/logger.js';
import { LocalKeyProvider } from '../platform/crypto/key-provider.js';
import { loadMasterKey } from '../platform/crypto/master-key.js';
import { sealExistingSecrets } from '../governance/secrets/seal-existing-secrets.js';
import { composeServices, type Services } from './compose-services.js';

/** The composition root: configuration, database and services, opened once per process. */
export interface Runtime extends Services {
  config: KuraConfig;
  logger: Logger;
  db: Database;
  close(): Promise<void>;
}

export async function openRuntime(config: KuraConfig, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    embeddedBuffersMb: config.embeddedBuffersMb,
  });
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
  const services = composeServices(db, config, logger, masterKey, {
    jobs: { concurrency: config.workerConcurrency, embedded: !config.databaseUrl },
  });
  const sealed = await sealExistingSecrets(db, services.keyring);
  if (sealed > 0) logger.info({ sealed }, 'sealed credentials stored before encryption at rest');
  const { tenancy, knowledge, connectors, jobs } = services;
  return {
    config,
    logger,
    db,
    ...services,
    async close() {
      await jobs.stopWorker();
      await connectors.close();
      await tenancy.authenticator.flushUse();
      knowledge.lexical.stop();
      await db.close();
    },
  };
}
