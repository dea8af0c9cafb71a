-- Model gateway: per-scope data keys (envelope encryption), the provider registry, each company's
-- residency policy, and usage events (every model call and every refusal of the egress guard).

-- Data keys wrapped by the master key (KURA_MASTER_KEY or master.key). scope = a company's id, or
-- 'global' for operator-level secrets. Deleting a scope's rows makes everything sealed with it
-- unreadable (crypto-shredding). Global: the key ring is read before any tenant transaction.
CREATE TABLE data_keys (
  scope text NOT NULL,
  version integer NOT NULL,
  -- Which KeyProvider wrapped it ('local' for the master key; a cloud KMS later).
  provider text NOT NULL,
  wrapped_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, version)
);

-- Model providers registered by the operator. api_key is sealed with the 'global' data key.
CREATE TABLE model_providers (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('openai', 'azure', 'openai-compatible')),
  base_url text NOT NULL,
  api_key text,
  region text NOT NULL,
  chat_model text NOT NULL,
  embedding_model text,
  retains_data boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- What a company's data may reach. NULL allowed_regions / allowed_providers: any.
CREATE TABLE residency_policies (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  allowed_regions text[],
  allowed_providers text[],
  allow_retaining boolean NOT NULL,
  pii_mode text NOT NULL CHECK (pii_mode IN ('off', 'detect', 'pseudonymize', 'block')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

-- Existing companies get their sector's preset (src/governance/residency/sector-presets.ts).
INSERT INTO residency_policies (tenant_id, allowed_regions, allowed_providers, allow_retaining, pii_mode)
SELECT id,
       CASE sector WHEN 'government' THEN ARRAY['jp-east', 'jp-west', 'on-prem']
                   WHEN 'medical' THEN ARRAY['jp-east', 'jp-west', 'on-prem']
                   WHEN 'finance' THEN ARRAY['jp-east', 'jp-west']
                   ELSE NULL END,
       NULL,
       sector NOT IN ('government', 'medical'),
       CASE sector WHEN 'general' THEN 'detect' ELSE 'pseudonymize' END
  FROM tenants;

-- One row per model call or refusal: the governance issue prices, reports and audits them.
CREATE TABLE usage_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  user_id text,
  purpose text NOT NULL,
  operation text NOT NULL CHECK (operation IN ('chat', 'stream', 'embed')),
  provider text NOT NULL,
  model text NOT NULL,
  region text NOT NULL,
  tokens_in integer NOT NULL DEFAULT 0,
  tokens_out integer NOT NULL DEFAULT 0,
  latency_ms integer NOT NULL DEFAULT 0,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error', 'refused')),
  error_code text,
  detail text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX usage_events_time_idx ON usage_events (tenant_id, occurred_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['residency_policies', 'usage_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
      t);
  END LOOP;
END $$;
