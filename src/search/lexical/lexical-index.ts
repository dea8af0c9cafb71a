import type { Queryable } from '../../platform/db/database.js';

/** How the database computes BM25: the pg_textsearch extension, or Kura's portable SQL over its own postings. */
export type LexicalEngine = 'pg_textsearch' | 'portable';

/** Okapi BM25 parameters, the same on both paths (and in the pg_textsearch index definition). */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

export interface LexicalQuery {
  tenantId: string;
  /** Analysed query terms, distinct (see query.ts: duplicates are dropped, at most MAX_QUERY_TERMS). */
  terms: readonly string[];
  /**
   * Who is asking, as ACL entries ('everyone', 'user:<id>', 'group:<name>'): a chunk is a candidate
   * only when its acl shares one of them. null = no document ACL (the local operator).
   */
  principals: readonly string[] | null;
  /** Only chunks of this source. */
  sourceId?: string | undefined;
  /** Only chunks of documents with one of these MIME types. */
  mimeTypes?: readonly string[] | undefined;
  /** Only documents modified (else indexed) at or after this instant. */
  modifiedFrom?: Date | undefined;
  /** Only documents modified (else indexed) before this instant. */
  modifiedTo?: Date | undefined;
  /** Only documents whose metadata contains these key/value pairs (jsonb containment). */
  metadata?: Readonly<Record<string, MetadataValue>> | undefined;
  /** How many chunks to return, best first. */
  limit: number;
}

export type MetadataValue = string | number | boolean;

/** One chunk and its BM25 score (> 0: chunks that match no term are never returned). */
export interface LexicalHit {
  documentId: string;
  ordinal: number;
  score: number;
}

/**
 * One lexical index over chunks.tokens. Every filter — company, document ACL, source, type — is
 * part of the query, applied before the top-k cut, so what a caller may not see never takes a place
 * in the results nor is counted.
 */
export interface LexicalIndex {
  readonly engine: LexicalEngine;
  /** Readies a company for writes and queries (pg_textsearch: its partial index). Idempotent, safe concurrently. */
  prepareTenant(tenantId: string): Promise<void>;
  /** Top-`limit` chunks by BM25, inside the caller's tenant transaction. */
  search(tx: Queryable, query: LexicalQuery): Promise<LexicalHit[]>;
  /** The SQL and parameters `search` runs (tests EXPLAIN it). */
  statement(query: LexicalQuery): { sql: string; params: unknown[] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Company ids are interpolated into index names and predicates: only a canonical UUID passes. */
export function checkTenantId(tenantId: string): string {
  if (!UUID.test(tenantId)) throw new Error(`search needs a company id, got ${JSON.stringify(tenantId)}`);
  return tenantId.toLowerCase();
}

/**
 * The filter every path shares: ACL, source, type, date range and metadata, as SQL over the chunk alias `c`, with
 * parameters numbered from `first`.
 */
export function chunkFilters(query: LexicalQuery, first: number): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.principals !== null) {
    params.push([...query.principals]);
    clauses.push(`c.acl && $${first + params.length - 1}::text[]`);
  }
  const documentClauses: string[] = [];
  if (query.sourceId !== undefined) {
    params.push(query.sourceId);
    documentClauses.push(`d.source_id = $${first + params.length - 1}::uuid`);
  }
  if (query.mimeTypes !== undefined) {
    params.push([...query.mimeTypes]);
    documentClauses.push(`d.mime_type = ANY ($${first + params.length - 1}::text[])`);
  }
  const documentTime = 'coalesce(d.modified_at, d.indexed_at, d.created_at)';
  if (query.modifiedFrom !== undefined) {
    params.push(query.modifiedFrom.toISOString());
    documentClauses.push(`${documentTime} >= $${first + params.length - 1}::timestamptz`);
  }
  if (query.modifiedTo !== undefined) {
    params.push(query.modifiedTo.toISOString());
    documentClauses.push(`${documentTime} < $${first + params.length - 1}::timestamptz`);
  }
  if (query.metadata !== undefined) {
    params.push(JSON.stringify(query.metadata));
    documentClauses.push(`d.metadata @> $${first + params.length - 1}::jsonb`);
  }
  if (documentClauses.length > 0) {
    clauses.push(
      `EXISTS (SELECT 1 FROM documents d WHERE d.tenant_id = c.tenant_id AND d.id = c.document_id AND ${documentClauses.join(' AND ')})`,
    );
  }
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}
