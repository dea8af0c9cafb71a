import type { Database } from '../../platform/db/database.js';
import type { CompanyRole } from '../roles.js';

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  role: CompanyRole;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  tenant_id: string;
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  role: CompanyRole;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  prefix: row.prefix,
  role: row.role,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

export class ApiKeyRepository {
  constructor(private readonly db: Database) {}

  async insert(
    tenantId: string,
    key: {
      id: string;
      name: string;
      prefix: string;
      secretHash: string;
      role: CompanyRole;
      createdBy: string | null;
    },
  ): Promise<ApiKey> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<ApiKeyRow>(
        `INSERT INTO api_keys (tenant_id, id, name, prefix, secret_hash, role, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [tenantId, key.id, key.name, key.prefix, key.secretHash, key.role, key.createdBy],
      ),
    );
    return toApiKey(rows[0]!);
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]),
    );
    return rows.map(toApiKey);
  }

  async findById(tenantId: string, id: string): Promise<ApiKey | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    );
    return rows[0] && toApiKey(rows[0]);
  }

  /** The stored hash of an active key, for verification. */
  async findActiveSecret(
    tenantId: string,
    id: string,
  ): Promise<{ secretHash: string; role: CompanyRole } | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL', [
        tenantId,
        id,
      ]),
    );
    return rows[0] && { secretHash: rows[0].secret_hash, role: rows[0].role };
  }

  async revoke(tenantId: string, id: string): Promise<ApiKey | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<ApiKeyRow>(
        'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING *',
        [tenantId, id],
      ),
    );
    return rows[0] && toApiKey(rows[0]);
  }

  async touch(tenantId: string, ids: string[]): Promise<void> {
    await this.db.tenant(tenantId, (tx) =>
      tx.query('UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [
        tenantId,
        ids,
      ]),
    );
  }
}
