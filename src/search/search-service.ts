import type { Database } from '../platform/db/database.js';
import type { Anchor } from '../ingest/parsers/index.js';
import type { Actor } from '../tenancy/actor.js';
import { authorizeOn } from '../tenancy/policies.js';
import type { LexicalEngine, LexicalHit, LexicalIndex } from './lexical/lexical-index.js';
import { principalsOf } from './principals.js';
import { prepareQuery, withExpansions } from './query.js';
import { parseFilters, type SearchFilters } from './filters.js';
import { SynonymExpander } from './synonyms/synonym-expansion.js';
import { listIn as listSynonyms } from './synonyms/synonym-repository.js';
import { COVERAGE_WEIGHT, coverage, queryGrams } from './rerank/coverage.js';
import { buildSnippet, type Highlight } from './snippets/snippet.js';
import { mimeTypesFor } from './types.js';
import { reciprocalRankFusion } from './fusion/rrf.js';
import { LEXICAL_REASONS, type LexicalReason } from './vectors/embedding-target.js';
import type { VectorHit } from './vectors/vector-index.js';
import type { VectorPlan, VectorRetrieval } from './vectors/vector-retrieval.js';

export interface SearchRequest {
  q?: string | undefined;
  /** Results (documents) to return: 1–50, default 10. */
  limit?: number | undefined;
  /** A source's id or name. */
  source?: string | undefined;
  /** A document type: pdf, docx, xlsx, pptx, eml, html, markdown, csv, text — or a MIME type. */
  type?: string | undefined;
  /** Only documents modified (else indexed) at or after this date/time (ISO 8601). */
  from?: string | undefined;
  /** Only documents modified (else indexed) before this date/time (ISO 8601; a bare date means the end of that day). */
  to?: string | undefined;
  /** Only documents whose metadata contains these pairs: a JSON object, e.g. {"department":"sales"}. */
  metadata?: string | Record<string, unknown> | undefined;
}

/** How many matching documents the caller may see, per source and per type (same candidates as `total`). */
export interface SearchFacets {
  sources: { sourceId: string; count: number }[];
  types: { mimeType: string | null; count: number }[];
}

export interface SearchResult {
  documentId: string;
  title: string;
  uri: string;
  sourceId: string;
  mimeType: string | null;
  /** Where in the document the best matching chunk is (page, sheet, slide, heading…). */
  anchor: Anchor;
  /**
   * Ranking score. Lexical: BM25 relative to the best candidate plus the query-coverage term (0–1.5).
   * Hybrid: the reciprocal-rank-fusion score of the lexical and vector rankings (≤ 2/61).
   */
  score: number;
  /** The best chunk's BM25 score, as the database computed it (0: found by its vector only). */
  bm25: number;
  /** Hybrid: the cosine similarity of the document's nearest chunk to the query, null when not among the vector candidates. */
  similarity: number | null;
  snippet: string;
  /** Matched terms in `snippet` (UTF-16 offsets); render as text, never as HTML. */
  highlights: Highlight[];
}

export interface SearchResponse {
  mode: 'lexical' | 'hybrid';
  /** What retrieval ran: 'hybrid', or 'lexical only: <why>' (no embedding provider, refused by policy, still being built, unavailable). */
  retrieval: 'hybrid' | LexicalReason;
  engine: LexicalEngine;
  /** Documents that match and that the caller may see, counted among the candidates examined. */
  total: number;
  /** false when more candidates exist than were examined: `total` is then a lower bound. */
  totalExact: boolean;
  results: SearchResult[];
  facets: SearchFacets;
  /** Why the results are what they are (no vectors yet; nothing to search for; terms dropped). */
  notes: string[];
}

/** A matching chunk in full, for answer engines: the exact text a citation quotes. */
export interface Passage {
  documentId: string;
  ordinal: number;
  title: string;
  uri: string;
  anchor: Anchor;
  text: string;
  /** Same scale as SearchResult.score (0–1.5). */
  score: number;
  bm25: number;
}

