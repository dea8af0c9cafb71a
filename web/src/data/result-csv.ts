function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading = + - @ would run as a formula in a spreadsheet: quoted with a ' first (numbers stay numbers).
  const safe = typeof value !== 'number' && /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
  return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The result as CSV (RFC 4180, CRLF): the columns' labels as the header, raw values (no ¥ or %) so
 * a spreadsheet can compute with them, and a byte-order mark so Excel reads the Japanese as UTF-8.
 */
export function resultCsv(
  columns: readonly { name: string; label: string }[],
  rows: readonly Record<string, unknown>[],
): string {
  const lines = [columns.map((c) => cell(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c.name])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function csvFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `kura-data-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.csv`;
}
