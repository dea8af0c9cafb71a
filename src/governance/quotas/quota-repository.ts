import type { Database } from '../../platform/db/database.js';

export interface CompanyQuota {
  /** Null: unlimited. */
  requestsPerMinute: number | null;
  storageBytes: number | null;
  /** Model tokens a calendar month (UTC); enforced by the model gateway's metering. */
  monthlyTokens: number | null;
  updatedAt: string | null;
}

export const UNLIMITED: CompanyQuota = {
  requestsPerMinute: null,
  storageBytes: null,
  monthlyTokens: null,
  updatedAt: null,
};

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export class QuotaRepository {
  constructor(private readonly db: Database) {}

  async get(tenantId: string): Promise<CompanyQuota> {
    const [row] = await this.db.tenant(tenantId, (tx) =>
      tx.query<Record<string, unknown>>('SELECT * FROM tenant_quotas WHERE tenant_id = $1', [tenantId]),
    );
    if (!row) return UNLIMITED;
    return {
      requestsPerMinute: num(row.requests_per_minute),
      storageBytes: num(row.storage_bytes),
      monthlyTokens: num(row.monthly_tokens),
      updatedAt: new Date(row.updated_at as string).toISOString(),
    };
  }

  /** Sets the named limits (null lifts one); limits not named keep their value. */
  async set(tenantId: string, changes: Partial<Omit<CompanyQuota, 'updatedAt'>>): Promise<CompanyQuota> {
    const current = await this.get(tenantId);
    const next = { ...current, ...changes };
    await this.db.tenant(tenantId, (tx) =>
      tx.query(
        `INSERT INTO tenant_quotas (tenant_id, requests_per_minute, storage_bytes, monthly_tokens, updated_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (tenant_id) DO UPDATE SET requests_per_minute = EXCLUDED.requests_per_minute,
           storage_bytes = EXCLUDED.storage_bytes, monthly_tokens = EXCLUDED.monthly_tokens, updated_at = now()`,
        [tenantId, next.requestsPerMinute, next.storageBytes, next.monthlyTokens],
      ),
    );
    return this.get(tenantId);
  }

  /** Bytes the company stores: the sizes of its indexed documents. */
  async storageUsed(tenantId: string): Promise<number> {
    const [row] = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ used: unknown }>(
        `SELECT coalesce(sum(size_bytes), 0) AS used FROM documents WHERE tenant_id = $1 AND status = 'indexed'`,
        [tenantId],
      ),
    );
    return Number(row?.used ?? 0);
  }
}
