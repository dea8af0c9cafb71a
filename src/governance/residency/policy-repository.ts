import type { Database } from '../../platform/db/database.js';
import type { PiiMode, Region } from './regions.js';
import type { PolicyRules, ResidencyPolicy } from './residency-policy.js';

interface Row {
  tenant_id: string;
  allowed_regions: Region[] | null;
  allowed_providers: string[] | null;
  allow_retaining: boolean;
  pii_mode: PiiMode;
  updated_at: Date;
}

const toPolicy = (row: Row): ResidencyPolicy => ({
  tenantId: row.tenant_id,
  allowedRegions: row.allowed_regions,
  allowedProviders: row.allowed_providers,
  allowRetaining: row.allow_retaining,
  piiMode: row.pii_mode,
  updatedAt: row.updated_at.toISOString(),
});

/** `residency_policies`: one row per company, inside its RLS scope. */
export class PolicyRepository {
  constructor(private readonly db: Database) {}

  async find(tenantId: string): Promise<ResidencyPolicy | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>('SELECT * FROM residency_policies WHERE tenant_id = $1', [tenantId]),
    );
    return rows[0] && toPolicy(rows[0]);
  }

  async upsert(tenantId: string, rules: PolicyRules): Promise<ResidencyPolicy> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<Row>(
        `INSERT INTO residency_policies (tenant_id, allowed_regions, allowed_providers, allow_retaining, pii_mode)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id) DO UPDATE
            SET allowed_regions = excluded.allowed_regions, allowed_providers = excluded.allowed_providers,
                allow_retaining = excluded.allow_retaining, pii_mode = excluded.pii_mode, updated_at = now()
         RETURNING *`,
        [tenantId, rules.allowedRegions, rules.allowedProviders, rules.allowRetaining, rules.piiMode],
      ),
    );
    return toPolicy(rows[0]!);
  }
}
