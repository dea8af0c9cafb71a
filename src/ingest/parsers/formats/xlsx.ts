import ExcelJS from 'exceljs';
import type { ParsedSection, ParsedTable, TableCell } from '../parsed-document.js';
import { ParseError } from '../parse-error.js';
import { gridToTableAndSection } from '../structure/table-section.js';
import { cellScalar } from './cell-value.js';
import type { FormatContext, FormatResult } from './format-result.js';

const MAX_GRID_CELLS = 20_000_000;

/**
 * XLSX via exceljs: every sheet becomes a table (for analytics) and a section of `列: 値` lines
 * anchored at its sheet and A1 range (for search and citations).
 */
export async function parseXlsx(bytes: Buffer, context: FormatContext): Promise<FormatResult> {
  const workbook = new ExcelJS.Workbook();
  // exceljs' typings declare their own `Buffer` (an ArrayBuffer); at run time it takes a Node Buffer.
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  context.signal.throwIfAborted();
  const sections: ParsedSection[] = [];
  const tables: ParsedTable[] = [];
  for (const sheet of workbook.worksheets) {
    const grid = readGrid(sheet);
    if (!grid) continue;
    const { table, section } = gridToTableAndSection({ name: sheet.name, sheet: sheet.name, ...grid });
    tables.push(table);
    if (section) sections.push(section);
  }
  const metadata = { sheets: String(workbook.worksheets.length) };
  return { sections, tables, metadata };
}

/** The used rectangle of a sheet (first to last non-empty row and column) as scalar rows. */
function readGrid(
  sheet: ExcelJS.Worksheet,
): { firstRow: number; firstColumn: number; cells: TableCell[][] } | undefined {
  const values = new Map<number, Map<number, TableCell>>();
  let firstRow = Infinity;
  let lastRow = 0;
  let firstColumn = Infinity;
  let lastColumn = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
      const value = cellScalar(cell.value);
      if (value === null) return;
      let rowValues = values.get(rowNumber);
      if (!rowValues) values.set(rowNumber, (rowValues = new Map()));
      rowValues.set(columnNumber, value);
      firstRow = Math.min(firstRow, rowNumber);
      lastRow = Math.max(lastRow, rowNumber);
      firstColumn = Math.min(firstColumn, columnNumber);
      lastColumn = Math.max(lastColumn, columnNumber);
    });
  });
  if (lastRow === 0) return undefined;
  const area = (lastRow - firstRow + 1) * (lastColumn - firstColumn + 1);
  if (area > MAX_GRID_CELLS) {
    // Two far-apart cells (A1 and XFD1048576) would otherwise make a dense grid of billions.
    throw new ParseError(
      'too_large',
      `The sheet "${sheet.name}" spans ${area.toLocaleString('en')} cells (limit ${MAX_GRID_CELLS.toLocaleString('en')}).`,
    );
  }
  const cells: TableCell[][] = [];
  for (let r = firstRow; r <= lastRow; r++) {
    const rowValues = values.get(r);
    cells.push(
      Array.from({ length: lastColumn - firstColumn + 1 }, (_, i) => rowValues?.get(firstColumn + i) ?? null),
    );
  }
  return { firstRow, firstColumn, cells };
}
