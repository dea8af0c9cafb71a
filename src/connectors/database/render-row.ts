import type { Row } from './sql-source.js';

/** A value as text: dates as ISO dates, JSON for structures, nothing for binary data and NULL. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? ''
      : value.toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return '';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `{column}` replaced by the row's value; `{{` and `}}` are literal braces. Unknown columns render empty. */
export function renderTemplate(template: string, row: Row): string {
  return template.replace(/\{\{|\}\}|\{([^{}]+)\}/g, (match, column: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    return valueText(row[column!.trim()]);
  });
}

/** Default rendering: the table name, then one `column: value` line per non-empty column. */
export function renderDefault(table: string, row: Row): string {
  const lines = [table];
  for (const [column, value] of Object.entries(row)) {
    const text = valueText(value);
    if (text !== '') lines.push(`${column}: ${text}`);
  }
  return lines.join('\n');
}
