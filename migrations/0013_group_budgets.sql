-- Group-level monthly token budgets, split across the group's companies. A global table (like
-- groups): the group admin sets it for the whole group, and the model gateway reads it for any
-- company of the group. It holds figures only, never content.
CREATE TABLE group_budgets (
  group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  -- Model tokens (in + out) the whole group may use in a calendar month (UTC).
  monthly_tokens bigint NOT NULL CHECK (monthly_tokens >= 0),
  -- 'shares': each company's part is monthly_tokens × its share / the sum of shares (a company not
  -- listed has share 0); 'fixed': each company's part is its amount in tokens (not listed: 0).
  split text NOT NULL CHECK (split IN ('shares', 'fixed')),
  -- {"<company id>": <share or tokens>, …}
  allocations jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id)
);
