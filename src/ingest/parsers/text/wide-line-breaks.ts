/**
 * A line break between two East Asian wide characters is layout, not a word boundary. Japanese
 * writes no space between words, so a printed line ends inside a word as often as not ("疑\n問" is
 * 疑問), and read as a space it splits the word in two: search would never match it, and a snippet
 * would show "疑 問". CSS Text's segment-break rule removes such a break when HTML is rendered; a
 * PDF's text layer ends every printed line with one.
 */

/** The UTF-16 units of wide characters in the BMP: CJK scripts and punctuation, compatibility ideographs, full-width forms. */
const WIDE_UNITS = [
  [0x2e80, 0x9fff],
  [0xf900, 0xfaff],
  [0xff00, 0xffef],
] as const;
/** High surrogates of the kanji beyond the BMP (U+20000–U+2FFFF). */
const WIDE_HIGH_SURROGATES = [0xd840, 0xd87f] as const;

const unit = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;

/** One East Asian wide character, as a regular expression's source (kanji beyond the BMP included). */
export const WIDE_CHARACTER = `(?:[${WIDE_UNITS.map(([from, to]) => `${unit(from)}-${unit(to)}`).join('')}]|[${unit(
  WIDE_HIGH_SURROGATES[0],
)}-${unit(WIDE_HIGH_SURROGATES[1])}][\\udc00-\\udfff])`;

/** Is this UTF-16 unit a wide character of the BMP? */
export const isWideUnit = (code: number) => WIDE_UNITS.some(([from, to]) => code >= from && code <= to);

/** Does this unit start a wide character beyond the BMP (the high half of its surrogate pair)? */
export const isWideHighSurrogate = (code: number) =>
  code >= WIDE_HIGH_SURROGATES[0] && code <= WIDE_HIGH_SURROGATES[1];

const ENDS_WIDE = new RegExp(`${WIDE_CHARACTER}$`);

/** Does the line end with a wide character (nothing after it, not even a space)? */
export const endsWithWide = (line: string) => ENDS_WIDE.test(line);

/** A line's last wide character, and the spaces after it that go when the line is joined. */
const TRAILING_WIDE = new RegExp(`(${WIDE_CHARACTER})[ \\t\\r\\u3000]*$`);
/** The spaces before a line's first wide character, which go when it is joined to the line before. */
const LEADING_WIDE = new RegExp(`^[ \\t\\r\\u3000]*(?=${WIDE_CHARACTER})`);

/** Any run of whitespace holding a line break, between two wide characters (HTML collapses it all). */
const SEGMENT_BREAK = new RegExp(
  `(${WIDE_CHARACTER})[ \\t\\r\\f]*\\n[ \\t\\r\\n\\f]*(?=${WIDE_CHARACTER})`,
  'g',
);

/**
 * Joins lines with line breaks, except after a line that `wraps` (by its index) where the break
 * lies between two wide characters: there the line runs on, the spaces around the break dropped.
 */
export function joinLines(lines: readonly string[], wraps: (index: number) => boolean): string {
  const parts: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const runsOn = k > 0 && wraps(k - 1) && TRAILING_WIDE.test(lines[k - 1]!) && LEADING_WIDE.test(line);
    if (!runsOn) {
      if (k > 0) parts.push('\n');
      parts.push(line);
      continue;
    }
    parts[parts.length - 1] = parts.at(-1)!.replace(TRAILING_WIDE, '$1');
    parts.push(line.replace(LEADING_WIDE, ''));
  }
  return parts.join('');
}

/** HTML source: removes whitespace holding a line break between two wide characters, before the rest collapses to spaces. */
export function removeWideSegmentBreaks(text: string): string {
  return text.includes('\n') ? text.replace(SEGMENT_BREAK, '$1') : text;
}
