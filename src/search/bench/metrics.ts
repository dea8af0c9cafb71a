/** Retrieval quality with one relevant document per query (IDCG = 1). `rank` is 1-based; Infinity when not found. */
export interface Quality {
  ndcg10: number;
  mrr10: number;
  r1: number;
  r5: number;
  r20: number;
}

export function qualityFromRanks(ranks: readonly number[]): Quality {
  const q = { ndcg10: 0, mrr10: 0, r1: 0, r5: 0, r20: 0 };
  for (const r of ranks) {
    if (r <= 10) {
      q.ndcg10 += 1 / Math.log2(r + 1);
      q.mrr10 += 1 / r;
    }
    if (r <= 1) q.r1++;
    if (r <= 5) q.r5++;
    if (r <= 20) q.r20++;
  }
  const n = Math.max(1, ranks.length);
  return { ndcg10: q.ndcg10 / n, mrr10: q.mrr10 / n, r1: q.r1 / n, r5: q.r5 / n, r20: q.r20 / n };
}

/** Half-width of the 95 % normal confidence interval of mean nDCG@10 over queries. */
export function ndcgCi95(ranks: readonly number[]): number {
  const xs = ranks.map((r) => (r <= 10 ? 1 / Math.log2(r + 1) : 0));
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return 1.96 * Math.sqrt(variance / Math.max(1, xs.length));
}
