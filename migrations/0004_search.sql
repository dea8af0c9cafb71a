-- Lexical search (issue 4): Okapi BM25 computed by the database over the analysed chunk tokens,
-- two ways behind one interface (src/search/lexical). Both keep their own copy of what they need
-- from chunks, maintained by statement triggers on chunks in the same transaction as the chunk
-- write, whoever writes (re-index, document delete, source delete cascading, company purge). Kura
-- installs the triggers of the path it uses at start-up and removes the other's
-- (src/search/lexical/search-triggers.ts), so no database pays for both.
--
--  * pg_textsearch (embedded PGlite; servers that install the extension): search_chunks, one
--    partition per company created at run time with its own `bm25` index, so each company has its
--    own document count, average length and document frequencies. A partition, not a partial index
--    on chunks: pg_textsearch 0.5.1 ignores a partial index's WHERE when it builds the index, so a
--    company's index would also hold, count and return other companies' rows (docs/BENCHMARKS.md).
--  * portable BM25 in plain SQL (servers without the extension, e.g. Debian's PostgreSQL 15):
--    Kura's own postings and per-company statistics.

CREATE TABLE search_chunks (
  tenant_id uuid NOT NULL,
  document_id uuid NOT NULL,
  ordinal integer NOT NULL,
  acl text[] NOT NULL,
  tokens text NOT NULL,
  token_count integer NOT NULL,
  PRIMARY KEY (tenant_id, document_id, ordinal)
) PARTITION BY LIST (tenant_id);

-- One row per (company, term, chunk): the term frequency and the chunk's length in tokens.
-- INCLUDE makes a term's postings one index-only range scan.
CREATE TABLE search_postings (
  tenant_id uuid NOT NULL,
  term text NOT NULL,
  document_id uuid NOT NULL,
  ordinal integer NOT NULL,
  tf integer NOT NULL,
  dl integer NOT NULL,
  PRIMARY KEY (tenant_id, term, document_id, ordinal) INCLUDE (tf, dl)
);

-- Per-company document frequency of each term (chunks that contain it).
CREATE TABLE search_terms (
  tenant_id uuid NOT NULL,
  term text NOT NULL,
  df integer NOT NULL,
  PRIMARY KEY (tenant_id, term)
);

-- Per-company collection statistics: N (chunks) and the sum of their lengths (avgdl = total / N).
CREATE TABLE search_stats (
  tenant_id uuid NOT NULL,
  chunk_count bigint NOT NULL,
  token_total bigint NOT NULL,
  PRIMARY KEY (tenant_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['search_chunks', 'search_postings', 'search_terms', 'search_stats'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
      t);
  END LOOP;
END $$;

-- Statement-level trigger on chunks (transition tables old_chunks / new_chunks): one call per
-- INSERT, UPDATE or DELETE statement, whatever the number of rows. Lock order, the same in every
-- writer, so that concurrent ingests of one company queue instead of deadlocking: the company's
-- statistics row first (held to commit), then its term rows.
CREATE FUNCTION kura_search_chunks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
      RETURNING tenant_id, term)
    INSERT INTO search_terms AS s (tenant_id, term, df)
      SELECT tenant_id, term, count(*)::integer FROM added GROUP BY tenant_id, term ORDER BY tenant_id, term
    ON CONFLICT (tenant_id, term) DO UPDATE SET df = s.df + EXCLUDED.df;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kura_search_chunks_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_postings;
  DELETE FROM search_terms;
  DELETE FROM search_stats;
  RETURN NULL;
END $$;

-- The pg_textsearch path's copy: rows of a company reach search_chunks only once its partition
-- exists (the partition is back-filled from chunks when it is created).
CREATE FUNCTION kura_search_mirror_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  company uuid;
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    -- One statement per company, so that only that company's partition is touched.
    FOR company IN SELECT DISTINCT tenant_id FROM old_chunks LOOP
      DELETE FROM search_chunks s
       WHERE s.tenant_id = company
         AND (s.document_id, s.ordinal) IN (SELECT o.document_id, o.ordinal FROM old_chunks o WHERE o.tenant_id = company);
    END LOOP;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO search_chunks (tenant_id, document_id, ordinal, acl, tokens, token_count)
      SELECT n.tenant_id, n.document_id, n.ordinal, n.acl, n.tokens, n.token_count
        FROM new_chunks n
       WHERE to_regclass(format('search_chunks_%s', replace(n.tenant_id::text, '-', ''))) IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kura_search_mirror_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_chunks;
  RETURN NULL;
END $$;

-- Top-k chunks of one company by pg_textsearch BM25, in one round trip. The planner settings
-- apply while the function runs (including planning the query inside): the bm25 index scan must
-- be the plan, since the score is read from it (bm25_get_current_score) and no other plan orders
-- by it cheaply; PGlite has no autovacuum, so table statistics cannot be relied on to choose it.
-- Called only when the extension is in use; on other servers it is never executed.
CREATE FUNCTION kura_bm25_top(company uuid, query text, k integer, principals text[], source uuid, mime_types text[])
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
          AND (($4::uuid IS NULL AND $5::text[] IS NULL) OR EXISTS (
                SELECT 1 FROM documents d
                 WHERE d.tenant_id = c.tenant_id AND d.id = c.document_id
                   AND ($4::uuid IS NULL OR d.source_id = $4::uuid)
                   AND ($5::text[] IS NULL OR d.mime_type = ANY ($5::text[]))))
        ORDER BY c.tokens <@> to_bm25query($1, %L)
        LIMIT $2) top
     WHERE top.score > 0',
    format('search_chunks_%s', replace(company::text, '-', '')),
    company,
    format('search_chunks_bm25_%s', replace(company::text, '-', '')))
  USING query, k, principals, source, mime_types;
END $$;
