-- Governance: the append-only audit log (a hash chain per company), its signed retention
-- checkpoints, and per-company quotas. All company-owned: tenant_id leads every key.

CREATE TABLE audit_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  -- 1, 2, 3 … per company, without gaps (the chain head hands them out under a row lock).
  seq bigint NOT NULL,
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  action text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'operator', 'system', 'anonymous')),
  actor_id text,
  target_type text,
  target_id text,
  request_id text,
  ip text,
  payload jsonb NOT NULL DEFAULT '{}',
  -- SHA-256 of the previous event's hash and this event's canonical JSON (hex).
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (tenant_id, seq),
  UNIQUE (tenant_id, id)
);
CREATE INDEX audit_events_time_idx ON audit_events (tenant_id, occurred_at);
CREATE INDEX audit_events_action_idx ON audit_events (tenant_id, action, seq);

-- The newest event of each company's chain: writers lock this row, so sequence numbers never race.
CREATE TABLE audit_heads (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  seq bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (tenant_id)
);

-- Written before retention prunes events: the chain then starts from the checkpoint, whose HMAC
-- (key from KURA_AUDIT_KEY or the data directory) proves Kura wrote it.
CREATE TABLE audit_checkpoints (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  -- The last pruned event: the first kept event must follow it.
  seq bigint NOT NULL,
  hash text NOT NULL,
  pruned_events bigint NOT NULL,
  pruned_before timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  signature text NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

CREATE TABLE tenant_quotas (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  -- NULL: no limit.
  requests_per_minute integer CHECK (requests_per_minute > 0),
  storage_bytes bigint CHECK (storage_bytes >= 0),
  monthly_tokens bigint CHECK (monthly_tokens >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

-- Append-only, also for the owner role unless a retention job or a company purge says so for its
-- own transaction (kura.audit_erase). kura_app additionally holds no UPDATE or DELETE grant.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('kura.audit_erase', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['audit_events', 'audit_heads', 'audit_checkpoints', 'tenant_quotas'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
      t);
  END LOOP;
END $$;
