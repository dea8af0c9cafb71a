import type { Database } from '../platform/db/database.js';
import type { Knowledge } from '../ingest/knowledge-module.js';
import { AnalyticsService, type AnalyticsLimits } from './service/analytics-service.js';
import { ModelRepository } from './service/model-repository.js';
import type { QueryProposer } from './service/query-proposer.js';
import type { Logger } from '../platform/log/logger.js';
import { RollupBuilder, type RollupBuildOptions } from './rollups/rollup-builder.js';
import { RollupRepository } from './rollups/rollup-repository.js';
import { Rollups } from './rollups/rollups.js';
import { AnalyticsTableSink } from './tables/analytics-table-sink.js';
import { UploadedTableStore } from './tables/uploaded-table-store.js';

/** Rows a result may hold and how long one statement may run, unless the caller says otherwise. */
export const DEFAULT_ANALYTICS_LIMITS: AnalyticsLimits = { maxRows: 10_000, timeoutMs: 30_000 };

/** Wires the data pillar: models stored in Kura's database, queries run in the company's own. */
export function createAnalytics(
  db: Database,
  knowledge: Knowledge,
  options: {
    limits?: AnalyticsLimits;
    now?: () => Date;
    proposer?: QueryProposer;
    logger?: Logger;
    maxUploadedRows?: number;
    /** Propose a model over uploaded sheets when the company has none of its own (default true). */
    proposeFromUploads?: boolean;
    /** Pre-aggregated rollups (KURA_ANALYTICS_ROLLUPS, default on) and how they are built. */
    rollups?: boolean;
    rollupBuild?: RollupBuildOptions;
  } = {},
) {
  const models = new ModelRepository(db);
  const store = new UploadedTableStore(db, options.maxUploadedRows);
  const rollups = new Rollups(
    db,
    new RollupRepository(db),
    new RollupBuilder(db, options.rollupBuild),
    options.rollups ?? true,
    options.logger,
  );
  const service = new AnalyticsService({
    models,
    sources: knowledge.repos.sources,
    limits: options.limits ?? DEFAULT_ANALYTICS_LIMITS,
    ...(options.now ? { now: options.now } : {}),
    ...(options.proposer ? { proposer: options.proposer } : {}),
    uploaded: { db, store },
    rollups,
  });
  /** The ingestion hook (CSV/XLSX sheets → tables of the company). */
  const tables = new AnalyticsTableSink(
    store,
    models,
    service,
    options.logger,
    options.proposeFromUploads ?? true,
  );
  return { models, service, store, tables, rollups };
}

export type Analytics = ReturnType<typeof createAnalytics>;
