-- Analytics: each company's semantic model, every saved version kept (the newest is in force).
-- Query results are cached per model version, so a saved change never serves an older answer.

CREATE TABLE analytics_models (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  version integer NOT NULL CHECK (version > 0),
  -- The model exactly as its author wrote it (comments and order kept), and its validated form.
  yaml text NOT NULL,
  model jsonb NOT NULL,
  -- 'proposed' when Kura drafted it from a source's schema and sample, 'edited' when a person saved it.
  origin text NOT NULL CHECK (origin IN ('proposed', 'edited')),
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, version)
);

ALTER TABLE analytics_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_models FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON analytics_models
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
