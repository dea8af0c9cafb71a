import { isRatio, type Measure, type SemanticModel } from '../model/semantic-model.js';
import type { Dialect } from './dialects.js';
import { InvalidQueryError } from './query-errors.js';
import type { ResolvedQuery } from './resolve-query.js';

export interface CompiledSql {
  sql: string;
  params: (string | number)[];
}

export interface CompileOptions {
  /** Rows the SQL may return at most (one more is fetched to tell that the result was cut). */
  maxRows: number;
  /** Shift the time range back this many years (for 前年比). */
  yearsBack?: number;
  /** Leave out the dimensions (the grand total, for 構成比). */
  total?: boolean;
  /** The ordering and limit are applied after derived metrics are computed. */
  orderInSql?: boolean;
}

const shiftYears = (date: string, years: number) =>
  `${String(Number(date.slice(0, 4)) - years).padStart(4, '0')}${date.slice(4)}`;

/**
 * Compiles a resolved semantic query to one SELECT in the dialect. Every identifier comes from the
 * model (validated names, quoted); every value from the question is a bound parameter.
 */
export function compileSql(
  model: SemanticModel,
  resolved: ResolvedQuery,
  dialect: Dialect,
  options: CompileOptions,
): CompiledSql {
  const q = dialect.quote;
  const params: (string | number)[] = [];
  const bind = (value: string | number) => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const col = (table: string, column: string) => `${q(table)}.${q(column)}`;
  const measureByName = new Map(model.measures.map((m) => [m.name, m]));
  const needed = new Set<string>();
  const measureSql = (m: Measure): string => {
    if (isRatio(m))
      return dialect.divide(
        measureSql(measureByName.get(m.ratio.numerator)!),
        measureSql(measureByName.get(m.ratio.denominator)!),
      );
    needed.add(m.table);
    const target = m.column ? col(m.table, m.column) : '*';
    if (m.aggregation === 'count_distinct') return `COUNT(DISTINCT ${target})`;
    if (m.aggregation === 'avg') return dialect.average(target);
    return `${m.aggregation === 'count' ? 'COUNT' : m.aggregation.toUpperCase()}(${target})`;
  };

  // Measures first: their table is the FROM the joins start from.
  const measureColumns = resolved.measures.map((m) => `${measureSql(m)} AS ${q(m.name)}`);
  const select: string[] = [];
  const groupBy: string[] = [];
  if (!options.total)
    for (const d of resolved.dimensions) {
      needed.add(d.dimension.table);
      const raw = col(d.dimension.table, d.dimension.column);
      const expr = d.grain ? dialect.grain(raw, d.grain, model.fiscalYearStartMonth) : raw;
      select.push(`${expr} AS ${q(d.column)}`);
      groupBy.push(expr);
    }
  select.push(...measureColumns);

  const where: string[] = [];
  for (const f of resolved.query.filters) {
    const d = model.dimensions.find((x) => x.name === f.dimension)!;
    needed.add(d.table);
    const target = col(d.table, d.column);
    const ops = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
    if (f.op === 'in' || (f.op === 'eq' && f.values.length > 1))
      where.push(`${target} IN (${f.values.map(bind).join(', ')})`);
    else where.push(`${target} ${ops[f.op]} ${bind(f.values[0]!)}`);
  }
  const range = resolved.query.timeRange;
  if (range && resolved.timeDimension) {
    const t = resolved.timeDimension;
    needed.add(t.table);
    const back = options.yearsBack ?? 0;
    where.push(`${col(t.table, t.column)} >= ${bind(shiftYears(range.start, back))}`);
    where.push(`${col(t.table, t.column)} < ${bind(shiftYears(range.end, back))}`);
  }

  const from = joinClause(model, needed, dialect);
  let sql = `SELECT ${select.join(', ')} FROM ${from}`;
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  if (groupBy.length > 0) sql += ` GROUP BY ${groupBy.join(', ')}`;
  if (!options.total) {
    // Derived columns (前年比…) are ordered afterwards; the SQL then orders by its groups only.
    const order = options.orderInSql
      ? orderOf(resolved)
      : resolved.dimensions.map((d) => ({ by: d.column, direction: 'asc' as const }));
    if (order.length > 0)
      sql += ` ORDER BY ${order.map((o) => `${q(o.by)} ${o.direction.toUpperCase()}`).join(', ')}`;
    const limit =
      options.orderInSql && resolved.query.limit
        ? Math.min(resolved.query.limit, options.maxRows)
        : options.maxRows + 1;
    sql += ` LIMIT ${limit}`;
  }
  return { sql, params };
}

/** The ordering asked for, else time ascending, else the first measure descending. */
export function orderOf(resolved: ResolvedQuery): { by: string; direction: 'asc' | 'desc' }[] {
  if (resolved.query.order.length > 0)
    return resolved.query.order.map((o) => {
      const dim = resolved.dimensions.find((d) => d.dimension.name === o.by);
      return { by: dim ? dim.column : o.by, direction: o.direction };
    });
  const time = resolved.dimensions.filter((d) => d.grain);
  if (time.length > 0 && !resolved.query.limit)
    return time.map((d) => ({ by: d.column, direction: 'asc' as const }));
  const first = resolved.measures[0];
  if (resolved.dimensions.length > 0 && first) return [{ by: first.name, direction: 'desc' }];
  return [];
}

/** FROM the first measure's table, joined along the model's joins to every other table needed. */
function joinClause(model: SemanticModel, needed: Set<string>, dialect: Dialect): string {
  const q = dialect.quote;
  const tableRef = (name: string) => {
    const t = model.tables.find((x) => x.name === name)!;
    return `${t.schema ? `${q(t.schema)}.` : ''}${q(t.table)} AS ${q(t.name)}`;
  };
  const [base, ...rest] = [...needed];
  if (!base) throw new InvalidQueryError('The query reads no table.');
  const reached = new Map<string, string>([[base, '']]);
  const queue = [base];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const j of model.joins) {
      const [next, on] =
        j.from === at
          ? [j.to, `${q(j.from)}.${q(j.fromColumn)} = ${q(j.to)}.${q(j.toColumn)}`]
          : j.to === at
            ? [j.from, `${q(j.from)}.${q(j.fromColumn)} = ${q(j.to)}.${q(j.toColumn)}`]
            : [undefined, ''];
      if (!next || reached.has(next)) continue;
      reached.set(next, `${at}|${on}`);
      queue.push(next);
    }
  }
  const joins: string[] = [];
  const joined = new Set([base]);
  const join = (table: string): void => {
    if (joined.has(table)) return;
    const via = reached.get(table);
    if (via === undefined)
      throw new InvalidQueryError(`The model has no join from "${base}" to "${table}".`, 'no_join_path');
    const [parent, on] = [via.slice(0, via.indexOf('|')), via.slice(via.indexOf('|') + 1)];
    join(parent);
    joins.push(`JOIN ${tableRef(table)} ON ${on}`);
    joined.add(table);
  };
  for (const t of rest) join(t);
  return [tableRef(base), ...joins].join(' ');
}
