import type { PrintedLine } from './printed-lines.js';

/** Past this many printed lines on a page, every line counts as wrapped (the comparison below is quadratic). */
const MAX_MEASURED_LINES = 2000;
/** How short of its column's right edge a wrapped line may end, in character sizes (kinsoku, rounding). */
const SLACK_IN_SIZES = 1.5;

/**
 * Which of a page's printed lines run on into the next. A line of wrapped text reaches its
 * column's right edge; a heading, a paragraph's last line, a list item or a table row ends short
 * of it. A column is the lines starting where this one starts (within the slack); a line alone at
 * its start (a centred title) counts only if it reaches the page's right edge. A line whose extent
 * is unknown (rotated text) counts as wrapped, as every line did before extents were kept.
 */
export function wrappedLines(lines: readonly PrintedLine[]): boolean[] {
  const measured = lines.filter((line) => line.extent !== undefined && line.text.trim() !== '');
  if (measured.length === 0 || measured.length > MAX_MEASURED_LINES) return lines.map(() => true);
  const pageRight = Math.max(...measured.map((line) => line.extent!.right));
  return lines.map(({ extent }) => {
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
}
