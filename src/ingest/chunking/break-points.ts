/** How good a place to split is, best first. */
export const BreakLevel = {
  Paragraph: 0,
  Sentence: 1,
  Line: 2,
  Comma: 3,
  Space: 4,
  None: 5,
} as const;
export type BreakLevel = (typeof BreakLevel)[keyof typeof BreakLevel];

const PLAIN = 0;
const SPACE = 1;
const NEWLINE = 2;
/** Japanese sentence ends (full-width), which need no space after them. */
const WIDE_TERMINATOR = 3;
/** Latin sentence ends count only before whitespace ("3.14" and "e.g.x" are not sentence ends). */
const NARROW_TERMINATOR = 4;
/** Closing brackets and quotes that belong to the sentence they close: 「…。」 ends after 」. */
const CLOSER = 5;
const WIDE_COMMA = 6;
const NARROW_COMMA = 7;

/**
 * The splitter looks at every position of its window, so characters are classified by a table
 * lookup on their UTF-16 code (indexing a Japanese string per character would allocate).
 */
const CLASS = new Uint8Array(0x10000);
const mark = (chars: string, kind: number) => {
  for (const char of chars) CLASS[char.charCodeAt(0)] = kind;
};
mark(' \t\r\u3000', SPACE);
mark('\n', NEWLINE);
mark('。！？．', WIDE_TERMINATOR);
mark('.!?', NARROW_TERMINATOR);
mark('」』）)】〕〉》〙〗”’"\']］｝}', CLOSER);
mark('、，､；：', WIDE_COMMA);
mark(',;:', NARROW_COMMA);

const classAt = (text: string, at: number) => CLASS[text.charCodeAt(at)] ?? PLAIN;

/**
 * How good a split right before `at` is (the next chunk would start at text[at]). Only positions
 * where visible text starts qualify, so a chunk never begins with the whitespace that ended the
 * previous one; that whitespace stays at the end of the previous chunk.
 */
export function breakLevelAt(text: string, at: number, from: number): BreakLevel {
  if (at <= from || at >= text.length) return BreakLevel.None;
  const next = classAt(text, at);
  if (next === SPACE || next === NEWLINE || next === CLOSER) return BreakLevel.None;
  // The common case, between two ordinary characters, is decided by one lookup.
  const before = classAt(text, at - 1);
  if (before === PLAIN) return BreakLevel.None;
  let visibleEnd = at;
  let newlines = 0;
  while (visibleEnd > from) {
    const kind = classAt(text, visibleEnd - 1);
    if (kind !== SPACE && kind !== NEWLINE) break;
    if (kind === NEWLINE) newlines++;
    visibleEnd--;
  }
  if (newlines >= 2) return BreakLevel.Paragraph;
  const spaced = visibleEnd < at;
  let terminatorAt = visibleEnd - 1;
  while (terminatorAt > from && classAt(text, terminatorAt) === CLOSER) terminatorAt--;
  const terminator = classAt(text, terminatorAt);
  if (terminator === WIDE_TERMINATOR || (spaced && terminator === NARROW_TERMINATOR))
    return BreakLevel.Sentence;
  if (newlines === 1) return BreakLevel.Line;
  const previous = classAt(text, visibleEnd - 1);
  if (previous === WIDE_COMMA || (spaced && previous === NARROW_COMMA)) return BreakLevel.Comma;
  return spaced ? BreakLevel.Space : BreakLevel.None;
}
