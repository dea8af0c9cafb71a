import type { Queryable } from '../../platform/db/database.js';

/** One (provider, model) a company's chunks are embedded with. */
export interface EmbeddingGeneration {
  generation: number;
  provider: string;
  model: string;
  dimensions: number | null;
  status: 'building' | 'ready' | 'retired';
}

export interface ChunkToEmbed {
  documentId: string;
  ordinal: number;
  text: string;
}

interface GenerationRow {
  generation: number;
  provider: string;
  model: string;
  dimensions: number | null;
  status: EmbeddingGeneration['status'];
}

/**
 * SQL over search_embedding_generations and chunk_embeddings (migration 0011). Every method runs in
 * the caller's tenant transaction and takes the company id.
 */
export const embeddingStore = {
  /** The generation being built or in use (at most one: a unique partial index). */
  async current(tx: Queryable, tenantId: string): Promise<EmbeddingGeneration | undefined> {
    const rows = await tx.query<GenerationRow>(
      `SELECT generation, provider, model, dimensions, status FROM search_embedding_generations
        WHERE tenant_id = $1 AND status IN ('building', 'ready')`,
      [tenantId],
    );
    return rows[0];
  },

  /** Retires the current generation (its vectors are deleted) and starts building one for this model. */
  async start(
    tx: Queryable,
    tenantId: string,
    target: { provider: string; model: string },
  ): Promise<EmbeddingGeneration> {
    await tx.query(
      `UPDATE search_embedding_generations SET status = 'retired'
        WHERE tenant_id = $1 AND status IN ('building', 'ready')`,
      [tenantId],
    );
    await tx.query(`DELETE FROM chunk_embeddings WHERE tenant_id = $1`, [tenantId]);
    const rows = await tx.query<GenerationRow>(
      `INSERT INTO search_embedding_generations (tenant_id, generation, provider, model, status)
       SELECT $1, coalesce(max(generation), 0) + 1, $2, $3, 'building'
         FROM search_embedding_generations WHERE tenant_id = $1
       RETURNING generation, provider, model, dimensions, status`,
      [tenantId, target.provider, target.model],
    );
    return rows[0]!;
  },

  /**
   * Chunks without a vector of this generation, in key order after `after` (keyset pagination: one
   * pass over a large company reads each chunk once).
   */
  missing(
    tx: Queryable,
    tenantId: string,
    generation: number,
    limit: number,
    after: { documentId: string; ordinal: number } | null = null,
  ): Promise<ChunkToEmbed[]> {
    return tx.query<ChunkToEmbed>(
      `SELECT c.document_id AS "documentId", c.ordinal, c.text FROM chunks c
        WHERE c.tenant_id = $1
          AND ($4::uuid IS NULL OR (c.document_id, c.ordinal) > ($4::uuid, $5::int))
          AND NOT EXISTS (SELECT 1 FROM chunk_embeddings e
                           WHERE e.tenant_id = c.tenant_id AND e.generation = $2
                             AND e.document_id = c.document_id AND e.ordinal = c.ordinal)
        ORDER BY c.document_id, c.ordinal LIMIT $3`,
      [tenantId, generation, limit, after?.documentId ?? null, after?.ordinal ?? 0],
    );
  },

  /**
   * Stores vectors of chunks that still exist (a chunk re-indexed meanwhile is skipped: its new text
   * gets its own vector on the next round). Returns how many were stored.
   */
  async insert(
    tx: Queryable,
    tenantId: string,
    generation: EmbeddingGeneration & { dimensions: number },
    chunks: readonly ChunkToEmbed[],
    vectors: readonly number[][],
  ): Promise<number> {
    const rows = await tx.query<{ n: number }>(
      `WITH input AS (
         SELECT * FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[]) AS i(document_id, ordinal, text, embedding)
       ), stored AS (
         INSERT INTO chunk_embeddings (tenant_id, document_id, ordinal, generation, model, dimensions, embedding)
         SELECT $1, i.document_id, i.ordinal, $2, $7, $8, i.embedding::real[]
           FROM input i JOIN chunks c
             ON c.tenant_id = $1 AND c.document_id = i.document_id AND c.ordinal = i.ordinal AND c.text = i.text
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM stored`,
      [
        tenantId,
        generation.generation,
        chunks.map((c) => c.documentId),
        chunks.map((c) => c.ordinal),
        chunks.map((c) => c.text),
        vectors.map((v) => `{${v.join(',')}}`),
        generation.model,
        generation.dimensions,
      ],
    );
    return rows[0]?.n ?? 0;
  },

  async setDimensions(tx: Queryable, tenantId: string, generation: number, dimensions: number) {
    await tx.query(
      `UPDATE search_embedding_generations SET dimensions = $3 WHERE tenant_id = $1 AND generation = $2`,
      [tenantId, generation, dimensions],
    );
  },

  async markReady(tx: Queryable, tenantId: string, generation: number): Promise<void> {
    await tx.query(
      `UPDATE search_embedding_generations SET status = 'ready', ready_at = now()
        WHERE tenant_id = $1 AND generation = $2 AND status = 'building'`,
      [tenantId, generation],
    );
  },

  async counts(
    tx: Queryable,
    tenantId: string,
    generation: number,
  ): Promise<{ chunks: number; embedded: number }> {
    const rows = await tx.query<{ chunks: number; embedded: number }>(
      `SELECT (SELECT count(*)::int FROM chunks WHERE tenant_id = $1) AS chunks,
              (SELECT count(*)::int FROM chunk_embeddings WHERE tenant_id = $1 AND generation = $2) AS embedded`,
      [tenantId, generation],
    );
    return rows[0]!;
  },
};
