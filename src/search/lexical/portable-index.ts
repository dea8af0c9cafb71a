import type { Queryable } from '../../platform/db/database.js';
import {
  BM25,
  checkTenantId,
  chunkFilters,
  type LexicalHit,
  type LexicalIndex,
  type LexicalQuery,
} from './lexical-index.js';

/** Pruning pays only when the query's postings are long; below this many, everything is scored. */
export const PRUNE_MIN_POSTINGS = 5_000;
/** The first pass scans the rarest terms up to about this many postings. */
export const FIRST_PASS_POSTINGS = 1_000;
/** The top-N window, in multiples of k, ranked and filtered before the unbounded ranking is needed. */
export const WINDOW_FACTOR = 4;
/** A probe of one chunk's posting for one term, in postings read sequentially (measured roughly). */
const PROBE_COST = 8;

interface TermWeight {
  term: string;
  df: number;
  idf: number;
  /** The most this term adds to any chunk's score. */
  bound: number;
}

/**
 * The most a term adds to a chunk's score: its contribution grows with tf and shrinks with dl, so
 * the largest tf and the smallest chunk length among its postings (migrations/0014) bound it. Unknown
 * (null: written before they were kept) → idf·(k1+1), the limit as tf grows.
 */
export function termBound(idf: number, maxTf: number | null, minDl: number | null, avgdl: number): number {
  if (maxTf === null || minDl === null || avgdl <= 0) return idf * (k1 + 1);
  return (idf * maxTf * (k1 + 1)) / (maxTf + k1 * (1 - b + (b * minDl) / avgdl));
}

const { k1, b } = BM25;
// float8 literals throughout: a bare 0.75 is numeric in PostgreSQL, and numeric arithmetic here
// costs several times the float one.
const contribution = (idf: string, p: string, avgdl: string) =>
  `${idf} * ${p}.tf * ${k1 + 1}::float8 / (${p}.tf + ${k1}::float8 * (${1 - b}::float8 + ${b}::float8 * ${p}.dl / ${avgdl}))`;

/**
 * Okapi BM25 in plain SQL over Kura's own postings (migrations/0004_search.sql), for PostgreSQL
 * servers without pg_textsearch. Exact, with the company's own statistics:
 *
 *   idf(t)   = ln(1 + (N − df + 0.5) / (df + 0.5))          N, df: the company's chunks
 *   score(c) = Σ_t idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
 *
 * How it stays fast:
 * - each query term is one index-only range scan of its postings (the primary key leads with
 *   company and term and INCLUDEs tf and dl), scores are summed per chunk;
 * - the chunks are then visited best first and the ACL/source/type filters checked one index probe
 *   at a time, stopping at the k-th chunk that passes (a LATERAL join under LIMIT): the filters
 *   cost about k probes, not one per candidate;
 * - MaxScore pruning, exact: when the common terms (in more than 1 % of the chunks) have long
 *   postings, only the rare terms' postings are scanned; each of those candidates gets the common
 *   terms' contributions by index probes. A chunk with no rare term scores less than the common
 *   terms' upper bound Σ termBound (each term's largest tf and smallest chunk length, kept in
 *   search_terms); if the k-th candidate that passes the filters scores more than
 *   that, no other chunk can enter the top k and the answer is exact. Otherwise the query runs
 *   again scoring every posting.
 */
export class PortableIndex implements LexicalIndex {
  readonly engine = 'portable' as const;
  /** How the last search ran (tests and the benchmark read it). */
  lastPlan: 'full' | 'pruned' | 'pruned-twice' | 'pruned-fallback' | 'none' = 'none';

  constructor(
    private readonly pruning: { minPostings: number; firstPassPostings: number; costGate?: boolean } = {
      minPostings: PRUNE_MIN_POSTINGS,
      firstPassPostings: FIRST_PASS_POSTINGS,
      costGate: true,
    },
  ) {}

  async prepareTenant(tenantId: string): Promise<void> {
    checkTenantId(tenantId);
  }

