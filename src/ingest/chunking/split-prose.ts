import { BreakLevel, breakLevelAt } from './break-points.js';
import type { ChunkOptions } from './chunk.js';

export interface Span {
  start: number;
  end: number;
}

/**
 * Splits one section's text into spans of at most maxChars. First a partition (no overlap): each
 * piece ends at the best break the window allows (paragraph > sentence end > line > comma > space
 * > hard cut), nearest the target size. Then each piece after the first starts up to overlapChars
 * earlier, at a clean start where one exists. Pieces after the first reserve room for that
 * overlap, so overlap never pushes a span past maxChars.
 */
export function splitProse(
  text: string,
  options: Required<ChunkOptions>,
  overlapChars = options.overlapChars,
): Span[] {
  const cuts = [0];
  for (let from = 0; from < text.length;) {
    const budget = from === 0 ? options.maxChars : options.maxChars - overlapChars;
    const cut =
      text.length - from <= budget ? text.length : chooseCut(text, from, budget, options.targetChars);
    cuts.push(cut);
    from = cut;
  }
  const spans: Span[] = [];
  for (let i = 1; i < cuts.length; i++) {
    const start = cuts[i - 1] ?? 0;
    const end = cuts[i] ?? text.length;
    const previousStart = cuts[i - 2];
    spans.push({
      start:
        previousStart === undefined
          ? start
          : overlapStart(text, start, Math.min(overlapChars, start - previousStart - 1)),
      end,
    });
  }
  return spans;
}

function chooseCut(text: string, from: number, budget: number, targetChars: number): number {
  const ideal = from + Math.min(targetChars, budget);
  const lowest = from + Math.max(1, Math.floor(Math.min(targetChars, budget) / 2));
  const highest = from + budget;
  let bestAt = -1;
  let bestLevel: BreakLevel = BreakLevel.None;
  for (let at = lowest; at <= highest && at < text.length; at++) {
    const level = breakLevelAt(text, at, from);
    if (level === BreakLevel.None || level > bestLevel) continue;
    if (level < bestLevel || Math.abs(at - ideal) < Math.abs(bestAt - ideal)) {
      bestLevel = level;
      bestAt = at;
    }
  }
  return bestAt !== -1 ? bestAt : hardCut(text, ideal, from, highest);
}

/** Nothing better than cutting mid-word: at the target size, but never between a surrogate pair. */
function hardCut(text: string, at: number, from: number, highest: number): number {
  if (!isLowSurrogate(text.charCodeAt(at))) return at;
  return at - 1 > from ? at - 1 : Math.min(at + 1, highest);
}

/**
 * Where a span that continues the previous one starts: the earliest clean start (after a sentence
 * end, line, comma or space) within the overlap window, so the repeated text reads as a whole
 * clause; otherwise exactly overlapChars back.
 */
function overlapStart(text: string, cut: number, overlapChars: number): number {
  if (overlapChars <= 0) return cut;
  const earliest = cut - overlapChars;
  for (let at = earliest; at < cut; at++) {
    if (breakLevelAt(text, at, earliest - 1) <= BreakLevel.Space) return at;
  }
  return isLowSurrogate(text.charCodeAt(earliest)) ? earliest + 1 : earliest;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
