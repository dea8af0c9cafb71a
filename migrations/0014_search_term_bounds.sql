-- Issue 4: a per-term upper bound of the BM25 term-frequency factor, for the portable path's
-- MaxScore pruning (src/search/lexical/portable-index.ts). A term's contribution to a chunk,
-- idf · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)), grows with tf and shrinks with dl, so the
-- largest tf and the smallest chunk length among its postings bound it for every chunk, whatever
-- avgdl is when the query runs. Far tighter than idf·(k1+1) for most terms (most have tf = 1
-- everywhere), so more chunks are provably out of the top k without being scored.
--
-- Inserts keep the bounds exact; deletes leave them as they are (still upper bounds, just looser)
-- until the postings are rebuilt. NULL = unknown (terms written before this migration): the loose
-- bound idf·(k1+1) is used for them, so existing databases stay exact without a rebuild.

ALTER TABLE search_terms ADD COLUMN max_tf integer, ADD COLUMN min_dl integer;

CREATE OR REPLACE FUNCTION kura_search_chunks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

