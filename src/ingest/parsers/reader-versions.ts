/**
 * The version of each format's reader (by the MIME type Kura stores on its documents). A reader is
 * given a new version when it keeps different text from the same bytes; a document an older
 * version read is then read again at its next sync or ingest, though its file has not changed,
 * so what is already indexed gets the better text (migrations/0018). Formats not listed are at 1.
 *
 * - application/pdf 2 (2026-12-07): a printed line's break between two wide characters is
 *   removed (text/wide-line-breaks.ts); before, every line end split a Japanese word.
 *   3 (2026-12-07, later): only after a line that reaches its column's right edge
 *   (pdf-text/wrapped-lines.ts); a heading, a list item or a paragraph's last line keeps its break.
 *   4 (2026-12-07, later still): a full line keeps its break before a paragraph's first line (set
 *   in by a character, or an ideographic space first) and before a list item's marker.
 * - text/markdown 2 (2026-12-07): a soft line break between two wide characters is removed
 *   (formats/markdown-soft-breaks.ts); before, it became a space inside a Japanese word.
 * - text/plain 2, message/rfc822 2 (2026-12-07): text wrapped at a fixed width has its Japanese
 *   lines joined where they wrap (text/fixed-width-wraps.ts).
 *   3 (2026-12-07, later): so are a reply's quoted lines ("> " before each), their marks kept once.
 *
 * A database row is text Kura renders, not a file a reader reads: its MIME type is text/plain,
 * but reader versions never make it count as changed (IngestService.ingestText).
 */
const READER_VERSIONS: Readonly<Record<string, number>> = {
  'application/pdf': 4,
  'text/markdown': 2,
  'text/plain': 3,
  'message/rfc822': 3,
};

/** The current reader's version for documents of this MIME type. */
export function readerVersion(mimeType: string | null): number {
  return (mimeType !== null && READER_VERSIONS[mimeType]) || 1;
}

/** Was the document read by its format's current reader? */
export function readByCurrentReader(document: { mimeType: string | null; readerVersion: number }): boolean {
  return document.readerVersion >= readerVersion(document.mimeType);
}
