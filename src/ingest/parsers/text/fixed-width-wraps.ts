import { endsWithWide, isWideHighSurrogate, isWideUnit, WIDE_CHARACTER } from './wide-line-breaks.js';

/**
 * Plain text and e-mail wrapped at a fixed width. Japanese mail programs and old systems break
 * every line at N full-width characters, inside words as often as not; but in plain text a single
 * line break may as well end a list item, a table row or a heading, and those must stay apart. A
 * wrap is told from them by width: in a wrapped paragraph, every line but the last is full. So a
 * text's lines are joined only when it has a wrap width — at least MIN_FULL_LINES long lines
 * (of at least MIN_WIDTH columns) within SLACK columns of one width, and most of its long lines
 * there — and then only after a full line, between two wide characters, when the next line
 * does not start with a space or an indent, and neither line is a table's row. A text whose paragraphs are each one line has lines
 * of every width, and is left as it is.
 *
 * A reply quotes the earlier mail line by line ("> " before each, wrapped as it was): two quoted
 * lines of one depth are judged by what follows their marks, and the second's marks go when
 * they are joined, so the quoted paragraph reads as one line with its marks once in front.
 */
const MIN_WIDTH = 40;
const MIN_FULL_LINES = 3;
/** A full line may be a character short or long of the width: kinsoku moves 、。 across a break. */
const SLACK = 4;

/** A line that starts with a space (an ideographic one is a paragraph's indent) starts something new. */
const STARTS_WIDE = new RegExp(`^(?![\\s\\u3000])${WIDE_CHARACTER}`);
/** Columns set apart by a tab, a "|", two spaces or an ideographic space: a table's row, not prose. */
const TABULAR = /\t|\|| {2}|\S\u3000/;

/** A reply's quote marks at a line's start: "> ", ">>", "> > " (a full-width ＞ is > after normalizeText). */
const QUOTE_MARKS = /^(?:> ?)+/;

const quoteMarks = (line: string) => QUOTE_MARKS.exec(line)?.[0] ?? '';
const quoteDepth = (marks: string) => marks.replace(/ /g, '').length;

/** Display columns: two for a wide character, one for any other. */
function columns(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (isWideUnit(code)) width += 2;
    else if (isWideHighSurrogate(code) && i + 1 < line.length) {
      width += 2; // a kanji beyond the BMP: the pair counts once
      i++;
    } else width += 1;
  }
  return width;
}

/** The width the text is wrapped at, or null when it is not wrapped at one width. */
export function wrapWidth(widths: readonly number[]): number | null {
  const long = widths.filter((w) => w >= MIN_WIDTH).sort((a, b) => a - b);
  if (long.length < MIN_FULL_LINES) return null;
  let best = 0;
  let width = 0;
  // For each candidate top width, how many long lines lie within SLACK columns below it.
  for (let hi = 0, lo = 0; hi < long.length; hi++) {
    while (long[lo]! < long[hi]! - SLACK) lo++;
    if (hi - lo + 1 >= best) {
      best = hi - lo + 1;
      width = long[hi]!;
    }
  }
  return best >= MIN_FULL_LINES && best * 2 > long.length ? width : null;
}

/** `text` with the line breaks that wrap its full lines between two wide characters removed. */
export function joinFixedWidthWraps(text: string): string {
  if (!text.includes('\n')) return text;
  const lines = text.split('\n');
  const widths = lines.map((line) => columns(line.trimEnd()));
  const width = wrapWidth(widths);
  if (width === null) return text;
  let joined = '';
  let runsOn = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marks = quoteMarks(line);
    // A line that runs on from the one before loses its quote marks: they stand once, in front.
    const kept = runsOn ? line.slice(marks.length) : line;
    const next = lines[i + 1];
    if (next === undefined) return joined + kept;
    const nextMarks = quoteMarks(next);
    const body = line.slice(marks.length);
    const nextBody = next.slice(nextMarks.length);
    const full = Math.abs(widths[i]! - width) <= SLACK;
    runsOn =
      full &&
      quoteDepth(marks) === quoteDepth(nextMarks) &&
      endsWithWide(body) &&
      STARTS_WIDE.test(nextBody) &&
      !TABULAR.test(body) &&
      !TABULAR.test(nextBody);
    joined += runsOn ? kept : `${kept}\n`;
  }
  return joined;
}