/** A candidate document: its best chunk, its fused score, and what each ranking said of it. */
interface Ranked {
  hit: LexicalHit;
  row: CandidateRow;
  score: number;
  similarity: number | null;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 50;

/** Chunks the database returns for `limit` documents: room for several chunks of one document and for the rerank. */
export const candidateWindow = (limit: number) => Math.min(200, Math.max(30, limit * 2));

interface TextAnalyzer {
  analyze(text: string): string[];
}

interface CandidateRow {
  document_id: string;
  ordinal: number;
  text: string;
  tokens: string;
  anchor: Anchor;
  title: string;
  uri: string;
  source_id: string;
  mime_type: string | null;
}

export const LEXICAL_ONLY = LEXICAL_REASONS.noProvider;

/** The note that says why retrieval ran as it did. */
function retrievalNote(plan: VectorPlan): string {
  if (plan.kind === 'hybrid')
    return `hybrid: BM25 and vector (${plan.model}) rankings fused by reciprocal rank (k = 60).`;
  switch (plan.reason) {
    case LEXICAL_REASONS.noProvider:
      return `${LEXICAL_ONLY} is configured, so results are BM25 only (vectors join by reciprocal-rank fusion when one is).`;
    case LEXICAL_REASONS.refused:
      return `${plan.reason}: the company's residency policy allows none of the registered embedding providers, so nothing was sent and results are BM25 only.`;
    case LEXICAL_REASONS.building:
      return `${plan.reason}: the company's chunks are being embedded with its embedding model; results are BM25 only until that finishes.`;
    default:
      return `${plan.reason} (${plan.detail ?? 'error'}): the query could not be embedded, so results are BM25 only.`;
  }
}

/**
 * Search over a company's documents: the caller's company and document permissions are part of the
 * database query, before the top-k cut (a document the caller may not see is never a candidate,
 * never counted, never quoted). Lexical today; vectors and fusion join here when a model gateway
 * exists (mode will then say 'hybrid').
 */
export class SearchService {
  constructor(
    private readonly db: Database,
    /** Where the BM25 index comes from (LexicalSearch: chosen and set up on first use). */
    private readonly lexical: { index(): Promise<LexicalIndex> },
    private readonly analyzer: TextAnalyzer,
    private readonly synonyms: SynonymExpander = new SynonymExpander(),
    /** The vector half (absent: lexical only, 'no embedding provider'). */
    private readonly vectors?: VectorRetrieval,
  ) {}

  async search(actor: Actor, tenantId: string, request: SearchRequest): Promise<SearchResponse> {
    const found = await this.candidates(actor, tenantId, request);
    if (found.kind === 'empty') return found.response;
    const { ranked, limit, terms, base } = found;
    const results = ranked.slice(0, limit).map(({ hit, row, score, similarity }) => {
      const snippet = buildSnippet(row.text, row.tokens === '' ? [] : row.tokens.split(' '), terms);
      return {
        documentId: row.document_id,
        title: row.title,
        uri: row.uri,
        sourceId: row.source_id,
        mimeType: row.mime_type,
        anchor: row.anchor,
        score: round(score),
        bm25: round(hit.score),
        similarity: similarity === null ? null : round(similarity),
        snippet: snippet.text,
        highlights: snippet.highlights,
      };
    });
    return { ...base, results };
  }

  /**
   * The best chunk of each of the best documents, in full — under exactly the same company and
   * document permissions as `search` (answer engines quote and cite only these).
   */
  async passages(actor: Actor, tenantId: string, request: SearchRequest): Promise<Passage[]> {
    const found = await this.candidates(actor, tenantId, request);
    if (found.kind === 'empty') return [];
    return found.ranked.slice(0, found.limit).map(({ hit, row, score }) => ({
      documentId: row.document_id,
      ordinal: row.ordinal,
      title: row.title,
      uri: row.uri,
      anchor: row.anchor,
      text: row.text,
      score: round(score),
      bm25: round(hit.score),
    }));
  }

