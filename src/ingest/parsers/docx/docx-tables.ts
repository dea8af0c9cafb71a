import type { Element } from 'domhandler';
import { assembleBlocks, element, type Block } from './docx-blocks.js';
import { integer } from './docx-styles.js';
import { attribute } from './xml-scan.js';

interface CellDraft {
  blocks: Block[];
  span: number;
  continuesMerge: boolean;
}

interface TableDraft {
  rows: CellDraft[][];
  row?: { cells: CellDraft[]; deleted: boolean };
  /** False when something other than rows sits in the table: mammoth then keeps merged cells. */
  mergeable: boolean;
}

/**
 * The tables open at the current point of the body (tables nest in cells). Rows marked deleted
 * (w:trPr/w:del) are dropped; a vertically merged cell's continuations are no cells of their own.
 * Each row becomes one line of the section, its cells separated as the walker separates them.
 */
export class TableStack {
  private readonly tables: TableDraft[] = [];
  private readonly cells: (CellDraft | undefined)[] = [];

  openTable(): void {
    this.tables.push({ rows: [], mergeable: true });
  }

  openRow(): void {
    const table = this.tables.at(-1);
    if (table) table.row = { cells: [], deleted: false };
  }

  deleteRow(): void {
    const row = this.tables.at(-1)?.row;
    if (row) row.deleted = true;
  }

  /** Something other than a row inside the table or a row (a bookmark). */
  interrupt(): void {
    const table = this.tables.at(-1);
    if (table) table.mergeable = false;
  }

  openCell(): void {
    this.cells.push(this.tables.at(-1)?.row ? { blocks: [], span: 1, continuesMerge: false } : undefined);
  }

  /** A direct child of the open cell's w:tcPr. */
  cellProperty(name: string, attributes: string): void {
    const cell = this.cells.at(-1);
    if (!cell) return;
    if (name === 'w:gridSpan') cell.span = integer(attribute(attributes, 'w:val')) ?? 1;
    else if (name === 'w:vMerge') {
      const value = attribute(attributes, 'w:val');
      cell.continuesMerge = value === undefined || value === 'continue';
    }
  }

  /** False when the cell stood outside any row: the caller keeps its blocks in the flow. */
  closeCell(blocks: Block[]): boolean {
    const cell = this.cells.pop();
    const row = this.tables.at(-1)?.row;
    if (!cell || !row) return false;
    cell.blocks = blocks;
    row.cells.push(cell);
    return true;
  }

  closeRow(): void {
    const table = this.tables.at(-1);
    if (!table) return;
    if (table.row && !table.row.deleted) table.rows.push(table.row.cells);
    table.row = undefined;
  }

  closeTable(): Element | undefined {
    const table = this.tables.pop();
    if (!table) return undefined;
    const rows = table.mergeable ? withoutMergedCells(table.rows) : table.rows;
    return element(
      'table',
      rows.map((cells) =>
        element(
          'tr',
          cells.map((cell) => element('td', assembleBlocks(cell.blocks))),
        ),
      ),
    );
  }
}

/** mammoth folds a merge's continuation cells into the first cell's rowspan: they add no cell. */
function withoutMergedCells(rows: CellDraft[][]): CellDraft[][] {
  const columns = new Map<number, CellDraft>();
  return rows.map((cells) => {
    let column = 0;
    const kept: CellDraft[] = [];
    for (const cell of cells) {
      if (!(cell.continuesMerge && columns.has(column))) {
        columns.set(column, cell);
        kept.push(cell);
      }
      column += cell.span;
    }
    return kept;
  });
}
