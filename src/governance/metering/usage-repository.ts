import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import type { UsageEvent, UsageSink } from '../../platform/llm/model-gateway.js';

export interface StoredUsageEvent extends UsageEvent {
  id: string;
  occurredAt: string;
}

interface Row {
  tenant_id: string;
  id: string;
  occurred_at: Date;
  user_id: string | null;
  purpose: string;
  operation: UsageEvent['operation'];
  provider: string;
  model: string;
  region: string;
  tokens_in: number;
  tokens_out: number;
  latency_ms: number;
  outcome: UsageEvent['outcome'];
  error_code: string | null;
  detail: string | null;
  pii_counts: UsageEvent['piiCounts'];
}

const toEvent = (row: Row): StoredUsageEvent => ({
  id: row.id,
  occurredAt: row.occurred_at.toISOString(),
  tenantId: row.tenant_id,
  userId: row.user_id,
  purpose: row.purpose,
  operation: row.operation,
  provider: row.provider,
  model: row.model,
  region: row.region,
  tokensIn: row.tokens_in,
  tokensOut: row.tokens_out,
  latencyMs: row.latency_ms,
  outcome: row.outcome,
  errorCode: row.error_code,
  detail: row.detail,
  piiCounts: row.pii_counts ?? null,
});

/** `usage_events`: every model call and every refusal, inside the company's RLS scope. */
export class UsageRepository implements UsageSink {
  constructor(private readonly db: Database) {}

  async record(event: UsageEvent): Promise<void> {
    await this.db.tenant(event.tenantId, (tx) =>
      tx.query(
        `INSERT INTO usage_events (tenant_id, id, user_id, purpose, operation, provider, model, region,
                                   tokens_in, tokens_out, latency_ms, outcome, error_code, detail, pii_counts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          event.tenantId,
          randomUUID(),
          event.userId,
          event.purpose,
          event.operation,
          event.provider,
          event.model,
          event.region,
          event.tokensIn,
          event.tokensOut,
          event.latencyMs,
          event.outcome,
          event.errorCode,
          event.detail,
          event.piiCounts ? JSON.stringify(event.piiCounts) : null,
        ],
      ),
    );
  }

  async list(tenantId: string, limit = 1000): Promise<StoredUsageEvent[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>('SELECT * FROM usage_events WHERE tenant_id = $1 ORDER BY occurred_at, id LIMIT $2', [
        tenantId,
        limit,
      ]),
    );
    return rows.map(toEvent);
  }
}
