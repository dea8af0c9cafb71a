import type { TableCell } from '../../ingest/parsers/parsed-document.js';

export type ColumnType = 'integer' | 'decimal' | 'date' | 'text';

/** Thousands separators as spreadsheets export them: 1,234,567 and -1,234.5. */
const GROUPED = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/u;
const PLAIN = /^-?(?:0|[1-9]\d{0,17})(?:\.\d{1,15})?$/u;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/u;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/u;
const KANJI = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/u;
const ERA = /^(令和|平成|昭和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$/u;
/** The Gregorian year before each era's first year (令和元年 = 2019). */
const ERA_OFFSET: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925 };

function validDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 2024-04-01, 2024/4/1, 2024年4月1日, 令和6年4月1日 → 2024-04-01; anything else → null. */
export function parseDateCell(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  const m = t.match(ISO) ?? t.match(SLASHED) ?? t.match(KANJI);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const e = t.match(ERA);
  if (e)
    return validDate(ERA_OFFSET[e[1]!]! + (e[2] === '元' ? 1 : Number(e[2])), Number(e[3]), Number(e[4]));
  return null;
}

/** A number a cell holds (a number, or text written as one), else null. */
export function parseNumberCell(cell: TableCell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  const t = cell.normalize('NFKC').trim();
  if (PLAIN.test(t)) return Number(t);
  if (GROUPED.test(t)) return Number(t.replace(/,/gu, ''));
  return null;
}

const isBlank = (cell: TableCell) => cell === null || (typeof cell === 'string' && cell.trim() === '');

/**
 * The narrowest type every non-blank value of a column fits: integer, then decimal, then date,
 * else text. A column with no value at all is text.
 */
export function inferColumnType(values: TableCell[]): ColumnType {
  let integer = true;
  let decimal = true;
  let date = true;
  let any = false;
  for (const v of values) {
    if (isBlank(v)) continue;
    any = true;
    const n = parseNumberCell(v);
    if (n === null) integer = decimal = false;
    else if (!Number.isSafeInteger(n)) integer = false;
    if (date && (typeof v !== 'string' || parseDateCell(v) === null)) date = false;
    if (!integer && !decimal && !date) return 'text';
  }
  if (!any) return 'text';
  return integer ? 'integer' : decimal ? 'decimal' : date ? 'date' : 'text';
}

/** The value stored for a cell of a column of that type (blank → null). */
export function convertCell(cell: TableCell, type: ColumnType): string | number | null {
  if (isBlank(cell)) return null;
  if (type === 'integer' || type === 'decimal') return parseNumberCell(cell);
  if (type === 'date') return parseDateCell(String(cell));
  return typeof cell === 'string' ? cell : String(cell);
}
