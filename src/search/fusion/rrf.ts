/**
 * Reciprocal-rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): the point where the lexical
 * (BM25) and vector rankings meet once an embedding provider exists.
 *
 *   rrf(d) = Σ_lists 1 / (k + rank_list(d))      rank from 1; a list without d adds nothing
 *
 * Ranks, not scores, are fused: BM25 and cosine similarity are on scales that cannot be added.
 */
export const RRF_K = 60;

export interface Fused<T> {
  key: string;
  /** The item as the first list that ranks it gave it. */
  item: T;
  score: number;
  /** Its 1-based rank in each input list, null where the list does not contain it. */
  ranks: (number | null)[];
}

/**
 * Fuses ranked lists (best first) into one, best first; ties are broken by the best single rank,
 * then by key, so the order is stable. A key repeated inside one list counts at its first rank.
 */
export function reciprocalRankFusion<T>(
  lists: readonly (readonly T[])[],
  keyOf: (item: T) => string,
  k: number = RRF_K,
): Fused<T>[] {
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError('RRF k must be a finite number ≥ 0');
  const fused = new Map<string, Fused<T>>();
  lists.forEach((list, l) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const key = keyOf(item);
      if (seen.has(key)) return;
      seen.add(key);
      let entry = fused.get(key);
      if (!entry) {
        entry = { key, item, score: 0, ranks: lists.map(() => null) };
        fused.set(key, entry);
      }
      entry.ranks[l] = i + 1;
      entry.score += 1 / (k + i + 1);
    });
  });
  const bestRank = (f: Fused<T>) => Math.min(...f.ranks.map((r) => r ?? Infinity));
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
