import type { PrintedLine } from './printed-lines.js';

/** Past this many printed lines on a page, every line counts as wrapped (the comparison below is quadratic). */
const MAX_MEASURED_LINES = 2000;
/** How short of its column's right edge a wrapped line may end, in character sizes (kinsoku, rounding). */
const SLACK_IN_SIZES = 1.5;
/** A step down to the next line this much larger than the page's usual one is a paragraph's spacing. */
const PARAGRAPH_SPACING = 1.4;
/** A next line set in from this one's left by this many character sizes is a paragraph's first line (字下げ). */
const INDENT_IN_SIZES = { min: 0.6, max: 2.5 } as const;
/** A list item's marker: its wrapped lines hang indented under its text, and run on. */
const LIST_MARKER =
  /^[\s\u3000]*(?:[・•●○■□◆◇▪※*\-–—]|[(（]?[0-9０-９一二三四五六七八九十]{1,3}[.)．）、]|[(（][0-9０-９a-zａ-ｚ一二三四五六七八九十]{1,3}[)）])/u;

/**
 * Which of a page's printed lines run on into the next. A line of wrapped text reaches its
 * column's right edge; a heading, a paragraph's last line, a list item or a table row ends short
 * of it. A column is the lines starting where this one starts (within the slack); a line alone at
 * its start (a centred title) counts only if it reaches the page's right edge. A full line followed
 * by a wider step down than the page's usual line pitch ends a paragraph, and so does one followed
 * by a paragraph's first line: one that starts with an ideographic space or a list item's marker
 * (kinsoku keeps ・ from starting a wrapped line), or is set in from it by about a character (字下げ)
 * where the full line is no list item (whose wrapped lines hang indented).
 * A line whose extent is unknown (rotated text) counts as wrapped, as every line did before
 * extents were kept.
 */
export function wrappedLines(lines: readonly PrintedLine[]): boolean[] {
  const measured = lines.filter((line) => line.extent !== undefined && line.text.trim() !== '');
  if (measured.length === 0 || measured.length > MAX_MEASURED_LINES) return lines.map(() => true);
  const pageRight = Math.max(...measured.map((line) => line.extent!.right));
  const full = lines.map(({ extent }) => {
    if (extent === undefined) return true;
    const slack = SLACK_IN_SIZES * extent.size;
    if (extent.right >= pageRight - slack) return true;
    let column = 0;
    let columnRight = -Infinity;
    for (const other of measured) {
      if (Math.abs(other.extent!.left - extent.left) > slack) continue;
      column++;
      columnRight = Math.max(columnRight, other.extent!.right);
    }
    return column >= 2 && extent.right >= columnRight - slack;
  });
  const steps = lines.map((line, index) => stepDown(line, lines[index + 1]));
  // Inside a paragraph a full line steps down by the line pitch: the step seen most after full lines.
  const pitch = mostCommon(steps.filter((step, index) => full[index] && step > 0));
  return full.map(
    (isFull, index) =>
      isFull &&
      !(steps[index]! > PARAGRAPH_SPACING * pitch) &&
      !startsParagraph(lines[index]!, lines[index + 1]),
  );
}

/** Does `next` start a paragraph or a list item after the full line `line`? */
function startsParagraph(line: PrintedLine, next: PrintedLine | undefined): boolean {
  if (next === undefined) return false;
  if (next.text.startsWith('\u3000') || LIST_MARKER.test(next.text)) return true;
  if (!line.extent || !next.extent || LIST_MARKER.test(line.text)) return false;
  const indent = next.extent.left - line.extent.left;
  return indent >= INDENT_IN_SIZES.min * line.extent.size && indent <= INDENT_IN_SIZES.max * line.extent.size;
}

/** How far down the next line stands (NaN when either is unmeasured or blank; negative when it stands higher: a new column). */
function stepDown(line: PrintedLine, next: PrintedLine | undefined): number {
  if (!line.extent || !next?.extent || next.text.trim() === '') return Number.NaN;
  return line.extent.baseline - next.extent.baseline;
}

/** The most common value to half a point (the smaller on a tie; NaN for none). */
function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) {
    const key = Math.round(value * 2) / 2;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = Number.NaN;
  let bestCount = 0;
  for (const [key, count] of counts)
    if (count > bestCount || (count === bestCount && key < best)) [best, bestCount] = [key, count];
  return best;
}
