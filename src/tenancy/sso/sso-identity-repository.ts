import type { Database } from '../../platform/db/database.js';

/**
 * The one write SSO makes to an existing user: attaching an OpenID identity (issuer, subject) to them.
 * Kept here rather than in UserRepository because only the SSO sign-in may do it, under its linking rules.
 */
export class SsoIdentityRepository {
  constructor(private readonly db: Database) {}

  /**
   * Links the identity unless the user already holds a different identity at the same issuer: the IdP
   * handing one e-mail address to a second account must not take over the first. An identity from
   * another issuer (the company moved IdP) is replaced. Returns whether the link was made.
   */
  async link(tenantId: string, userId: string, issuer: string, subject: string): Promise<boolean> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query(
        `UPDATE users SET oidc_issuer = $3, oidc_subject = $4, updated_at = now()
          WHERE tenant_id = $1 AND id = $2
            AND (oidc_issuer IS NULL OR oidc_issuer <> $3 OR oidc_subject = $4)
          RETURNING id`,
        [tenantId, userId, issuer, subject],
      ),
    );
    return rows.length > 0;
  }
}
