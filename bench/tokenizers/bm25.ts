/**
 * Reference Okapi BM25 over token arrays (what pg_textsearch computes over
 * space-joined tokens with text_config='simple'):
 *   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
 *   score  = Σ_{t ∈ query} idf(t) · tf·(k1+1) / (tf + k1·(1 - b + b·|d|/avgdl))
 * A query token that occurs twice counts twice: pg_textsearch does the same
 * (checked with PGlite: 'a a' scores exactly 2× 'a'), so that is the default.
 */
/** Lucene SmallFloat.intToByte4/byte4ToInt: 1-byte lossy doc length ("fieldnorm"). */
export function quantizeLength(len: number): number {
  const FREE = 24;
  if (len < FREE) return len;
  const i = len - FREE;
  const numBits = 32 - Math.clz32(i);
  let encoded: number;
  if (numBits < 4) encoded = i;
  else {
    const shift = numBits - 4;
    encoded = ((i >>> shift) & 0x07) | ((shift + 1) << 3);
  }
  const bits = encoded & 0x07;
  const shift = (encoded >>> 3) - 1;
  const decoded = shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
  return decoded + FREE;
}

export class Bm25Index {
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Int32Array }>();
  private readonly lengths: Float64Array;
  private readonly avgdl: number;
  readonly n: number;

  constructor(
    docs: readonly (readonly string[])[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
    private readonly uniqueQueryTerms = false,
    private readonly quantize = false,
  ) {
    this.n = docs.length;
    this.lengths = new Float64Array(docs.length);
    const tmp = new Map<string, { docs: number[]; tfs: number[] }>();
    let total = 0;
    docs.forEach((tokens, d) => {
      this.lengths[d] = this.quantize ? quantizeLength(tokens.length) : tokens.length;
      total += tokens.length;
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, c] of tf) {
        let p = tmp.get(t);
        if (!p) tmp.set(t, (p = { docs: [], tfs: [] }));
        p.docs.push(d);
        p.tfs.push(c);
      }
    });
    this.avgdl = total / Math.max(1, docs.length);
    for (const [t, p] of tmp)
      this.postings.set(t, { docs: Int32Array.from(p.docs), tfs: Int32Array.from(p.tfs) });
  }

  idf(df: number): number {
    return Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
  }

  scores(query: readonly string[]): Float64Array {
    const s = new Float64Array(this.n);
    const qtf = new Map<string, number>();
    for (const t of query) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    for (const [t, count] of qtf) {
      const p = this.postings.get(t);
      if (!p) continue;
      const idf = this.idf(p.docs.length) * (this.uniqueQueryTerms ? 1 : count);
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i] as number;
        const tf = p.tfs[i] as number;
        const norm = this.k1 * (1 - this.b + (this.b * (this.lengths[d] as number)) / this.avgdl);
        s[d] = (s[d] as number) + (idf * (tf * (this.k1 + 1))) / (tf + norm);
      }
    }
    return s;
  }

  /** 1-based rank of `gold` (ties broken by doc id), or Infinity if it scores 0. */
  rankOf(query: readonly string[], gold: number): number {
    const s = this.scores(query);
    const g = s[gold] as number;
    if (g <= 0) return Infinity;
    let rank = 1;
    for (let d = 0; d < this.n; d++) {
      const v = s[d] as number;
      if (v > g || (v === g && d < gold)) rank++;
    }
    return rank;
  }
}
