-- The background job queue. A global table on purpose: a worker claims the next job of any company
-- with FOR UPDATE SKIP LOCKED, so it cannot sit behind row-level security. It holds job metadata
-- and ids only, never company content; reads for a company filter by tenant_id. Under Citus it
-- stays a local table on the coordinator (see docs/SCALING.md).
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  payload jsonb NOT NULL,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  progress jsonb,
  result jsonb,
  dedupe_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_tenant_idx ON jobs (tenant_id, created_at DESC);
CREATE UNIQUE INDEX jobs_dedupe_idx ON jobs (dedupe_key) WHERE state IN ('queued', 'running');
