import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/log/logger.js';
import { KuraExecutor } from '../engine/kura-executor.js';
import type { QueryExecutor, RunLimits } from '../engine/query-executor.js';
import { runSemanticQuery, type QueryResult } from '../engine/run-query.js';
import type { SemanticModel } from '../model/semantic-model.js';
import { resolveQuery, type ResolvedQuery } from '../query/resolve-query.js';
import type { SemanticQuery } from '../query/semantic-query.js';
import type { StoredModel } from '../service/model-repository.js';
import type { BuildProgress, RollupBuilder } from './rollup-builder.js';
import { pickRollup, zeroEmptyCounts } from './rollup-match.js';
import type { RollupEntry, RollupRepository } from './rollup-repository.js';

/** "2026-12-06 17:05 UTC": when the numbers of a rollup were read from the source. */
const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * Pre-aggregated rollups of a company's model: refreshed by the `analytics.rollups.refresh` job
 * (when the model is set and when its database source is synced), and used by the query engine
 * whenever one answers a query exactly. A rollup of another model version, a failed or missing one,
 * or one that fails while read sends the query to the source: never a wrong answer, at worst a
 * slow one. A result from a rollup says so (`from`, `refreshedAt`, a note).
 */
export class Rollups {
  private queue: ((tenantId: string) => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    readonly repository: RollupRepository,
    private readonly builder: RollupBuilder,
    /** KURA_ANALYTICS_ROLLUPS: false turns rollups off for every company. */
    readonly enabled: boolean,
    private readonly logger?: Logger,
  ) {}

  /** The job queue, attached once the jobs exist (they are composed after analytics). */
  attachQueue(enqueue: (tenantId: string) => Promise<void>): void {
    this.queue = enqueue;
  }

  /** Asks for a refresh (a job); without a queue (tests, tools) nothing happens. */
  async requestRefresh(tenantId: string): Promise<void> {
    if (this.enabled && this.queue) await this.queue(tenantId);
  }

  /** On for database sources unless the model says `rollups: false`; uploaded tables only with `rollups: true`. */
  enabledFor(model: SemanticModel, sourceKind: string): boolean {
    return this.enabled && (model.rollups ?? sourceKind !== 'uploaded');
  }

  /** Rebuilds every rollup of the company from its source; a failure leaves a failed entry, no rollup. */
  async refresh(
    tenantId: string,
    stored: StoredModel,
    open: () => Promise<QueryExecutor>,
    progress?: (p: BuildProgress) => Promise<void>,
  ): Promise<RollupEntry[]> {
    let built;
    try {
      const executor = await open();
      try {
        built = await this.builder.build(tenantId, stored.model, stored.version, executor, progress);
      } finally {
        await executor.close();
      }
    } catch (error) {
      const message = `the refresh failed: ${(error as Error).message}`.slice(0, 2000);
      await this.db.owner((tx) =>
        this.repository.replace(
          tenantId,
          [
            {
              id: randomUUID(),
              modelVersion: stored.version,
              fact: '',
              dimensions: [],
              measures: [],
              model: null,
              status: 'failed',
              message,
              rowCount: 0,
              sizeBytes: 0,
              buildMs: 0,
              schema: null,
              table: null,
              filterable: false,
            },
          ],
          tx,
        ),
      );
      throw error;
    }
    await this.db.owner((tx) => this.repository.replace(tenantId, built, tx));
    return this.repository.list(tenantId);
  }

  /** Drops every rollup of the company (rollups turned off for its model). */
  async clear(tenantId: string): Promise<void> {
    await this.db.owner((tx) => this.repository.replace(tenantId, [], tx));
  }

  /** The result from the smallest rollup that answers the query exactly, else undefined (ask the source). */
  async answer(
    tenantId: string,
    stored: StoredModel,
    query: SemanticQuery,
    limits: RunLimits,
  ): Promise<QueryResult | undefined> {
    if (!this.enabled || stored.model.rollups === false) return undefined;
    let resolved: ResolvedQuery;
    try {
      resolved = resolveQuery(stored.model, query);
    } catch {
      return undefined; // the source path says what is wrong with the query
    }
    const rollup = pickRollup(await this.repository.usable(tenantId, stored.version), resolved);
    if (!rollup) return undefined;
    try {
      const result = await runSemanticQuery(rollup.model, query, new KuraExecutor(this.db, tenantId), limits);
      return {
        ...result,
        rows: zeroEmptyCounts(stored.model, resolved, result.rows),
        from: 'rollup',
        refreshedAt: rollup.refreshedAt,
        notes: [...result.notes, `集計テーブル (${stamp(rollup.refreshedAt)} 時点) から`],
      };
    } catch (error) {
      // Dropped by a refresh while read, or broken: the source still answers.
      this.logger?.warn({ tenantId, rollup: rollup.id, err: error }, 'a rollup failed; asking the source');
      return undefined;
    }
  }
}
