import type { Database, Queryable } from '../../platform/db/database.js';
import type { SemanticModel } from '../model/semantic-model.js';
import type { UsableRollup } from './rollup-match.js';

/** A rollup as the registry lists it (ready or failed), for the job's result and the bench. */
export interface RollupEntry {
  id: string;
  modelVersion: number;
  fact: string;
  timeDimension: string;
  dimensions: string[];
  measures: string[];
  status: 'ready' | 'failed';
  message: string | null;
  rowCount: number;
  sizeBytes: number;
  buildMs: number;
  refreshedAt: string;
  schema: string | null;
  table: string | null;
  filterable: boolean;
}

/** A rollup about to be recorded: its table is built, or it failed with the reason. */
export type NewRollup = Omit<RollupEntry, 'refreshedAt' | 'timeDimension'> & { model: SemanticModel | null };

interface Row {
  id: string;
  model_version: number;
  fact_table: string;
  dimensions: string[];
  measures: string[];
  model: SemanticModel | null;
  status: 'ready' | 'failed';
  message: string | null;
  row_count: string | number;
  size_bytes: string | number;
  build_ms: number;
  refreshed_at: Date;
  schema_name: string | null;
  table_name: string | null;
  filterable: boolean;
}

const q = (name: string) => `"${name.replace(/"/gu, '""')}"`;

const toEntry = (r: Row): RollupEntry => ({
  id: r.id,
  modelVersion: r.model_version,
  fact: r.fact_table,
  timeDimension: r.model?.defaultTimeDimension ?? '',
  dimensions: r.dimensions,
  measures: r.measures,
  status: r.status,
  message: r.message,
  rowCount: Number(r.row_count),
  sizeBytes: Number(r.size_bytes),
  buildMs: r.build_ms,
  refreshedAt: r.refreshed_at.toISOString(),
  schema: r.schema_name,
  table: r.table_name,
  filterable: r.filterable,
});

const COLUMNS = `id, model_version, fact_table, dimensions, measures, model, status, message, row_count,
  size_bytes, build_ms, refreshed_at, schema_name, table_name, filterable`;

/** The registry of a company's rollups (analytics_rollups); their tables live in its own schema. */
export class RollupRepository {
  constructor(private readonly db: Database) {}

  async list(tenantId: string): Promise<RollupEntry[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>(`SELECT ${COLUMNS} FROM analytics_rollups WHERE tenant_id = $1 ORDER BY row_count, id`, [
        tenantId,
      ]),
    );
    return rows.map(toEntry);
  }

  /** The rollups built for this model version that are ready to answer. */
  async usable(tenantId: string, modelVersion: number): Promise<UsableRollup[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>(
        `SELECT ${COLUMNS} FROM analytics_rollups
          WHERE tenant_id = $1 AND model_version = $2 AND status = 'ready' AND model IS NOT NULL`,
        [tenantId, modelVersion],
      ),
    );
    return rows.map((r) => ({ ...toEntry(r), model: r.model! }));
  }

  /**
   * Replaces every rollup of the company by these in one owner transaction (the tables are DDL):
   * the previous tables are dropped, so a query still reading one fails and falls back to the source.
   */
  async replace(tenantId: string, entries: NewRollup[], tx: Queryable): Promise<void> {
    await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const old = await tx.query<{ schema_name: string | null; table_name: string | null }>(
      'DELETE FROM analytics_rollups WHERE tenant_id = $1 RETURNING schema_name, table_name',
      [tenantId],
    );
    const kept = new Set(entries.map((e) => e.table));
    for (const o of old)
      if (o.schema_name && o.table_name && !kept.has(o.table_name))
        await tx.query(`DROP TABLE IF EXISTS ${q(o.schema_name)}.${q(o.table_name)}`);
    for (const e of entries)
      await tx.query(
        `INSERT INTO analytics_rollups (tenant_id, id, model_version, fact_table, dimensions, measures, model,
           schema_name, table_name, status, message, row_count, size_bytes, build_ms, filterable)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          tenantId,
          e.id,
          e.modelVersion,
          e.fact,
          JSON.stringify(e.dimensions),
          JSON.stringify(e.measures),
          e.model ? JSON.stringify(e.model) : null,
          e.schema,
          e.table,
          e.status,
          e.message,
          e.rowCount,
          e.sizeBytes,
          e.buildMs,
          e.filterable,
        ],
      );
  }
}
