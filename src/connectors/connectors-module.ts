import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import type { Knowledge } from '../ingest/knowledge-module.js';
import { DocumentQueryRepository } from '../ingest/pipeline/document-query-repository.js';
import { DocumentService } from '../ingest/pipeline/document-service.js';
import { IngestService, type StorageAdmission, type TableSink } from '../ingest/pipeline/ingest-service.js';
import { inlinePreparer, lazyPreparer } from '../ingest/pipeline/prepare-document.js';
import { AdaptivePreparer } from '../ingest/workers/adaptive-preparer.js';
import { configuredPreparationPool, type PreparationPool } from '../ingest/workers/preparation-pool.js';
import type { Tenancy } from '../tenancy/tenancy-module.js';
import { SourceService } from './source-service.js';
import { SourceSync } from './sync/source-sync.js';
import { SyncStateRepository } from './sync/sync-state-repository.js';

/**
 * Wires sources, syncs and the documents API over the knowledge store. The analyser still loads
 * on first use (through `knowledge.analyzer`), so commands that only list sources never pay for it.
 */
export function createConnectors(
  db: Database,
  knowledge: Knowledge,
  tenancy: Tenancy,
  config: Pick<KuraConfig, 'ingest'> & Partial<Pick<KuraConfig, 'workerConcurrency'>>,
  options: {
    storage?: StorageAdmission;
    tables?: TableSink;
    /** The process's preparation threads (null: none); by default, made here from the configuration. */
    preparation?: PreparationPool | null;
  } = {},
) {
  const state = new SyncStateRepository(db);
  const limits = { maxBytes: config.ingest.maxFileBytes };
  // Parsing and analysis on the preparation threads once a run has enough work; without any
  // (KURA_WORKER_CONCURRENCY 0, some tests), on this thread.
  const threads = config.workerConcurrency ?? 0;
  const pool =
    options.preparation === undefined
      ? configuredPreparationPool(config, knowledge.dictionary)
      : (options.preparation ?? undefined);
  const inline = () => knowledge.analyzer().then((analyzer) => inlinePreparer(analyzer, limits));
  const ingest = new IngestService(
    knowledge.repos.documents,
    pool ? new AdaptivePreparer(pool, inline) : lazyPreparer(inline),
    options.storage,
    options.tables,
  );
  const loadIngest = () => Promise.resolve(ingest);
  const sources = new SourceService(knowledge.repos.sources, knowledge.repos.documents, state, {
    folderRoots: config.ingest.folderRoots,
    companySlug: async (tenantId) => (await tenancy.repos.companies.findById(tenantId))?.slug,
  });
  const sync = new SourceSync({
    sources: knowledge.repos.sources,
    catalog: sources,
    documents: knowledge.repos.documents,
    state,
    ingest: loadIngest,
    findUserId: async (tenantId, email) =>
      (await tenancy.repos.users.findByEmailWithSecret(tenantId, email))?.id,
    maxFileBytes: config.ingest.maxFileBytes,
    // Per thread: up to 8 files queued on it (preparation-pool.ts), the rest being read or written,
    // so group commits fill up (bench:ingest, 32 a thread against 16: 5–7 % faster embedded).
    concurrency: Math.max(4, threads * 32),
    firstLoad: (tenantId, load, building) => knowledge.lexical.firstLoad(tenantId, load, building),
  });
  const documents = new DocumentService({
    documents: knowledge.repos.documents,
    queries: new DocumentQueryRepository(db),
    ingest: loadIngest,
    uploadSource: (tenantId) => sources.uploadSource(tenantId),
  });
  return {
    state,
    sources,
    sync,
    documents,
    ingest: loadIngest,
    /** The preparation threads, when KURA_WORKER_CONCURRENCY gives any. */
    preparation: pool,
    /** Stops the preparation threads. */
    close: async () => pool?.close(),
  };
}

export type Connectors = ReturnType<typeof createConnectors>;