  private async candidates(
    actor: Actor,
    tenantId: string,
    request: SearchRequest,
  ): Promise<
    | { kind: 'empty'; response: SearchResponse }
    | {
        kind: 'ranked';
        ranked: Ranked[];
        limit: number;
        terms: Set<string>;
        base: Omit<SearchResponse, 'results'>;
      }
  > {
    authorizeOn(actor, 'search.query', { tenantId, groupId: actor.groupId }, 'Company');
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(request.limit ?? DEFAULT_LIMIT)));
    const analyze = (t: string) => this.analyzer.analyze(t);
    const prepared = prepareQuery(analyze, request.q);
    const filters: SearchFilters = parseFilters(request);
    const index = await this.lexical.index();
    let plan: VectorPlan = { kind: 'lexical', reason: LEXICAL_ONLY };
    const notes = [retrievalNote(plan)];
    const empty = (note: string): { kind: 'empty'; response: SearchResponse } => ({
      kind: 'empty',
      response: {
        mode: plan.kind === 'hybrid' ? 'hybrid' : 'lexical',
        retrieval: plan.kind === 'hybrid' ? 'hybrid' : plan.reason,
        engine: index.engine,
        total: 0,
        totalExact: true,
        results: [],
        facets: { sources: [], types: [] },
        notes: [...notes, note],
      },
    });
    if (prepared.terms.length === 0)
      return empty('The query has no searchable words (only punctuation, symbols or stop words).');
    if (prepared.truncated)
      notes.push(`Only the first ${prepared.terms.length} distinct terms of the query were searched.`);
    const mimeTypes =
      request.type !== undefined && request.type !== '' ? mimeTypesFor(request.type) : undefined;
    if (mimeTypes === null) return empty(`Unknown document type "${request.type}".`);
    await index.prepareTenant(tenantId);
    // The query is embedded before the transaction opens: a provider's latency never holds one.
    if (this.vectors) {
      plan = await this.vectors.plan(actor, tenantId, request.q ?? '');
      notes[0] = retrievalNote(plan);
    }

    const window = candidateWindow(limit);
    const principals = principalsOf(actor);
    return this.db.tenant(tenantId, async (tx) => {
      let sourceId: string | undefined;
      if (request.source !== undefined && request.source !== '') {
        const rows = await tx.query<{ id: string }>(
          `SELECT id FROM sources WHERE tenant_id = $1 AND (id::text = $2 OR name = $2) LIMIT 1`,
          [tenantId, request.source],
        );
        if (!rows[0]) return empty(`No source "${request.source}".`);
        sourceId = rows[0].id;
      }
      // The company's synonym dictionary, read in the same transaction (RLS: only its own).
      const groups = await listSynonyms(tx, tenantId);
      const query = withExpansions(prepared, this.synonyms.expand(groups, request.q ?? '', analyze));
      if (query.expanded > 0) notes.push(`Synonyms added ${query.expanded} term(s) to the query.`);
      const hits = await index.search(tx, {
        tenantId,
        terms: query.terms,
        principals,
        sourceId,
        mimeTypes,
        ...filters,
        limit: window,
      });
      const vectorHits: VectorHit[] =
        plan.kind === 'hybrid' && this.vectors
          ? await this.vectors.search(tx, {
              tenantId,
              principals,
              sourceId,
              mimeTypes,
              ...filters,
              generation: plan.generation,
              dimensions: plan.dimensions,
              vector: plan.vector,
              limit: window,
            })
          : [];
      if (hits.length === 0 && vectorHits.length === 0) return empty('No document matched.');
      const wanted = [...hits, ...vectorHits];
      // One index probe per candidate (OFFSET 0 keeps the planner from turning the lookups into a
      // scan of the company's documents); the ACL is checked again here, in depth.
      const rows = await tx.query<CandidateRow>(
        `SELECT h.document_id, h.ordinal, c.text, c.tokens, c.anchor, d.title, d.uri, d.source_id, d.mime_type
           FROM unnest($2::uuid[], $3::int[]) AS h(document_id, ordinal)
           CROSS JOIN LATERAL (
             SELECT text, tokens, anchor FROM chunks c
              WHERE c.tenant_id = $1 AND c.document_id = h.document_id AND c.ordinal = h.ordinal
                AND ($4::text[] IS NULL OR c.acl && $4::text[]) OFFSET 0) c
           CROSS JOIN LATERAL (
             SELECT title, uri, source_id, mime_type FROM documents d
              WHERE d.tenant_id = $1 AND d.id = h.document_id OFFSET 0) d`,
        [tenantId, wanted.map((h) => h.documentId), wanted.map((h) => h.ordinal), principals],
      );
      const lexicalRanked = rerank(hits, rows, request.q ?? '').map((r) => ({ ...r, similarity: null }));
      const ranked =
        plan.kind === 'hybrid'
          ? fuse(lexicalRanked, nearestDocuments(vectorHits, rows, limit))
          : lexicalRanked;
      return {
        kind: 'ranked' as const,
        ranked,
        limit,
        terms: new Set(query.terms),
        base: {
          mode: plan.kind === 'hybrid' ? ('hybrid' as const) : ('lexical' as const),
          engine: index.engine,
          retrieval: plan.kind === 'hybrid' ? ('hybrid' as const) : plan.reason,
          total: ranked.length,
          totalExact: hits.length < window && vectorHits.length < window,
          facets: facetsOf(ranked.map((r) => r.row)),
          notes,
        },
      };
    });
  }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Counts over the visible candidates only (the ACL was applied before they were chosen). */
