/**
 * A line break between two East Asian wide characters is layout, not a word boundary. Japanese
 * writes no space between words, so a printed line ends inside a word as often as not ("疑\n問" is
 * 疑問), and read as a space it splits the word in two: search would never match it, and a snippet
 * would show "疑 問". CSS Text's segment-break rule removes such a break when HTML is rendered; a
 * PDF's text layer ends every printed line with one.
 */

/** One East Asian wide character, as a regular expression's source (kanji beyond the BMP included). */
export const WIDE_CHARACTER =
  '(?:[\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]|[\\ud840-\\ud87f][\\udc00-\\udfff])';

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
