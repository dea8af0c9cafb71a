-- Knowledge: sources → documents → chunks, all company-owned (tenant_id leads every key).

CREATE TABLE sources (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('upload', 'folder', 'postgres', 'mysql', 'sqlite')),
  name text NOT NULL,
  -- Non-secret settings: path, include/exclude globs, ACL mapping, tables and templates.
  settings jsonb NOT NULL DEFAULT '{}',
  -- Connection credentials. Encrypted with the company's key once per-company keys land (governance).
  secret text,
  -- Incremental state between syncs (e.g. per-table high-water marks).
  state jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'syncing', 'failed')),
  last_sync_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);

CREATE TABLE documents (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  source_id uuid NOT NULL,
  -- The source's own name for it: a relative path, or table + primary key.
  external_id text NOT NULL,
  title text NOT NULL,
  uri text NOT NULL,
  mime_type text,
  size_bytes bigint NOT NULL DEFAULT 0,
  content_hash text,
  modified_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  -- Who may see it: 'everyone', 'user:<id>', 'group:<name>'. Copied onto its chunks for filtering.
  acl text[] NOT NULL DEFAULT ARRAY['everyone'],
  metadata jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('indexed', 'failed', 'skipped')),
  error_code text,
  error_message text,
  chunk_count integer NOT NULL DEFAULT 0,
  indexed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, source_id, external_id),
  FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX documents_source_idx ON documents (tenant_id, source_id, status);

CREATE TABLE chunks (
  tenant_id uuid NOT NULL,
  document_id uuid NOT NULL,
  ordinal integer NOT NULL,
  text text NOT NULL,
  -- The analysed tokens, space-joined: the database's BM25 sees exactly Kura's analysis.
  tokens text NOT NULL,
  token_count integer NOT NULL,
  anchor jsonb NOT NULL DEFAULT '{}',
  acl text[] NOT NULL,
  PRIMARY KEY (tenant_id, document_id, ordinal),
  FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX chunks_acl_idx ON chunks USING gin (acl);

-- Tables that keep sheet and CSV data for the analytics pillar.
CREATE TABLE document_tables (
  tenant_id uuid NOT NULL,
  document_id uuid NOT NULL,
  ordinal integer NOT NULL,
  name text NOT NULL,
  columns jsonb NOT NULL,
  rows jsonb NOT NULL,
  PRIMARY KEY (tenant_id, document_id, ordinal),
  FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sources', 'documents', 'chunks', 'document_tables'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
      t);
  END LOOP;
END $$;