function facetsOf(rows: readonly CandidateRow[]): SearchFacets {
  const count = <K>(keys: K[]) => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  };
  return {
    sources: count(rows.map((r) => r.source_id)).map(([sourceId, n]) => ({ sourceId, count: n })),
    types: count(rows.map((r) => r.mime_type)).map(([mimeType, n]) => ({ mimeType, count: n })),
  };
}

/**
 * One result per document: its best chunk by the fused score (BM25 over the best candidate's plus
 * query coverage), documents ordered by that score, then by BM25, then by id (stable).
 */
export function rerank(
  hits: readonly LexicalHit[],
  rows: readonly CandidateRow[],
  query: string,
): { hit: LexicalHit; row: CandidateRow; score: number }[] {
  const byKey = new Map(rows.map((r) => [`${r.document_id}/${r.ordinal}`, r]));
  const grams = queryGrams(query);
  const top = hits.reduce((m, h) => Math.max(m, h.score), 0) || 1;
  const best = new Map<string, { hit: LexicalHit; row: CandidateRow; score: number }>();
  for (const hit of hits) {
    const row = byKey.get(`${hit.documentId}/${hit.ordinal}`);
    if (!row) continue;
    const score = hit.score / top + COVERAGE_WEIGHT * coverage(grams, row.text);
    const current = best.get(hit.documentId);
    if (!current || score > current.score) best.set(hit.documentId, { hit, row, score });
  }
  return [...best.values()].sort(
    (a, b) =>
      b.score - a.score || b.hit.score - a.hit.score || (a.row.document_id < b.row.document_id ? -1 : 1),
  );
}

/** The vector ranking by document: each document's nearest chunk, nearest first, at most `limit` documents. */
function nearestDocuments(
  hits: readonly VectorHit[],
  rows: readonly CandidateRow[],
  limit: number,
): Ranked[] {
  const byKey = new Map(rows.map((r) => [`${r.document_id}/${r.ordinal}`, r]));
  const best = new Map<string, Ranked>();
  for (const h of hits) {
    const row = byKey.get(`${h.documentId}/${h.ordinal}`);
    if (!row || best.has(h.documentId)) continue; // hits come nearest first
    best.set(h.documentId, {
      hit: { documentId: h.documentId, ordinal: h.ordinal, score: 0 },
      row,
      score: h.similarity,
      similarity: h.similarity,
    });
  }
  return [...best.values()].slice(0, limit);
}

/**
 * Reciprocal-rank fusion of the lexical and vector document rankings. A document keeps the lexical
 * list's best chunk (its snippet shows the matched words) and its BM25; its similarity comes from
 * the vector list.
 */
function fuse(lexical: readonly Ranked[], vector: readonly Ranked[]): Ranked[] {
  const similarity = new Map(vector.map((v) => [v.row.document_id, v.similarity]));
  return reciprocalRankFusion([lexical, vector], (r) => r.row.document_id).map((f) => ({
    ...f.item,
    score: f.score,
    similarity: similarity.get(f.key) ?? null,
  }));
}
