-- Issue 4: per-company synonym dictionaries, and date-range and metadata filters on the
-- pg_textsearch path (the portable path builds its filters in TypeScript).

-- One row per synonym group, e.g. {売上, 売上高, revenue}: a query naming any member also looks
-- for every other member (applied at query time, so editing a dictionary needs no re-indexing).
CREATE TABLE search_synonyms (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  terms text[] NOT NULL CHECK (cardinality(terms) BETWEEN 2 AND 20),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

ALTER TABLE search_synonyms ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_synonyms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON search_synonyms
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The same top-k as before, with the date range (the document's modified time, else when it was
-- indexed) and metadata containment checked per candidate above the bm25 scan, before the LIMIT.
DROP FUNCTION kura_bm25_top(uuid, text, integer, text[], uuid, text[]);

CREATE FUNCTION kura_bm25_top(company uuid, query text, k integer, principals text[], source uuid,
                              mime_types text[], modified_from timestamptz, modified_to timestamptz,
                              metadata jsonb)
RETURNS TABLE (document_id uuid, ordinal integer, score float8)
LANGUAGE plpgsql
SET enable_sort = off
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT top.document_id, top.ordinal, top.score FROM (
       SELECT c.document_id, c.ordinal, -bm25_get_current_score() AS score
         FROM %I c
        WHERE c.tenant_id = %L
          AND ($3::text[] IS NULL OR c.acl && $3::text[])
          AND (($4::uuid IS NULL AND $5::text[] IS NULL AND $6::timestamptz IS NULL
                AND $7::timestamptz IS NULL AND $8::jsonb IS NULL) OR EXISTS (
                SELECT 1 FROM documents d
                 WHERE d.tenant_id = c.tenant_id AND d.id = c.document_id
                   AND ($4::uuid IS NULL OR d.source_id = $4::uuid)
                   AND ($5::text[] IS NULL OR d.mime_type = ANY ($5::text[]))
                   AND ($6::timestamptz IS NULL OR coalesce(d.modified_at, d.indexed_at, d.created_at) >= $6)
                   AND ($7::timestamptz IS NULL OR coalesce(d.modified_at, d.indexed_at, d.created_at) < $7)
                   AND ($8::jsonb IS NULL OR d.metadata @> $8)))
        ORDER BY c.tokens <@> to_bm25query($1, %L)
        LIMIT $2) top
     WHERE top.score > 0',
    format('search_chunks_%s', replace(company::text, '-', '')),
    company,
    format('search_chunks_bm25_%s', replace(company::text, '-', '')))
  USING query, k, principals, source, mime_types, modified_from, modified_to, metadata;
END $$;
