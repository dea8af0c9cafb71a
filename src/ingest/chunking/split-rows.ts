import { formatRange, parseRange } from '../parsers/structure/a1-range.js';
import type { ChunkOptions } from './chunk.js';
import { splitProse, type Span } from './split-prose.js';

export interface RowSpan extends Span {
  range: string;
}

/**
 * A table section (one line per row of its A1 range) splits between rows, never inside one unless
 * a single row is longer than maxChars: groups of whole rows up to the target size, each with the
 * range of exactly its rows. No overlap: every line names its columns, so a group reads on its own.
 * Returns undefined when the text does not match its range (then it is chunked as prose).
 */
export function splitRows(
  text: string,
  rangeText: string,
  options: Required<ChunkOptions>,
): RowSpan[] | undefined {
  const range = parseRange(rangeText);
  if (!range) return undefined;
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  if (lineStarts.length !== range.lastRow - range.firstRow + 1) return undefined;

  const rangeOf = (first: number, last: number) =>
    formatRange({ ...range, firstRow: range.firstRow + first, lastRow: range.firstRow + last });
  const lineEnd = (line: number) => lineStarts[line + 1] ?? text.length; // includes the newline
  const spans: RowSpan[] = [];
  let first = 0;
  while (first < lineStarts.length) {
    const start = lineStarts[first] ?? 0;
    if (lineEnd(first) - start > options.maxChars) {
      // One oversized row: split it as prose, every piece citing that one row.
      const rowText = text.slice(start, lineEnd(first));
      for (const piece of splitProse(rowText, options, 0)) {
        spans.push({ start: start + piece.start, end: start + piece.end, range: rangeOf(first, first) });
      }
      first++;
      continue;
    }
    let last = first;
    while (last + 1 < lineStarts.length && lineEnd(last + 1) - start <= options.targetChars) last++;
    spans.push({ start, end: lineEnd(last), range: rangeOf(first, last) });
    first = last + 1;
  }
  return spans;
}
