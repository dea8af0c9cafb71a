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
  for (const m of ranked) {
    if (m.end <= m.start) continue;
    if (kept.every((k) => m.end <= k.start || m.start >= k.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}
