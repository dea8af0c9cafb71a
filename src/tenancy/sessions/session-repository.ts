import type { Database } from '../../platform/db/database.js';
import type { UserRole } from '../roles.js';

export interface StoredSession {
  id: string;
  tenantId: string;
  userId: string;
  secretHash: string;
  csrfToken: string;
  expiresAt: Date;
  role: UserRole;
  userDisabled: boolean;
  user: { email: string; name: string };
}

export class SessionRepository {
  constructor(private readonly db: Database) {}

  async insert(
    tenantId: string,
    session: { id: string; userId: string; secretHash: string; csrfToken: string; expiresAt: Date },
  ): Promise<void> {
    await this.db.tenant(tenantId, (tx) =>
      tx.query(
        `INSERT INTO sessions (tenant_id, id, user_id, secret_hash, csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [tenantId, session.id, session.userId, session.secretHash, session.csrfToken, session.expiresAt],
      ),
    );
  }

  /** The session with its user's current role, so a role change applies on the next request. */
  async find(tenantId: string, id: string): Promise<StoredSession | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{
        id: string;
        user_id: string;
        secret_hash: string;
        csrf_token: string;
        expires_at: Date;
        role: UserRole;
        disabled_at: Date | null;
        email: string;
        name: string;
      }>(
        `SELECT s.id, s.user_id, s.secret_hash, s.csrf_token, s.expires_at, u.role, u.disabled_at, u.email, u.name
           FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
          WHERE s.tenant_id = $1 AND s.id = $2`,
        [tenantId, id],
      ),
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        tenantId,
        userId: row.user_id,
        secretHash: row.secret_hash,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
        role: row.role,
        userDisabled: row.disabled_at !== null,
        user: { email: row.email, name: row.name },
      }
    );
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(tenantId, (tx) =>
      tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    );
  }

  async deleteExpired(tenantId: string, now: Date): Promise<number> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND expires_at <= $2 RETURNING id', [
        tenantId,
        now,
      ]),
    );
    return rows.length;
  }
}
