import type { QueryResult } from '../engine/run-query.js';

const cell = (value: unknown) => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas (=, +, -, @ at the start of text).
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
  return /[",\n\r]/u.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The result as CSV (UTF-8 with a BOM so that Excel reads Japanese), labels as the header. */
export function resultToCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const lines = [result.columns.map((c) => cell(c.label)).join(',')];
  for (const row of result.rows) lines.push(result.columns.map((c) => cell(row[c.name])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
