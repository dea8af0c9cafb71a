import { PII_TYPES, type PiiMatch } from './pii-types.js';

const TYPE_RANK = new Map(PII_TYPES.map((t, i) => [t, i]));

/**
 * Keeps a set of non-overlapping matches, deterministically: higher confidence first, then the
 * longer span, then the type listed first in PII_TYPES, then the earlier start. The result is sorted
 * by start. Input order never changes the outcome.
 */
export function resolveOverlaps(matches: readonly PiiMatch[]): PiiMatch[] {
  const ranked = [...matches].sort(
    (a, b) =>
      b.confidence - a.confidence ||
      b.end - b.start - (a.end - a.start) ||
      TYPE_RANK.get(a.type)! - TYPE_RANK.get(b.type)! ||
      a.start - b.start,
  );
  const kept: PiiMatch[] = [];
  // One flag per character: linear in the text covered, however many matches there are.
  const taken = new Uint8Array(matches.reduce((n, m) => Math.max(n, m.end), 0));
  for (const m of ranked) {
    if (m.end <= m.start || taken.subarray(m.start, m.end).includes(1)) continue;
    taken.fill(1, m.start, m.end);
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}
