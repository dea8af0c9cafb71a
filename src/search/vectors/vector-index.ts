import type { Database, Queryable } from '../../platform/db/database.js';
import type { Logger } from '../../platform/log/logger.js';
import { checkTenantId, chunkFilters, type LexicalQuery } from '../lexical/lexical-index.js';

/** How the database finds nearest chunks: pgvector's HNSW, or an exact cosine scan in plain SQL. */
export type VectorEngine = 'pgvector' | 'exact';

/** pgvector indexes `vector` columns of at most 2,000 dimensions with HNSW; larger ones are scanned exactly. */
const HNSW_MAX_DIMENSIONS = 2_000;

export interface VectorQuery extends Omit<LexicalQuery, 'terms'> {
  generation: number;
  dimensions: number;
  /** The query's embedding, unit length. */
  vector: readonly number[];
}

export interface VectorHit {
  documentId: string;
  ordinal: number;
  /** Cosine similarity (-1…1). */
  similarity: number;
}

/** The start-up line of `kura serve` about vectors; without pgvector it recommends the extension. */
export function vectorStartupLine(engine: VectorEngine): string {
  return engine === 'pgvector'
    ? '  Vectors:  pgvector HNSW (cosine), per company; hybrid when the company has an embedding provider'
    : '  Vectors:  exact cosine scan in SQL (pgvector not installed: install the pgvector extension for HNSW indexes)';
}

const indexName = (tenantId: string, generation: number) =>
  `kura_vec_${checkTenantId(tenantId).replaceAll('-', '')}_g${generation}`;

/**
 * Nearest chunks of one company's embedding generation. The company, the generation, the document
 * ACL and the filters (source, type, dates, metadata) are all in the query before the LIMIT: with
 * pgvector ≥ 0.8 the HNSW scan is iterative (`hnsw.iterative_scan = strict_order`), so rows the
 * filters reject are replaced by further neighbours rather than shrinking the result.
 */
export class VectorIndex {
  constructor(
    readonly engine: VectorEngine,
    private readonly db: Database,
  ) {}

  /** One HNSW index per company and generation: a partial expression index (no-op without pgvector). */
  async ensureIndex(tenantId: string, generation: number, dimensions: number): Promise<void> {
    if (this.engine !== 'pgvector' || dimensions > HNSW_MAX_DIMENSIONS) return;
    const name = indexName(tenantId, generation);
    await this.db.owner((tx) =>
      tx.query(
        `CREATE INDEX IF NOT EXISTS ${name} ON chunk_embeddings
           USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops)
           WHERE tenant_id = '${checkTenantId(tenantId)}' AND generation = ${generation}`,
      ),
    );
  }

  /** Drops the indexes of this company's generations other than `keep` (retired models). */
  async dropOtherIndexes(tenantId: string, keep: number | null): Promise<void> {
    if (this.engine !== 'pgvector') return;
    const prefix = `kura_vec_${checkTenantId(tenantId).replaceAll('-', '')}_g`;
    const rows = await this.db.owner((tx) =>
      tx.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'chunk_embeddings'
            AND starts_with(indexname, $1)`,
        [prefix],
      ),
    );
    for (const { indexname } of rows)
      if (keep === null || indexname !== indexName(tenantId, keep))
        await this.db.owner((tx) => tx.query(`DROP INDEX IF EXISTS ${indexname}`));
  }

  /** Top-`limit` chunks by cosine similarity, inside the caller's tenant transaction. */
  async search(tx: Queryable, query: VectorQuery): Promise<VectorHit[]> {
    const { sql, params } = this.statement(query);
    if (this.engine === 'pgvector') {
      // Read by the HNSW scan of this transaction only (SET LOCAL): refill what the filters reject.
      await tx.query(
        `SELECT set_config('hnsw.iterative_scan', 'strict_order', true), set_config('hnsw.ef_search', $1, true)`,
        [String(Math.min(1000, Math.max(40, query.limit * 2)))],
      );
    }
    const rows = await tx.query<{ document_id: string; ordinal: number; similarity: number }>(sql, params);
    return rows.map((r) => ({
      documentId: r.document_id,
      ordinal: r.ordinal,
      similarity: Number(r.similarity),
    }));
  }

  /** The SQL and parameters `search` runs (tests EXPLAIN it). */
  statement(query: VectorQuery): { sql: string; params: unknown[] } {
    const tenant = checkTenantId(query.tenantId);
    const generation = Math.trunc(query.generation);
    const dims = Math.trunc(query.dimensions);
    const vector = `{${query.vector.join(',')}}`;
    const filters = chunkFilters({ ...query, terms: [] }, 3);
    // Company and generation are literals so the planner can match the partial HNSW index.
    const from = `FROM chunk_embeddings e
         JOIN chunks c ON c.tenant_id = e.tenant_id AND c.document_id = e.document_id AND c.ordinal = e.ordinal
        WHERE e.tenant_id = '${tenant}' AND e.generation = ${generation}${filters.sql}`;
    if (this.engine === 'pgvector') {
      const distance = `(e.embedding::vector(${dims}) <=> $1::real[]::vector(${dims}))`;
      return {
        sql: `SELECT e.document_id, e.ordinal, 1 - ${distance} AS similarity ${from}
               ORDER BY ${distance} LIMIT $2`,
        params: [vector, query.limit, ...filters.params],
      };
    }
    // Vectors are stored at unit length: the dot product is the cosine.
    return {
      sql: `SELECT document_id, ordinal, similarity FROM (
              SELECT e.document_id, e.ordinal,
                     (SELECT sum(a * b) FROM unnest(e.embedding, $1::real[]) AS t(a, b)) AS similarity
              ${from}) s
             ORDER BY similarity DESC, document_id, ordinal LIMIT $2`,
      params: [vector, query.limit, ...filters.params],
    };
  }
}

/** Picks the vector path once: pgvector when the database has it (always PGlite 0.4.x), else exact SQL. */
export async function openVectorIndex(db: Database, logger?: Logger): Promise<VectorIndex> {
  const listed = await db.owner((tx) =>
    tx.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`),
  );
  let engine: VectorEngine = 'exact';
  if (listed.length > 0) {
    try {
      await db.owner((tx) => tx.query('CREATE EXTENSION IF NOT EXISTS vector'));
      engine = 'pgvector';
    } catch (error) {
      logger?.warn({ err: error }, 'vectors: pgvector is listed but could not be created');
    }
  }
  logger?.info(
    { engine },
    engine === 'pgvector'
      ? 'vectors: pgvector HNSW (cosine), one index per company'
      : 'vectors: exact cosine scan in SQL; install the pgvector extension for HNSW indexes (faster vector search on large companies)',
  );
  return new VectorIndex(engine, db);
}
