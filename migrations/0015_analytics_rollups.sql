-- Analytics rollups: a company's additive measures pre-aggregated per day of the model's time
-- dimension × a set of its category dimensions, computed by one aggregate query against the source
-- and stored as a table in the company's own schema (kura_data_<company>, the same schema and RLS as
-- uploaded tables). This registry says which table holds which rollup, for which model version,
-- and when it was refreshed. The query engine answers from a rollup only when its status is 'ready'
-- and its model_version is the model in force; anything else goes to the source.

CREATE TABLE analytics_rollups (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  model_version integer NOT NULL,
  -- The model's fact table (measures' table) and the category dimensions grouped by, besides the day.
  fact_table text NOT NULL,
  dimensions jsonb NOT NULL DEFAULT '[]',
  -- The model's measures (and ratios of them) the rollup answers exactly.
  measures jsonb NOT NULL DEFAULT '[]',
  -- The semantic model describing the stored table: the engine compiles against it.
  model jsonb,
  schema_name text,
  table_name text,
  status text NOT NULL CHECK (status IN ('ready', 'failed')),
  message text,
  row_count bigint NOT NULL DEFAULT 0,
  size_bytes bigint NOT NULL DEFAULT 0,
  build_ms integer NOT NULL DEFAULT 0,
  -- false when the source's text comparison differs from PostgreSQL's (MySQL/MariaDB collations
  -- ignore case and trailing spaces): such a rollup never answers a filtered query.
  filterable boolean NOT NULL DEFAULT true,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

ALTER TABLE analytics_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON analytics_rollups
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
