-- Issue 5/6: what the PII step found in each model call (types and counts, never values).
ALTER TABLE usage_events ADD COLUMN pii_counts jsonb;

-- A conversation's pseudonym map (placeholder ↔ personal value), sealed with the company's key
-- (Keyring): placeholders stay stable across the turns of a generative conversation.
ALTER TABLE conversations ADD COLUMN pseudonyms_sealed text;
