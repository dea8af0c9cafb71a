-- Analytics: tables a company uploaded (CSV, XLSX sheets) or the demo seeded, loaded as typed
-- tables into the company's own schema (kura_data_<company id without dashes>). This registry says
-- which physical table holds which sheet, with the columns' original headers and inferred types.
-- Each physical table also carries tenant_id (first in its primary key) under the same RLS policy
-- as every company table, so a read through the wrong company's transaction sees no row.

CREATE TABLE analytics_tables (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  -- The uploaded document the sheet came from; NULL for tables Kura seeded itself (the demo).
  document_id uuid,
  ordinal integer NOT NULL DEFAULT 0,
  -- The sheet's name (or the CSV's title) as the user wrote it, and where it is loaded.
  name text NOT NULL,
  schema_name text NOT NULL,
  table_name text NOT NULL,
  -- [{ header, name, type: integer | decimal | date | text }]
  columns jsonb NOT NULL,
  row_count bigint NOT NULL DEFAULT 0,
  -- 'loaded', or 'refused' with the reason (too many rows, no columns…): never silently missing.
  status text NOT NULL CHECK (status IN ('loaded', 'refused')),
  message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, schema_name, table_name),
  FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE analytics_tables ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_tables FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON analytics_tables
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
