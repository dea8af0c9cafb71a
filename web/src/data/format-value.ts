/** What a cell's formatting needs of its column (the API's DataColumn has it). */
interface FormattedColumn {
  role: 'dimension' | 'measure' | 'metric';
  format: string;
}

/** A cell as people read it, by the column's format: ¥1,234,567 / 12.3% / 1,234; text as is. */
export function formatCell(value: unknown, column: FormattedColumn, locale: string): string {
  if (value === null || value === undefined) return '—';
  if (column.role === 'dimension') return String(value);
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (column.format === 'percent')
    return `${(n * 100).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
  if (column.format === 'yen') return `¥${Math.round(n).toLocaleString(locale)}`;
  return n.toLocaleString(locale, { maximumFractionDigits: 2 });
}

export const isNumeric = (column: FormattedColumn): boolean => column.role !== 'dimension';
