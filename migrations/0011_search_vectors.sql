-- Issue 4, vectors: chunk embeddings from the company's embedding provider, one "generation" per
-- (provider, model) the company has embedded with. Vectors are stored as real[] (unit length) so the
-- schema is the same with or without pgvector; where pgvector exists, search adds one HNSW index per
-- company and generation on `embedding::vector(<dimensions>)` (src/search/vectors/vector-index.ts).

CREATE TABLE search_embedding_generations (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  generation integer NOT NULL CHECK (generation > 0),
  provider text NOT NULL,
  model text NOT NULL,
  -- Known once the provider has answered the first batch.
  dimensions integer CHECK (dimensions BETWEEN 1 AND 16000),
  -- building: chunks are being embedded (search stays lexical); ready: every chunk had a vector
  -- when it was finished (new chunks join as the job embeds them); retired: replaced by a newer one.
  status text NOT NULL CHECK (status IN ('building', 'ready', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  ready_at timestamptz,
  PRIMARY KEY (tenant_id, generation)
);
-- At most one generation of a company is being built or in use at a time.
CREATE UNIQUE INDEX search_embedding_generations_current_idx
  ON search_embedding_generations (tenant_id) WHERE status IN ('building', 'ready');

CREATE TABLE chunk_embeddings (
  tenant_id uuid NOT NULL,
  document_id uuid NOT NULL,
  ordinal integer NOT NULL,
  generation integer NOT NULL,
  -- The model and dimension each vector was made with (never mixed within a generation).
  model text NOT NULL,
  dimensions integer NOT NULL,
  embedding real[] NOT NULL CHECK (cardinality(embedding) = dimensions),
  PRIMARY KEY (tenant_id, generation, document_id, ordinal),
  FOREIGN KEY (tenant_id, document_id, ordinal) REFERENCES chunks (tenant_id, document_id, ordinal) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, generation) REFERENCES search_embedding_generations (tenant_id, generation) ON DELETE CASCADE
);
CREATE INDEX chunk_embeddings_chunk_idx ON chunk_embeddings (tenant_id, document_id, ordinal);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['search_embedding_generations', 'chunk_embeddings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
      t);
  END LOOP;
END $$;
