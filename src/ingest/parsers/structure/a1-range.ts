/** Spreadsheet addresses as people read them in citations: column letters and 1-based rows. */
export interface CellRange {
  firstColumn: number;
  firstRow: number;
  lastColumn: number;
  lastRow: number;
}

/** 1 → A, 26 → Z, 27 → AA (bijective base 26). */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const letter of letters) n = n * 26 + (letter.charCodeAt(0) - 64);
  return n;
}

export function formatRange(range: CellRange): string {
  return `${columnLetters(range.firstColumn)}${range.firstRow}:${columnLetters(range.lastColumn)}${range.lastRow}`;
}

/** "A2:F30" → numbers; undefined for anything else (a range is only trusted if it parses). */
export function parseRange(text: string): CellRange | undefined {
  const match = /^([A-Z]{1,3})([1-9]\d{0,6}):([A-Z]{1,3})([1-9]\d{0,6})$/.exec(text);
  if (!match) return undefined;
  const [, c1 = '', r1 = '', c2 = '', r2 = ''] = match;
  const range = {
    firstColumn: columnNumber(c1),
    firstRow: Number(r1),
    lastColumn: columnNumber(c2),
    lastRow: Number(r2),
  };
  return range.firstRow <= range.lastRow && range.firstColumn <= range.lastColumn ? range : undefined;
}
