import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { QueryExecutor, ResultRow } from '../engine/query-executor.js';
import { allowedFromModel } from '../guard/allowed-objects.js';
import { guardSql } from '../guard/sql-guard.js';
import { timeDimensionOf, type Dimension, type SemanticModel } from '../model/semantic-model.js';
import { compileSql } from '../query/compile-sql.js';
import { DIALECTS } from '../query/dialects.js';
import { resolveQuery } from '../query/resolve-query.js';
import { companySchema } from '../tables/physical-names.js';
import { createTable, insertRecords, type UploadedColumn } from '../tables/uploaded-table-store.js';
import type { NewRollup } from './rollup-repository.js';
import {
  answeredMeasures,
  buildMeasureNames,
  buildModel,
  categoryDimensions,
  rollableMeasures,
  storedModel,
  type RollupSpec,
} from './rollup-model.js';

export interface RollupBuildOptions {
  /** A rollup with more rows than this is not kept (the source answers instead). */
  maxRows: number;
  /** Nor one expected to hold more than this share of the fact table's rows: it would not be faster. */
  maxShareOfSource: number;
  /** Dimensions with at most this many values go into the one combined rollup. */
  lowCardinality: number;
  /** How long one build statement may run on the source. */
  timeoutMs: number;
}

export const DEFAULT_ROLLUP_OPTIONS: RollupBuildOptions = {
  maxRows: 200_000,
  maxShareOfSource: 0.25,
  lowCardinality: 50,
  timeoutMs: 10 * 60_000,
};

export interface BuildProgress {
  done: number;
  total: number;
  message: string;
}

const BATCH = 5_000;

/**
 * Builds a company's rollups from its source: per fact table, one rollup per day alone, one per
 * category dimension, and one of the low-cardinality dimensions together — each kept only when its
 * row count (estimated from the source's distinct counts, then counted) stays small. Each is ONE
 * aggregate query through the compiler, the SQL guard and the read-only executor, stored as a table
 * of the company's schema (tenant_id + RLS, like uploaded tables). Tables are created here; the
 * caller records them (or drops them when the refresh fails).
 */
export class RollupBuilder {
  constructor(
    private readonly db: Database,
    private readonly options: RollupBuildOptions = DEFAULT_ROLLUP_OPTIONS,
  ) {}

  async build(
    tenantId: string,
    model: SemanticModel,
    modelVersion: number,
    executor: QueryExecutor,
    progress: (p: BuildProgress) => Promise<void> = async () => {},
  ): Promise<NewRollup[]> {
    const time = timeDimensionOf(model);
    if (!time) return [];
    const out: NewRollup[] = [];
    try {
      for (const [fact, measures] of rollableMeasures(model)) {
        const base: RollupSpec = { fact, time, dimensions: [], measures };
        const factRows = Number((await this.aggregate(model, base, executor, []))[0]?.__rows ?? 0);
        await progress({ done: out.length, total: out.length + 1, message: `${fact}: by day` });
        const byDay = await this.buildOne(tenantId, model, modelVersion, base, factRows, executor);
        out.push(byDay);
        if (byDay.status !== 'ready') continue;
        const days = Math.max(1, byDay.rowCount);
        const limit = Math.min(this.options.maxRows, factRows * this.options.maxShareOfSource);
        const specs = await this.plan(model, base, executor, days, limit);
        for (const [i, spec] of specs.entries()) {
          await progress({
            done: out.length,
            total: out.length + specs.length - i,
            message: `${fact}: by day × ${spec.dimensions.map((d) => d.name).join(' × ')}`,
          });
          out.push(await this.buildOne(tenantId, model, modelVersion, spec, factRows, executor));
        }
      }
      return out;
    } catch (error) {
      await this.drop(out);
      throw error;
    }
  }

  /** Drops tables built but not recorded (a refresh that failed midway). */
  async drop(entries: NewRollup[]): Promise<void> {
    const q = DIALECTS.postgres.quote;
    await this.db.owner(async (tx) => {
      for (const e of entries)
        if (e.schema && e.table) await tx.query(`DROP TABLE IF EXISTS ${q(e.schema)}.${q(e.table)}`);
    });
  }

  /** The dimension sets worth a rollup, judged by the source's distinct values per dimension. */
  private async plan(
    model: SemanticModel,
    base: RollupSpec,
    executor: QueryExecutor,
    days: number,
    limit: number,
  ): Promise<RollupSpec[]> {
    const distinct: [Dimension, number][] = [];
    for (const d of categoryDimensions(model)) {
      const probe = {
        ...model,
        measures: [
          {
            name: '__n',
            label: 'n',
            table: d.table,
            aggregation: 'count_distinct' as const,
            column: d.column,
            format: 'number' as const,
            synonyms: [],
          },
          ...model.measures,
        ],
      };
      const [row] = await this.run(probe, { metrics: ['__n'], dimensions: [] }, executor);
      distinct.push([d, Number(row?.__n ?? 0) + 1]); // + NULL, a group of its own
    }
    const specs = distinct
      .filter(([, n]) => days * n <= limit)
      .map(([d]): RollupSpec => ({ ...base, dimensions: [d] }));
    const combined: Dimension[] = [];
    let rows = days;
    for (const [d, n] of [...distinct].sort((a, b) => a[1] - b[1]))
      if (n <= this.options.lowCardinality && rows * n <= limit) {
        combined.push(d);
        rows *= n;
      }
    if (combined.length > 1) specs.push({ ...base, dimensions: combined });
    return specs;
  }

