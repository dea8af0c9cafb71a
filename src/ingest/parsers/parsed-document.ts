/**
 * What a parser hands on: text in sections that each carry where they came from (the anchor a
 * citation shows: "p. 12", "Sheet 売上, A1:F30", "スライド 3", "第3章 > 3.2 経費"), plus tables
 * kept whole for the analytics pillar. Pure data, no database.
 */

/** Where a piece of text sits in its document. Only the fields that make sense for the format are set. */
export interface Anchor {
  /** 1-based PDF page. */
  page?: number;
  /** Spreadsheet sheet name (XLSX). */
  sheet?: string;
  /**
   * A1-style cell range, e.g. "A2:F30". When a section has a range, its text holds exactly one
   * line per row of that range, in order (an empty row is an empty line): the chunker relies on it
   * to give every row group its own range.
   */
  range?: string;
  /** 1-based slide number (PPTX). */
  slide?: number;
  /** Path of the nearest headings, outermost first, e.g. "第3章 > 3.2 経費". */
  heading?: string;
}

export interface ParsedSection {
  text: string;
  anchor: Anchor;
}

export type TableCell = string | number | boolean | null;

/** A sheet or CSV file kept as rows for the analytics pillar. */
export interface ParsedTable {
  /** The sheet name, or the file's title for CSV. */
  name: string;
  columns: string[];
  rows: TableCell[][];
}

export type DocumentLanguage = 'ja' | 'en' | 'mixed';

export interface ParsedDocument {
  title: string;
  mimeType: string;
  sections: ParsedSection[];
  tables: ParsedTable[];
  /** E-mail attachments, parsed with the same limits (one level deeper each time). */
  attachments: ParsedDocument[];
  /** Small facts worth keeping: encoding, page/sheet/slide counts, author, e-mail from/to/date… */
  metadata: Record<string, string>;
  language?: DocumentLanguage;
  /**
   * Problems that did not stop the parse (bytes that could not be decoded, an attachment that was
   * skipped): recorded so a document is never silently incomplete.
   */
  warnings: string[];
}