  /** Scores every posting of every term (the reference plan, and the fallback of the pruned one). */
  statement(query: LexicalQuery, window?: number): { sql: string; params: unknown[] } {
    const tenantId = checkTenantId(query.tenantId);
    const filters = chunkFilters(query, 4);
    const sql = `
WITH st AS (
  SELECT chunk_count::float8 AS n, token_total::float8 / greatest(chunk_count, 1) AS avgdl
    FROM search_stats WHERE tenant_id = $1),
w AS (
  SELECT t.term, ln(1 + (st.n - t.df + 0.5::float8) / (t.df + 0.5::float8)) AS idf
    FROM search_terms t, st
   WHERE t.tenant_id = $1 AND t.term = ANY ($2::text[]) AND t.df > 0),
scored AS (
  SELECT p.document_id, p.ordinal, sum(${contribution('w.idf', 'p', 'st.avgdl')}) AS score
    FROM w JOIN search_postings p ON p.tenant_id = $1 AND p.term = w.term, st
   GROUP BY p.document_id, p.ordinal),
${RANKED_AND_FILTERED(filters.sql, '$3', window)}`;
    return { sql, params: [tenantId, [...query.terms], query.limit, ...filters.params] };
  }

  /** Scans the essential terms' postings only; the common terms are probed per candidate. */
  prunedStatement(
    query: LexicalQuery,
    essential: readonly TermWeight[],
    common: readonly TermWeight[],
    avgdl: number,
    window?: number,
  ): { sql: string; params: unknown[] } {
    const tenantId = checkTenantId(query.tenantId);
    const filters = chunkFilters(query, 8);
    const sql = `
WITH e AS (SELECT * FROM unnest($2::text[], $3::float8[]) AS e(term, idf)),
c AS (SELECT * FROM unnest($4::text[], $5::float8[]) AS c(term, idf)),
part AS (
  SELECT p.document_id, p.ordinal, sum(${contribution('e.idf', 'p', '$6::float8')}) AS score
    FROM e JOIN search_postings p ON p.tenant_id = $1 AND p.term = e.term
   GROUP BY p.document_id, p.ordinal),
scored AS (
  SELECT part.document_id, part.ordinal, part.score + coalesce((
           SELECT sum(${contribution('c.idf', 'q', '$6::float8')})
             FROM c JOIN search_postings q
               ON q.tenant_id = $1 AND q.term = c.term AND q.document_id = part.document_id AND q.ordinal = part.ordinal), 0) AS score
    FROM part),
${RANKED_AND_FILTERED(filters.sql, '$7', window)}`;
    return {
      sql,
      params: [
        tenantId,
        essential.map((t) => t.term),
        essential.map((t) => t.idf),
        common.map((t) => t.term),
        common.map((t) => t.idf),
        avgdl,
        query.limit,
        ...filters.params,
      ],
    };
  }

