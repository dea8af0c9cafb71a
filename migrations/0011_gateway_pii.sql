-- Issue 5/6: what the PII step found in each model call (types and counts, never values).
ALTER TABLE usage_events ADD COLUMN pii_counts jsonb;