  private async buildOne(
    tenantId: string,
    model: SemanticModel,
    modelVersion: number,
    spec: RollupSpec,
    factRows: number,
    executor: QueryExecutor,
  ): Promise<NewRollup> {
    const started = performance.now();
    const entry = {
      id: randomUUID(),
      modelVersion,
      fact: spec.fact,
      dimensions: spec.dimensions.map((d) => d.name),
      measures: [] as string[],
      sizeBytes: 0,
      schema: null as string | null,
      table: null as string | null,
      filterable: executor.dialect !== 'mysql',
    };
    const failed = (message: string, rowCount = 0): NewRollup => ({
      ...entry,
      model: null,
      status: 'failed',
      message,
      rowCount,
      buildMs: Math.round(performance.now() - started),
    });
    const dims = [
      { name: spec.time.name, grain: 'day' as const },
      ...spec.dimensions.map((d) => ({ name: d.name })),
    ];
    const rows = await this.aggregate(model, spec, executor, dims);
    if (rows.length > this.options.maxRows)
      return failed(`more than ${this.options.maxRows.toLocaleString('en')} rows: not kept`, rows.length);
    const counted = rows.reduce((sum, r) => sum + Number(r.__rows ?? 0), 0);
    if (counted !== factRows)
      return failed(
        `the joins to ${entry.dimensions.join(', ') || spec.time.name} count ${counted} rows of ${spec.fact}, not ${factRows}: the source answers`,
        rows.length,
      );
    const schema = companySchema(tenantId);
    const table = `kura-rollup-${entry.id.slice(0, 8)}`;
    const measureNames = buildMeasureNames(buildModel(model, spec));
    const columns: UploadedColumn[] = [
      { header: spec.time.name, name: 't', type: 'date' },
      ...spec.dimensions.map((d, i): UploadedColumn => ({
        header: d.name,
        name: `d${i}`,
        type: typeOf(rows, d.name),
      })),
      ...measureNames.map((m, i): UploadedColumn => ({ header: m, name: `m${i}`, type: 'decimal' })),
    ];
    const sources = [`${spec.time.name}_day`, ...spec.dimensions.map((d) => d.name), ...measureNames];
    const sizeBytes = await this.db.owner(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await createTable(tx, tenantId, schema, table, columns);
      for (let at = 0; at < rows.length; at += BATCH) {
        const records = rows.slice(at, at + BATCH).map((row, i) => {
          const record: Record<string, unknown> = { _row: at + i + 1 };
          columns.forEach((c, j) => (record[c.name] = plain(row[sources[j]!])));
          return record;
        });
        await insertRecords(tx, tenantId, schema, table, columns, records);
      }
      return sizeOf(tx, schema, table);
    });
    const stored = storedModel(model, spec, { schema, table });
    return {
      ...entry,
      schema,
      table,
      model: stored,
      measures: answeredMeasures(stored),
      status: 'ready',
      message: null,
      rowCount: rows.length,
      sizeBytes,
      buildMs: Math.round(performance.now() - started),
    };
  }

  /** The spec's build query (its measures and __rows) grouped by these dimensions, run on the source. */
  private aggregate(
    model: SemanticModel,
    spec: RollupSpec,
    executor: QueryExecutor,
    dimensions: { name: string; grain?: 'day' }[],
  ): Promise<ResultRow[]> {
    const built = buildModel(model, spec);
    const metrics = dimensions.length > 0 ? buildMeasureNames(built) : ['__rows'];
    return this.run(built, { metrics, dimensions }, executor);
  }

  private async run(
    model: SemanticModel,
    query: { metrics: string[]; dimensions: { name: string; grain?: 'day' }[] },
    executor: QueryExecutor,
  ): Promise<ResultRow[]> {
    const resolved = resolveQuery(model, { ...query, filters: [], order: [] });
    const dialect = DIALECTS[executor.dialect];
    const { maxRows, timeoutMs } = this.options;
    const { sql, params } = compileSql(model, resolved, dialect, {
      maxRows,
      total: query.dimensions.length === 0,
    });
    await guardSql(sql, dialect.name, allowedFromModel(model));
    return executor.run(sql, params, { maxRows, timeoutMs });
  }
}

/** A dimension stored as numbers when the source gave numbers (so ordering stays numeric), else text. */
function typeOf(rows: ResultRow[], column: string): UploadedColumn['type'] {
  const values = rows.map((r) => r[column]).filter((v) => v !== null && v !== undefined);
  if (values.length > 0 && values.every((v) => typeof v === 'number'))
    return values.every((v) => Number.isSafeInteger(v)) ? 'integer' : 'decimal';
  return 'text';
}

/** Values as JSON carries them exactly: numerics as the driver's text, dates as ISO days. */
const plain = (v: unknown): unknown =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.toISOString().slice(0, 10)
      : typeof v === 'bigint'
        ? v.toString()
        : v;

async function sizeOf(tx: Queryable, schema: string, table: string): Promise<number> {
  const q = DIALECTS.postgres.quote;
  // ANALYZE first: without statistics the planner takes the fresh table for empty.
  await tx.query(`ANALYZE ${q(schema)}.${q(table)}`);
  const [row] = await tx.query<{ bytes: string | number }>(
    'SELECT pg_total_relation_size($1::regclass) AS bytes',
    [`${q(schema)}.${q(table)}`],
  );
  return Number(row?.bytes ?? 0);
}
