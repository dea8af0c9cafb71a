import { isRatio, type SemanticModel } from '../model/semantic-model.js';
import type { ResolvedQuery } from '../query/resolve-query.js';
import type { ResultRow } from '../engine/query-executor.js';

/** A ready rollup as the engine sees it: what it groups by and holds, and the model of its table. */
export interface UsableRollup {
  id: string;
  timeDimension: string;
  dimensions: string[];
  measures: string[];
  rowCount: number;
  refreshedAt: string;
  model: SemanticModel;
  /** Filters compare like the source: false for MySQL/MariaDB (case- and pad-insensitive collations). */
  filterable: boolean;
}

/**
 * Can this rollup give exactly the source's answer? Every measure held; every grouped dimension a
 * grain of its day or one of its category dimensions; every filter on one of those; the time range
 * on its time dimension. (Derived metrics' extra statements — the year before, the total — are the
 * same query shifted or without groups, so they are answerable too.) Text compares by collation,
 * which Kura's database and the source need not share: a range filter, or an ordering by a
 * category, stays with the source; so does any filter when the source's `=` ignores case (MySQL).
 */
export function answers(rollup: UsableRollup, resolved: ResolvedQuery): boolean {
  const held = new Set(rollup.measures);
  const groups = new Set(rollup.dimensions);
  if (!resolved.measures.every((m) => held.has(m.name))) return false;
  for (const d of resolved.dimensions)
    if (d.grain ? d.dimension.name !== rollup.timeDimension : !groups.has(d.dimension.name)) return false;
  const filters = resolved.query.filters;
  if (filters.length > 0 && !rollup.filterable) return false;
  if (!filters.every((f) => groups.has(f.dimension) && ['eq', 'ne', 'in'].includes(f.op))) return false;
  if (resolved.query.order.some((o) => groups.has(o.by))) return false;
  if (resolved.query.timeRange && resolved.timeDimension?.name !== rollup.timeDimension) return false;
  return true;
}

/** The smallest rollup that answers, if any. */
export function pickRollup(rollups: UsableRollup[], resolved: ResolvedQuery): UsableRollup | undefined {
  return rollups
    .filter((r) => answers(r, resolved))
    .sort((a, b) => a.rowCount - b.rowCount || a.dimensions.length - b.dimensions.length)[0];
}

/**
 * A count over no rows is 0 in the source and a sum over no rows NULL in the rollup. Only a result
 * without groups has a row for an empty period (and a 前年 value from one), so only there is it set.
 */
export function zeroEmptyCounts(
  model: SemanticModel,
  resolved: ResolvedQuery,
  rows: ResultRow[],
): ResultRow[] {
  if (resolved.dimensions.length > 0) return rows;
  const counts = model.measures
    .filter((m) => !isRatio(m) && m.aggregation === 'count')
    .map((m) => m.name)
    .filter((name) => resolved.measures.some((m) => m.name === name));
  if (counts.length === 0) return rows;
  return rows.map((row) => {
    const out = { ...row };
    for (const name of counts)
      for (const column of [name, `${name}_previous_year`])
        if (column in out && out[column] === null) out[column] = 0;
    return out;
  });
}
