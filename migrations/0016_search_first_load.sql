-- A company's first load (src/search/lexical/first-load.ts) builds its search index once after
-- writing its chunks instead of maintaining it chunk by chunk.
--
-- pg_textsearch: the company's bm25 index is dropped meanwhile; kura_bm25_top answers no rows
-- instead of failing on a missing relation. The function is otherwise that of 0009.

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

-- Portable path: companies whose postings are rebuilt when their first load ends; the postings
-- trigger leaves their chunks alone meanwhile. The function is otherwise that of 0014.
CREATE TABLE search_postings_deferred (
  tenant_id uuid NOT NULL,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
ALTER TABLE search_postings_deferred ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_postings_deferred FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON search_postings_deferred
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

CREATE OR REPLACE FUNCTION kura_search_chunks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A company in a first load: its postings are rebuilt from chunks when the load ends. The row
  -- is locked until this transaction ends, so the rebuild (which deletes it first) waits for
  -- this write to commit and then sees its chunks.
  PERFORM 1 FROM search_postings_deferred d
    WHERE d.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
    FOR KEY SHARE;
  IF FOUND THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE search_stats s SET chunk_count = s.chunk_count - o.n, token_total = s.token_total - o.total
      FROM (SELECT tenant_id, count(*) AS n, coalesce(sum(token_count), 0) AS total FROM old_chunks GROUP BY tenant_id) o
     WHERE s.tenant_id = o.tenant_id;
    WITH gone AS (
      DELETE FROM search_postings p
       USING (SELECT DISTINCT o.tenant_id, t.term, o.document_id, o.ordinal
                FROM old_chunks o, unnest(string_to_array(o.tokens, ' ')) AS t(term) WHERE t.term <> '') o
       WHERE p.tenant_id = o.tenant_id AND p.term = o.term AND p.document_id = o.document_id AND p.ordinal = o.ordinal
      RETURNING p.tenant_id, p.term)
    UPDATE search_terms s SET df = s.df - g.n
      FROM (SELECT tenant_id, term, count(*)::integer AS n FROM gone GROUP BY tenant_id, term) g
     WHERE s.tenant_id = g.tenant_id AND s.term = g.term;
    DELETE FROM search_terms s
     USING (SELECT DISTINCT o.tenant_id, t.term FROM old_chunks o, unnest(string_to_array(o.tokens, ' ')) AS t(term)) o
     WHERE s.tenant_id = o.tenant_id AND s.term = o.term AND s.df <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO search_stats AS s (tenant_id, chunk_count, token_total)
      SELECT tenant_id, count(*), coalesce(sum(token_count), 0) FROM new_chunks GROUP BY tenant_id ORDER BY tenant_id
    ON CONFLICT (tenant_id) DO UPDATE
      SET chunk_count = s.chunk_count + EXCLUDED.chunk_count, token_total = s.token_total + EXCLUDED.token_total;
    WITH added AS (
      INSERT INTO search_postings (tenant_id, term, document_id, ordinal, tf, dl)
        SELECT n.tenant_id, t.term, n.document_id, n.ordinal, count(*)::integer, n.token_count
          FROM new_chunks n, unnest(string_to_array(n.tokens, ' ')) AS t(term)
         WHERE t.term <> ''
         GROUP BY n.tenant_id, t.term, n.document_id, n.ordinal, n.token_count
      RETURNING tenant_id, term, tf, dl)
    INSERT INTO search_terms AS s (tenant_id, term, df, max_tf, min_dl)
      SELECT tenant_id, term, count(*)::integer, max(tf), min(dl) FROM added GROUP BY tenant_id, term ORDER BY tenant_id, term
    ON CONFLICT (tenant_id, term) DO UPDATE SET
      df = s.df + EXCLUDED.df,
      -- NULL (a term written before these columns existed) stays unknown: greatest() would ignore it.
      max_tf = CASE WHEN s.max_tf IS NULL THEN NULL ELSE greatest(s.max_tf, EXCLUDED.max_tf) END,
      min_dl = CASE WHEN s.min_dl IS NULL THEN NULL ELSE least(s.min_dl, EXCLUDED.min_dl) END;
  END IF;
  RETURN NULL;
END $$;
