import { allowedFromModel } from '../guard/allowed-objects.js';
import { guardSql } from '../guard/sql-guard.js';
import { isRatio, type SemanticModel } from '../model/semantic-model.js';
import { compileSql, orderOf, type CompiledSql } from '../query/compile-sql.js';
import { DIALECTS } from '../query/dialects.js';
import { resolveQuery, type ResolvedQuery } from '../query/resolve-query.js';
import type { SemanticQuery } from '../query/semantic-query.js';
import { deriveMetrics, orderRows } from './derive-metrics.js';
import type { QueryExecutor, ResultRow, RunLimits } from './query-executor.js';

export interface ResultColumn {
  name: string;
  label: string;
  role: 'dimension' | 'measure' | 'metric';
  /** time: a period key (2024-05, 2024-Q2, 2024); yen / number / percent for values. */
  format: 'time' | 'category' | 'yen' | 'number' | 'percent';
  grain?: string;
}

export interface QueryResult {
  query: SemanticQuery;
  columns: ResultColumn[];
  rows: ResultRow[];
  /** Every statement run, in order, as the database received it. */
  sql: CompiledSql[];
  truncated: boolean;
  notes: string[];
  /** Where the numbers came from: the source database, or a rollup refreshed at refreshedAt. */
  from: 'source' | 'rollup';
  refreshedAt?: string;
}

function columnsOf(resolved: ResolvedQuery): ResultColumn[] {
  const columns: ResultColumn[] = resolved.dimensions.map((d) => ({
    name: d.column,
    label: d.label,
    role: 'dimension',
    format: d.grain ? 'time' : 'category',
    ...(d.grain ? { grain: d.grain } : {}),
  }));
  for (const m of resolved.measures)
    columns.push({
      name: m.name,
      label: m.label,
      role: 'measure',
      format: isRatio(m) && m.format === 'number' ? 'number' : m.format,
    });
  for (const d of resolved.derived) {
    const base = columns.find((c) => c.name === d.measure)!;
    if (d.derivation === 'yoy')
      columns.push({
        name: `${d.measure}_previous_year`,
        label: `前年${base.label}`,
        role: 'metric',
        format: base.format,
      });
    columns.push({
      name: d.column,
      label: d.label,
      role: 'metric',
      format: d.derivation === 'cumulative' ? base.format : 'percent',
    });
  }
  return columns;
}

/**
 * Runs a semantic query: compile → guard → run read-only → derived metrics → order and limit.
 * The SQL guard sees every statement, compiled ones included.
 */
export async function runSemanticQuery(
  model: SemanticModel,
  query: SemanticQuery,
  executor: QueryExecutor,
  limits: RunLimits,
): Promise<QueryResult> {
  const resolved = resolveQuery(model, query);
  const dialect = DIALECTS[executor.dialect];
  const allowed = allowedFromModel(model);
  const inJs = resolved.derived.length > 0;
  // The period, the same period a year earlier (前年比), the grand total (構成比): all guarded first,
  // then run at once when the executor has a connection for each.
  const plans: (Parameters<typeof compileSql>[3] | undefined)[] = [
    { maxRows: limits.maxRows, orderInSql: !inJs },
    resolved.derived.some((d) => d.derivation === 'yoy')
      ? { maxRows: limits.maxRows, yearsBack: 1 }
      : undefined,
    resolved.derived.some((d) => d.derivation === 'share')
      ? { maxRows: limits.maxRows, total: true }
      : undefined,
  ];
  const compiled = plans.map((options) =>
    options ? compileSql(model, resolved, dialect, options) : undefined,
  );
  for (const c of compiled) if (c) await guardSql(c.sql, dialect.name, allowed);
  const statements = compiled.filter((c): c is CompiledSql => c !== undefined);
  const exec = (c: CompiledSql | undefined) =>
    c ? executor.run(c.sql, c.params, limits) : Promise.resolve(undefined);
  const results: (ResultRow[] | undefined)[] = [];
  if (executor.concurrent) results.push(...(await Promise.all(compiled.map(exec))));
  else for (const c of compiled) results.push(await exec(c));
  const [first, previousRows, totalRows] = results;
  let rows = first!;
  const truncated = rows.length > limits.maxRows;
  rows = rows.slice(0, limits.maxRows);
  const numeric = new Set(resolved.measures.map((m) => m.name));
  const normalise = (list: ResultRow[]) =>
    list.map((row) => {
      const out: ResultRow = {};
      for (const [k, v] of Object.entries(row))
        out[k] = numeric.has(k) && v !== null ? Number(v) : v === null ? null : String(v);
      return out;
    });
  rows = normalise(rows);
  if (inJs) {
    const previous = previousRows ? normalise(previousRows) : undefined;
    const total = totalRows ? normalise(totalRows)[0] : undefined;
    rows = orderRows(deriveMetrics(resolved, rows, previous, total), orderOf(resolved), query.limit);
  }
  const notes = truncated ? [`The result was limited to ${limits.maxRows} rows.`] : [];
  return { query, columns: columnsOf(resolved), rows, sql: statements, truncated, notes, from: 'source' };
}
