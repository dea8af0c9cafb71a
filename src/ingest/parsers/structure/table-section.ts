import type { ParsedSection, ParsedTable, TableCell } from '../parsed-document.js';
import { normalizeText } from '../text/normalize-text.js';
import { columnLetters, formatRange } from './a1-range.js';

const PAIR_SEPARATOR = ' | ';

export interface TableGrid {
  /** Display name: the sheet, or the file title for CSV. */
  name: string;
  /** Sheet name for the anchor (absent for CSV). */
  sheet?: string;
  /** 1-based position of cell [0][0] in the sheet. */
  firstRow: number;
  firstColumn: number;
  /** Rows as read, header first when `hasHeader`; each row as wide as the widest. */
  cells: TableCell[][];
}

/**
 * One grid, two views: a table (columns + typed rows) for analytics, and a section whose text has
 * one `列名: 値 | 列名: 値` line per data row, anchored at the data rows' A1 range. Naming each
 * value with its column keeps a row meaningful when the chunker cuts it away from the header.
 */
export function gridToTableAndSection(grid: TableGrid): { table: ParsedTable; section?: ParsedSection } {
  const width = Math.max(0, ...grid.cells.map((row) => row.length));
  const hasHeader = grid.cells.length > 1;
  const header = hasHeader ? (grid.cells[0] ?? []) : [];
  const columns = uniqueColumnNames(header, width, grid.firstColumn);
  const rows = (hasHeader ? grid.cells.slice(1) : grid.cells).map((row) =>
    Array.from({ length: width }, (_, i) => row[i] ?? null),
  );
  const table: ParsedTable = { name: grid.name, columns, rows };
  if (rows.length === 0) return { table };
  const firstDataRow = grid.firstRow + (hasHeader ? 1 : 0);
  const lines = rows.map((row) =>
    row
      .map((value, i) => (value === null || value === '' ? '' : `${columns[i]}: ${cellText(value)}`))
      .filter((pair) => pair !== '')
      .join(PAIR_SEPARATOR),
  );
  const range = formatRange({
    firstColumn: grid.firstColumn,
    firstRow: firstDataRow,
    lastColumn: grid.firstColumn + Math.max(width, 1) - 1,
    lastRow: firstDataRow + rows.length - 1,
  });
  const anchor = grid.sheet === undefined ? { range } : { sheet: grid.sheet, range };
  return { table, section: { text: lines.join('\n'), anchor } };
}

/** A row is one line: newlines inside a cell become spaces in the text view (the table keeps them). */
function cellText(value: TableCell): string {
  return normalizeText(String(value)).replace(/\s*\n\s*/g, ' ');
}

/** Blank headers get their column letter's name; repeated ones a suffix, so every column is addressable. */
function uniqueColumnNames(header: TableCell[], width: number, firstColumn: number): string[] {
  const seen = new Map<string, number>();
  return Array.from({ length: width }, (_, i) => {
    const raw = header[i];
    let name = raw === null || raw === undefined ? '' : cellText(raw).trim();
    if (name === '') name = `列${columnLetters(firstColumn + i)}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}_${count}`;
  });
}
