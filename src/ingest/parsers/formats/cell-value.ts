import type { CellValue } from 'exceljs';
import type { TableCell } from '../parsed-document.js';

/**
 * An exceljs cell value as a plain scalar: formulas give their cached result (Kura never evaluates
 * them), rich text and hyperlinks their visible text, errors their code (#N/A), dates an ISO string.
 */
export function cellScalar(value: CellValue | unknown): TableCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return isoDate(value);
  if (typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.richText)) {
    return record.richText.map((run) => (typeof run?.text === 'string' ? run.text : '')).join('') || null;
  }
  if ('error' in record && typeof record.error === 'string') return record.error;
  if ('formula' in record || 'sharedFormula' in record) return cellScalar(record.result);
  if ('hyperlink' in record) return cellScalar(record.text);
  if ('text' in record) return cellScalar(record.text);
  return null;
}

/** Excel stores dates as serial days; exceljs turns them into UTC instants. Midnight means a date. */
function isoDate(date: Date): string | null {
  if (Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}
