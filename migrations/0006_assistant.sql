-- Assistant (issue 6): conversations of one caller (a user or an API key) in one company, their
-- messages, each answer's citations and the asker's feedback. All company-owned: tenant_id leads
-- every key and every foreign key, and deleting a conversation deletes every row below it.

CREATE TABLE conversations (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  -- Who owns it: only that caller lists, reads, renames, deletes it.
  owner_kind text NOT NULL CHECK (owner_kind IN ('user', 'api_key')),
  owner_id uuid NOT NULL,
  title text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX conversations_owner_idx ON conversations (tenant_id, owner_kind, owner_id, updated_at DESC);

CREATE TABLE messages (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  conversation_id uuid NOT NULL,
  seq integer NOT NULL,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL,
  -- Answers only: which engine wrote it, and whether it found anything to answer from.
  mode text CHECK (mode IN ('extractive', 'generative')),
  found boolean,
  -- 'incomplete' when the answer stream failed part-way (the partial text is kept, marked).
  status text NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'incomplete')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, conversation_id, seq),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE citations (
  tenant_id uuid NOT NULL,
  message_id uuid NOT NULL,
  -- The [n] marker in the answer.
  n integer NOT NULL,
  document_id uuid NOT NULL,
  chunk_ordinal integer NOT NULL,
  title text NOT NULL,
  uri text NOT NULL,
  anchor jsonb NOT NULL DEFAULT '{}',
  quote text NOT NULL,
  PRIMARY KEY (tenant_id, message_id, n),
  FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE message_feedback (
  tenant_id uuid NOT NULL,
  message_id uuid NOT NULL,
  rating text NOT NULL CHECK (rating IN ('good', 'bad')),
  comment text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, message_id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['conversations', 'messages', 'citations', 'message_feedback'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
      t);
  END LOOP;
END $$;