  async search(tx: Queryable, query: LexicalQuery): Promise<LexicalHit[]> {
    this.lastPlan = 'none';
    if (query.terms.length === 0 || query.limit <= 0) return [];
    const tenantId = checkTenantId(query.tenantId);
    const stats = await tx.query<{
      term: string;
      df: number;
      max_tf: number | null;
      min_dl: number | null;
      n: string;
      total: string;
    }>(
      `SELECT t.term, t.df, t.max_tf, t.min_dl, s.chunk_count::text AS n, s.token_total::text AS total
         FROM search_stats s JOIN search_terms t ON t.tenant_id = s.tenant_id
        WHERE s.tenant_id = $1 AND t.term = ANY ($2::text[]) AND t.df > 0`,
      [tenantId, [...query.terms]],
    );
    if (stats.length === 0) return [];
    const n = Number(stats[0]!.n);
    const avgdl = Number(stats[0]!.total) / Math.max(1, n);
    const weights = stats.map((r) => {
      const idf = Math.log(1 + (n - r.df + 0.5) / (r.df + 0.5));
      return { term: r.term, df: r.df, idf, bound: termBound(idf, r.max_tf, r.min_dl, avgdl) };
    });
    const postings = (terms: readonly TermWeight[]) => terms.reduce((sum, t) => sum + t.df, 0);
    // Rough cost in postings read: the scanned terms' postings, plus one probe per candidate and
    // probed term (a probe costs about PROBE_COST sequential postings).
    const cost = (scanned: readonly TermWeight[], probed: readonly TermWeight[]) =>
      postings(scanned) * (1 + PROBE_COST * probed.length);
    const fullCost = postings(weights);
    // What a chunk can score from these terms at most.
    const bound = (terms: readonly TermWeight[]) => terms.reduce((sum, t) => sum + t.bound, 0);
    const runOnce = async (statement: { sql: string; params: unknown[] }) =>
      (
        await tx.query<{ document_id: string; ordinal: number; score: number }>(
          statement.sql,
          statement.params,
        )
      ).map((r) => ({
        documentId: r.document_id,
        ordinal: r.ordinal,
        score: Number(r.score),
      }));
    // Top-N first: only the best WINDOW_FACTOR·k scored chunks are sorted (a heap, not a sort of
    // every candidate) and checked against the filters. Fewer than k passing means the filters
    // rejected many, or fewer than k chunks match: then the unbounded ranking runs, so the answer
    // is the same either way.
    const window = query.limit * WINDOW_FACTOR;
    const run = async (make: (window?: number) => { sql: string; params: unknown[] }) => {
      const first = await runOnce(make(window));
      return first.length >= query.limit ? first : runOnce(make());
    };

    const rareFirst = [...weights].sort((a, b) => a.df - b.df || (a.term < b.term ? -1 : 1));
    let take = 1;
    while (
      take < rareFirst.length - 1 &&
      postings(rareFirst.slice(0, take + 1)) <= this.pruning.firstPassPostings
    )
      take++;
    // Pruning pays only when probing the common terms for the rare terms' candidates costs less
    // than reading every posting (measured: a query with many common terms is slower pruned).
    const worthPruning =
      weights.length > 1 &&
      fullCost >= this.pruning.minPostings &&
      (!this.pruning.costGate || cost(rareFirst.slice(0, take), rareFirst.slice(take)) < fullCost);
    if (worthPruning) {
      // Pass 1, cheap: candidates from the rarest terms only, fully scored. Their k-th score θ is
      // a lower bound of the true k-th score.
      const first = await run((w) =>
        this.prunedStatement(query, rareFirst.slice(0, take), rareFirst.slice(take), avgdl, w),
      );
      const theta = first[query.limit - 1]?.score ?? 0;
      if (theta > bound(rareFirst.slice(take))) {
        this.lastPlan = 'pruned';
        return first;
      }
      // Pass 2: the most common terms whose bounds sum below θ cannot lift a chunk into the top k
      // on their own; candidates are the chunks with any other term.
      let optional = 0;
      while (
        optional < rareFirst.length &&
        theta > 0 &&
        bound(rareFirst.slice(rareFirst.length - optional - 1)) < theta
      )
        optional++;
      const required = rareFirst.slice(0, rareFirst.length - optional);
      const probed = rareFirst.slice(rareFirst.length - optional);
      if (optional > 0 && cost(required, probed) < fullCost) {
        this.lastPlan = 'pruned-twice';
        return run((w) => this.prunedStatement(query, required, probed, avgdl, w));
      }
      this.lastPlan = 'pruned-fallback';
    } else {
      this.lastPlan = 'full';
    }
    return run((w) => this.statement(query, w));
  }
}

/**
 * Chunks best first, each checked against the filters by one index probe (OFFSET 0 keeps the
 * planner from turning the probes into a join over every candidate), stopping after k.
 */
const RANKED_AND_FILTERED = (filters: string, limit: string, window?: number) => `
ranked AS (
  SELECT * FROM scored ORDER BY score DESC, document_id, ordinal${window === undefined ? '' : ` LIMIT ${Math.floor(window)}`} OFFSET 0)
SELECT r.document_id, r.ordinal, r.score
  FROM ranked r
  CROSS JOIN LATERAL (
    SELECT 1 FROM chunks c
     WHERE c.tenant_id = $1 AND c.document_id = r.document_id AND c.ordinal = r.ordinal${filters}
    OFFSET 0) visible
 ORDER BY r.score DESC, r.document_id, r.ordinal
 LIMIT ${limit}`;
