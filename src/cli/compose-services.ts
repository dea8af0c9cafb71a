import type { KuraConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import type { Logger } from '../platform/log/logger.js';
import type { KeyProvider } from '../platform/crypto/key-provider.js';
import { createKeyring } from '../platform/crypto/create-keyring.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { createTenancy, type Tenancy } from '../tenancy/tenancy-module.js';
import { CompanyRepository } from '../tenancy/companies/company-repository.js';
import { createKnowledge, type Knowledge } from '../ingest/knowledge-module.js';
import { createConnectors, type Connectors } from '../connectors/connectors-module.js';
import { JobRunner } from '../ingest/jobs/job-runner.js';
import {
  createAuditGovernance,
  createModelGovernance,
  type Governance,
} from '../governance/governance-module.js';
import { createAssistant, type Assistant } from '../assistant/assistant-module.js';
import { createAnalytics, type Analytics } from '../analytics/analytics-module.js';
import type { AuditLog } from '../governance/audit/audit-log.js';
import { UsageReportService } from '../governance/chargeback/usage-report.js';
import { loadPriceTable } from '../governance/chargeback/price-table.js';
import { KeyRotationService } from '../governance/secrets/key-rotation-service.js';
import { CompanyShredder } from '../governance/shredding/company-shredder.js';
import type { ModelGovernanceOptions } from '../governance/model-governance-module.js';
import { selectEngine } from '../assistant/engine/engine-selector.js';
import { meterLocalAnswers } from '../governance/metering/metered-local-engine.js';
import { dataQuestionsOver } from '../assistant/data-questions.js';
import { ConversationPseudonyms } from '../assistant/conversations/conversation-pseudonyms.js';
import { EMBED_JOB, embedDedupeKey } from '../search/vectors/search-jobs.js';
import { ROLLUP_JOB, rollupDedupeKey } from '../analytics/rollups/rollup-jobs.js';
import { createAnalysisResources, type AnalysisResources } from './analysis-resources.js';

export interface Services {
  keyring: Keyring;
  /** `kura keys rotate`: re-wraps data keys under a new master key, or rotates a data key. */
  keys: KeyRotationService;
  /** Group chargeback: usage, cost in JPY (KURA_PRICES_FILE), documents, storage per company. */
  usage: UsageReportService;
  tenancy: Tenancy;
  knowledge: Knowledge;
  /** Residency, egress guard, providers, gateway, metering; audit log and quotas. */
  governance: Governance;
  /** Sources, syncs, documents and uploads (the ingestion pillar). */
  connectors: Connectors;
  /** The job queue; `kura worker` and embedded `kura serve` also run its worker. */
  jobs: JobRunner;
  /** Conversations and answers: generative through the gateway when a provider is registered, else extractive. */
  assistant: Assistant;
  /** Semantic models and questions on the companies' databases. */
  analytics: Analytics;
}

export interface ComposeOptions {
  /** Jobs at once and whether the worker runs in this process (embedded serve). */
  jobs: { concurrency: number; embedded: boolean };
  /** Tests shorten the gateway's breaker and retry delays. */
  gateway?: Partial<Omit<ModelGovernanceOptions, 'llm'>>;
  /** The process's dictionary and preparation threads, when made before the database (openRuntime). */
  analysis?: AnalysisResources;
}

/**
 * Builds every service over one database, in the order their dependencies need: the key ring, the
 * model governance (tenancy gives each new company its residency preset), tenancy, knowledge, the
 * audit and quota half of governance (it reads users and sessions), connectors, jobs, assistant,
 * analytics. The runtime and the test applications share it, so a test runs the same wiring as the product.
 */
export function composeServices(
  db: Database,
  config: KuraConfig,
  logger: Logger,
  keyProvider: KeyProvider,
  options: ComposeOptions,
): Services {
  const keyring = createKeyring(db, keyProvider);
  const { dictionary, tokenizer, preparation } = options.analysis ?? createAnalysisResources(config);
  // The audit log needs tenancy, which needs model governance: the gateway reaches it by a getter.
  const late: { audit?: AuditLog } = {};
  const shredder = new CompanyShredder(db, keyring, logger);
  const models = createModelGovernance(db, keyring, new CompanyRepository(db), {
    llm: config.llm,
    tokenizer,
    audit: () => late.audit,
    logger,
    ...options.gateway,
  });
  const tenancy = createTenancy(db, {
    sessionTtlMs: config.sessionTtlMs,
    login: config.login,
    keyring,
    onCompanyCreated: (company) => models.residency.applyPreset(company),
    onCompanyRemoved: (company) => shredder.shred(company.id),
  });
  const knowledge = createKnowledge(db, {
    logger,
    searchEngine: config.searchEngine,
    keyring,
    dictionary,
    embeddings: { gateway: models.gateway, providers: models.providers },
  });
  const governance: Governance = {
    ...models,
    ...createAuditGovernance(db, tenancy, { auditKey: config.auditKey, dataDir: config.dataDir, logger }),
  };
  late.audit = governance.audit;
  const analytics = createAnalytics(db, knowledge, {
    logger,
    proposeFromUploads: config.proposeModelFromUploads,
    rollups: config.analyticsRollups,
  });
  const connectors = createConnectors(db, knowledge, tenancy, config, {
    storage: governance.quotas,
    tables: analytics.tables,
    preparation: preparation ?? null,
  });
  const jobs = new JobRunner(
    db,
    connectors,
    logger,
    options.jobs,
    knowledge.vectors?.indexer,
    analytics.service,
  );
  analytics.rollups.attachQueue(async (tenantId) => {
    await jobs.enqueue(ROLLUP_JOB, { tenantId }, { tenantId, dedupeKey: rollupDedupeKey(tenantId) });
  });
  knowledge.vectors?.indexer.attachQueue(async (tenantId) => {
    await jobs.enqueue(EMBED_JOB, { tenantId }, { tenantId, dedupeKey: embedDedupeKey(tenantId) });
  });
  const assistant = createAssistant(db, knowledge, {
    // Extractive answers are metered as the ¥0 local model `kura/extractive` (usage report).
    engine: meterLocalAnswers(selectEngine(models.gateway, models.providers), models.usage),
    pseudonyms: new ConversationPseudonyms(db, keyring),
    data: dataQuestionsOver(analytics),
  });
  const keys = new KeyRotationService(db, keyring, keyProvider, {
    dataDir: config.dataDir,
    masterKeyFromEnv: config.masterKey !== undefined,
  });
  const usage = new UsageReportService(
    db,
    tenancy.repos.groups,
    tenancy.repos.companies,
    loadPriceTable(config.pricesFile),
  );
  return { keyring, keys, usage, tenancy, knowledge, governance, connectors, jobs, assistant, analytics };
}
