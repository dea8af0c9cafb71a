import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { openDatabase } from '../platform/db/open-database.js';
import type { Logger } from '../platform/log/logger.js';
import { LocalKeyProvider } from '../platform/crypto/key-provider.js';
import { loadMasterKey } from '../platform/crypto/master-key.js';
import { sealExistingSecrets } from '../governance/secrets/seal-existing-secrets.js';
import { createAnalysisResources } from './analysis-resources.js';
import { composeServices, type Services } from './compose-services.js';

/** The composition root: configuration, database and services, opened once per process. */
export interface Runtime extends Services {
  config: KuraConfig;
  logger: Logger;
  db: Database;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /**
   * Start the preparation threads (and so the dictionary's load) at once, while the database
   * opens: for a command about to ingest a folder or sync a source, which would otherwise start
   * them only after its first files (bench: `kura ingest` of 300 files, docs/BENCHMARKS.md).
   */
  startPreparation?: boolean;
  /** Start loading the Japanese dictionary at once, while the database opens: for a search or a question. */
  loadDictionary?: boolean;
}

export async function openRuntime(
  config: KuraConfig,
  logger: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const analysis = createAnalysisResources(config);
  if (options.startPreparation) analysis.preparation?.start();
  // Its failure is the search's to report, when it asks for the dictionary.
  if (options.loadDictionary) analysis.dictionary().catch(() => undefined);
  let db: Database;
  try {
    db = await openDatabase({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      embeddedBuffersMb: config.embeddedBuffersMb,
    });
  } catch (error) {
    await analysis.preparation?.close();
    throw error;
  }
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
    await analysis.preparation?.close();
    await db.close();
    throw error;
  }
  const services = composeServices(db, config, logger, masterKey, {
    jobs: { concurrency: config.workerConcurrency, embedded: !config.databaseUrl },
    analysis,
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
