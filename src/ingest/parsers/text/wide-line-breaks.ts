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

/** One line break (and the spaces around it) between two wide characters: a paragraph's blank line is not one. */
const WRAP = new RegExp(`(${WIDE_CHARACTER})[ \\t\\r\\u3000]*\\n[ \\t\\r\\u3000]*(?=${WIDE_CHARACTER})`, 'g');
/** Any run of whitespace holding a line break, between two wide characters (HTML collapses it all). */
const SEGMENT_BREAK = new RegExp(
  `(${WIDE_CHARACTER})[ \\t\\r\\f]*\\n[ \\t\\r\\n\\f]*(?=${WIDE_CHARACTER})`,
  'g',
);

/** Removes the line breaks that only wrap a line between two wide characters (a PDF page's text). */
export function joinWrappedLines(text: string): string {
  return text.includes('\n') ? text.replace(WRAP, '$1') : text;
}

/** HTML source: removes whitespace holding a line break between two wide characters, before the rest collapses to spaces. */
export function removeWideSegmentBreaks(text: string): string {
  return text.includes('\n') ? text.replace(SEGMENT_BREAK, '$1') : text;
}
