-- A company's first load (src/search/lexical/pg-textsearch-index.ts, firstLoad) builds its bm25
-- index once after writing its chunks instead of inserting every chunk into it. Meanwhile the
-- index does not exist: kura_bm25_top answers no rows instead of failing on a missing relation.
-- The function is otherwise that of 0009.

CREATE OR REPLACE FUNCTION kura_bm25_top(company uuid, query text, k integer, principals text[], source uuid,
                              mime_types text[], modified_from timestamptz, modified_to timestamptz,
                              metadata jsonb)
RETURNS TABLE (document_id uuid, ordinal integer, score float8)
LANGUAGE plpgsql
SET enable_sort = off
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
BEGIN
  -- No index (a first load is building it): nothing to find yet, rather than an error.
  IF to_regclass(format('search_chunks_bm25_%s', replace(company::text, '-', ''))) IS NULL THEN
    RETURN;
  END IF;
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
