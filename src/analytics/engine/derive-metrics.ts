import type { ResolvedQuery } from '../query/resolve-query.js';
import type { ResultRow } from './query-executor.js';

/**
 * A time key one year later: 2023-05 → 2024-05, 2023-Q2 → 2024-Q2, FY2023-Q1 → FY2024-Q1, a
 * week's Monday + 364 days.
 */
export function nextYearKey(key: string, grain: string | undefined): string {
  if (grain === 'week') {
    const d = new Date(`${key}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 364);
    return d.toISOString().slice(0, 10);
  }
  const at = key.startsWith('FY') ? 2 : 0;
  return `${key.slice(0, at)}${Number(key.slice(at, at + 4)) + 1}${key.slice(at + 4)}`;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Adds 前年比 (yoy), 構成比 (share) and 累計 (cumulative) columns computed from the SQL results:
 * `previous` is the same query one year earlier, `total` the query without dimensions.
 */
export function deriveMetrics(
  resolved: ResolvedQuery,
  rows: ResultRow[],
  previous: ResultRow[] | undefined,
  total: ResultRow | undefined,
): ResultRow[] {
  const dims = resolved.dimensions;
  const keyOf = (row: ResultRow, shift: boolean) =>
    JSON.stringify(
      dims.map((d) => (shift && d.grain ? nextYearKey(String(row[d.column]), d.grain) : row[d.column])),
    );
  const previousByKey = new Map((previous ?? []).map((row) => [keyOf(row, true), row]));
  const out = rows.map((row) => ({ ...row }));
  for (const d of resolved.derived) {
    if (d.derivation === 'yoy')
      for (const row of out) {
        const before = num(previousByKey.get(keyOf(row, false))?.[d.measure]);
        const now = num(row[d.measure]);
        row[`${d.measure}_previous_year`] = before;
        row[d.column] = before && now !== null ? now / before : null;
      }
    if (d.derivation === 'share') {
      const whole = num(total?.[d.measure]);
      for (const row of out) {
        const part = num(row[d.measure]);
        row[d.column] = whole && part !== null ? part / whole : null;
      }
    }
    if (d.derivation === 'cumulative') {
      const timeColumns = dims.filter((x) => x.grain).map((x) => x.column);
      const groupOf = (row: ResultRow) =>
        JSON.stringify(dims.filter((x) => !x.grain).map((x) => row[x.column]));
      const sorted = [...out].sort((a, b) => {
        for (const c of timeColumns) {
          const cmp = String(a[c]).localeCompare(String(b[c]));
          if (cmp !== 0) return cmp;
        }
        return 0;
      });
      const running = new Map<string, number>();
      for (const row of sorted) {
        const g = groupOf(row);
        const sum = (running.get(g) ?? 0) + (num(row[d.measure]) ?? 0);
        running.set(g, sum);
        row[d.column] = sum;
      }
    }
  }
  return out;
}

/** Orders rows in JavaScript (when derived columns take part) and applies the limit. */
export function orderRows(
  rows: ResultRow[],
  order: { by: string; direction: 'asc' | 'desc' }[],
  limit?: number,
): ResultRow[] {
  const sorted = [...rows].sort((a, b) => {
    for (const o of order) {
      const [x, y] = [a[o.by], b[o.by]];
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (cmp !== 0) return o.direction === 'asc' ? cmp : -cmp;
    }
    return 0;
  });
  return limit ? sorted.slice(0, limit) : sorted;
}
