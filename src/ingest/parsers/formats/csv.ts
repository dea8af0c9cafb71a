import { CsvError, parse } from 'csv-parse/sync';
import type { TableCell } from '../parsed-document.js';
import { ParseError } from '../parse-error.js';
import { gridToTableAndSection } from '../structure/table-section.js';
import type { DecodedText } from '../text/decode-text.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatResult } from './format-result.js';

/** Integers and decimals as written by spreadsheets; "007" stays a string (codes, postal codes). */
const NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?$/;

/**
 * CSV/TSV via csv-parse on already-decoded text: one table (for analytics) and one section of
 * `列: 値` lines anchored at its A1 range. Row numbers count records (blank lines skipped).
 */
export function parseCsv(decoded: DecodedText, delimiter: string, name: string): FormatResult {
  let records: string[][];
  try {
    records = parse(normalizeText(decoded.text), {
      delimiter: chooseDelimiter(decoded.text, delimiter),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      throw new ParseError('corrupt_file', `The CSV file could not be read: ${error.message.slice(0, 200)}`);
    }
    throw error;
  }
  const cells: TableCell[][] = records.map((record) => record.map(typedCell));
  const { table, section } = gridToTableAndSection({ name, firstRow: 1, firstColumn: 1, cells });
  return { sections: section ? [section] : [], tables: [table] };
}

/** A file named .csv that is really tab-separated (Excel's "Unicode text" export) is common. */
function chooseDelimiter(text: string, fallback: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? 4096 : text.indexOf('\n'));
  if (fallback === ',' && firstLine.includes('\t') && !firstLine.includes(',')) return '\t';
  return fallback;
}

function typedCell(value: string): TableCell {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return NUMBER.test(trimmed) ? Number(trimmed) : value;
}
