import type { QueryResult, ResultColumn } from '../engine/run-query.js';

/** A number as the result's column formats it: ¥1,234,567 / 12.3% / 1,234. */
export function formatValue(value: unknown, column: ResultColumn): string {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (column.format === 'percent') return `${(n * 100).toFixed(1)}%`;
  if (column.format === 'yen') return `¥${Math.round(n).toLocaleString('ja-JP')}`;
  return Number.isInteger(n)
    ? n.toLocaleString('ja-JP')
    : n.toLocaleString('ja-JP', { maximumFractionDigits: 2 });
}

/**
 * A few sentences built only from the result's numbers (offline mode: templated, never a model's
 * memory): the total, the largest and smallest group, and the change over the period.
 */
export function narrativeFor(result: QueryResult): string {
  const rows = result.rows;
  if (rows.length === 0) return '該当するデータはありませんでした。';
  const dims = result.columns.filter((c) => c.role === 'dimension');
  const measure = result.columns.find((c) => c.role === 'measure');
  if (!measure) return `${rows.length}行の結果です。`;
  const label = (row: Record<string, unknown>) => dims.map((d) => String(row[d.name])).join('・');
  const sentences: string[] = [];
  if (dims.length === 0) {
    for (const c of result.columns) sentences.push(`${c.label}は${formatValue(rows[0]![c.name], c)}です。`);
    return sentences.join('');
  }
  const total = rows.reduce((s, r) => s + (Number(r[measure.name]) || 0), 0);
  if (measure.format !== 'percent')
    sentences.push(`${rows.length}件の${measure.label}の合計は${formatValue(total, measure)}です。`);
  const time = dims.find((d) => d.format === 'time');
  if (time && rows.length >= 2) {
    const [first, last] = [rows[0]!, rows[rows.length - 1]!];
    const a = Number(first[measure.name]);
    const b = Number(last[measure.name]);
    if (a)
      sentences.push(
        `${label(first)}の${formatValue(a, measure)}から${label(last)}の${formatValue(b, measure)}へ${b >= a ? '増加' : '減少'}しました(${(((b - a) / a) * 100).toFixed(1)}%)。`,
      );
  } else if (rows.length >= 2) {
    const sorted = [...rows].sort((x, y) => Number(y[measure.name]) - Number(x[measure.name]));
    sentences.push(
      `最大は${label(sorted[0]!)}(${formatValue(sorted[0]![measure.name], measure)})、最小は${label(sorted[sorted.length - 1]!)}(${formatValue(sorted[sorted.length - 1]![measure.name], measure)})です。`,
    );
  }
  const yoy = result.columns.find((c) => c.role === 'metric' && c.name.endsWith('_yoy'));
  if (yoy) {
    const withYoy = rows.filter((r) => r[yoy.name] !== null);
    if (withYoy.length > 0) {
      const best = withYoy.reduce((x, y) => (Number(y[yoy.name]) > Number(x[yoy.name]) ? y : x));
      sentences.push(`前年比が最も高いのは${label(best)}(${formatValue(best[yoy.name], yoy)})です。`);
    }
  }
  if (result.truncated) sentences.push(`結果は${rows.length}行までに制限されています。`);
  return sentences.join('');
}
