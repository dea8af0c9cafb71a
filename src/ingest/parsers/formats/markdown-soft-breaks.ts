import { endsWithWide, WIDE_CHARACTER } from '../text/wide-line-breaks.js';

const STARTS_WIDE = new RegExp(`^[ \\t]*${WIDE_CHARACTER}`);
const INDENTED_CODE = /^( {4}|\t)/;
const ATX_HEADING = /^ {0,3}#/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Markdown source with its soft line breaks between two wide characters removed. Inside a
 * paragraph a single line break is a soft break, which a renderer shows as a space, and which CSS
 * then removes between two wide characters: hand-wrapped Japanese Markdown reads "疑\n問" as 疑問.
 * officeparser turns every soft break into a space, so they are joined in the source first. Left
 * alone: a hard break (trailing spaces or a backslash: the line does not end with a wide
 * character), a heading's line, lines of a table (a "|"), fenced or indented code, and any line
 * that starts with Markdown syntax rather than a wide character.
 */
export function joinMarkdownSoftBreaks(source: string): string {
  const lines = source.split('\n');
  let fence: string | null = null;
  let joined = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === null) fence = marker[0]!;
      else if (marker[0] === fence) fence = null;
    }
    const next = lines[i + 1];
    const soft =
      fence === null &&
      marker === undefined &&
      next !== undefined &&
      endsWithWide(line) &&
      STARTS_WIDE.test(next) &&
      !ATX_HEADING.test(line) &&
      !INDENTED_CODE.test(line) &&
      !INDENTED_CODE.test(next) &&
      !line.includes('|') &&
      !next.includes('|');
    joined += soft || next === undefined ? line : `${line}\n`;
    if (soft) lines[i + 1] = next.replace(/^[ \t]+/, '');
  }
  return joined;
}
