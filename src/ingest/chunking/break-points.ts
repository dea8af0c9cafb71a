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

/** Japanese sentence ends (full-width), which need no space after them. */
const WIDE_TERMINATORS = new Set(['。', '！', '？', '．']);
/** Latin sentence ends count only before whitespace ("3.14" and "e.g.x" are not sentence ends). */
const NARROW_TERMINATORS = new Set(['.', '!', '?']);
/** Closing brackets and quotes that belong to the sentence they close: 「…。」 ends after 」. */
const CLOSERS = new Set(['」', '』', '）', ')', '】', '〕', '〉', '》', '〙', '〗', '”', '’', '"', "'", ']', '］', '｝', '}']);
const WIDE_COMMAS = new Set(['、', '，', '､', '；', '：']);
const NARROW_COMMAS = new Set([',', ';', ':']);

export function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\n' || char === '\t' || char === '\u3000' || char === '\r';
}

/**
 * How good a split right before `at` is (the next chunk would start at text[at]). Only positions
 * where visible text starts qualify, so a chunk never begins with the whitespace that ended the
 * previous one; that whitespace stays at the end of the previous chunk.
 */
export function breakLevelAt(text: string, at: number, from: number): BreakLevel {
  const next = text[at];
  if (at <= from || at >= text.length || next === undefined || isSpace(next) || CLOSERS.has(next)) return BreakLevel.None;
  let visibleEnd = at;
  let newlines = 0;
  while (visibleEnd > from && isSpace(text[visibleEnd - 1])) {
    if (text[visibleEnd - 1] === '\n') newlines++;
    visibleEnd--;
  }
  if (newlines >= 2) return BreakLevel.Paragraph;
  const spaced = visibleEnd < at;
  let terminatorAt = visibleEnd - 1;
  while (terminatorAt > from && CLOSERS.has(text[terminatorAt] ?? '')) terminatorAt--;
  const terminator = text[terminatorAt] ?? '';
  if (WIDE_TERMINATORS.has(terminator) || (spaced && NARROW_TERMINATORS.has(terminator))) return BreakLevel.Sentence;
  if (newlines === 1) return BreakLevel.Line;
  const previous = text[visibleEnd - 1] ?? '';
  if (WIDE_COMMAS.has(previous) || (spaced && NARROW_COMMAS.has(previous))) return BreakLevel.Comma;
  return spaced ? BreakLevel.Space : BreakLevel.None;
}
