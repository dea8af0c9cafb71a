import type { Database } from '../../platform/db/database.js';
import { openNullable, sealNullable, type SecretSealer } from '../../platform/crypto/secret-sealer.js';
import type { CompanyRole } from '../roles.js';

/** A company's OpenID Connect settings as anyone outside this module may see them: no secret. */
export interface SsoConfig {
  tenantId: string;
  issuer: string;
  clientId: string;
  defaultRole: CompanyRole;
  createdAt: string;
  updatedAt: string;
}

export interface SsoConfigWithSecret extends SsoConfig {
  clientSecret: string;
}

interface SsoConfigRow {
  tenant_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  default_role: CompanyRole;
  created_at: Date;
  updated_at: Date;
}

const toConfig = (row: SsoConfigRow): SsoConfigWithSecret => ({
  tenantId: row.tenant_id,
  issuer: row.issuer,
  clientId: row.client_id,
  defaultRole: row.default_role,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  clientSecret: row.client_secret,
});

export const withoutSecret = ({ clientSecret: _secret, ...config }: SsoConfigWithSecret): SsoConfig => config;

/** One SSO configuration per company (`sso_configs`, keyed by tenant_id); the client secret is sealed with the company's key. */
export class SsoConfigRepository {
  constructor(
    private readonly db: Database,
    private readonly sealer?: SecretSealer,
  ) {}

  async find(tenantId: string): Promise<SsoConfigWithSecret | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<SsoConfigRow>('SELECT * FROM sso_configs WHERE tenant_id = $1', [tenantId]),
    );
    if (!rows[0]) return undefined;
    const config = toConfig(rows[0]);
    return {
      ...config,
      clientSecret: (await openNullable(this.sealer, tenantId, config.clientSecret)) ?? '',
    };
  }

  /** Creates or replaces the company's configuration, the client secret sealed. */
  async upsert(
    tenantId: string,
    config: { issuer: string; clientId: string; clientSecret: string; defaultRole: CompanyRole },
  ): Promise<SsoConfig> {
    const secret = await sealNullable(this.sealer, tenantId, config.clientSecret);
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<SsoConfigRow>(
        `INSERT INTO sso_configs (tenant_id, issuer, client_id, client_secret, default_role)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id) DO UPDATE
            SET issuer = excluded.issuer, client_id = excluded.client_id, client_secret = excluded.client_secret,
                default_role = excluded.default_role, updated_at = now()
         RETURNING *`,
        [tenantId, config.issuer, config.clientId, secret, config.defaultRole],
      ),
    );
    return withoutSecret(toConfig(rows[0]!));
  }

  async delete(tenantId: string): Promise<boolean> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query('DELETE FROM sso_configs WHERE tenant_id = $1 RETURNING tenant_id', [tenantId]),
    );
    return rows.length > 0;
  }
}
