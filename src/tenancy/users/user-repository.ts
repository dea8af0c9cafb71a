import type { Database } from '../../platform/db/database.js';
import type { UserRole } from '../roles.js';

export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  sso: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserWithSecret extends User {
  passwordHash: string | null;
}

interface UserRow {
  tenant_id: string;
  id: string;
  email: string;
  name: string;
  role: UserRole;
  password_hash: string | null;
  oidc_subject: string | null;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

const toUser = (row: UserRow): UserWithSecret => ({
  id: row.id,
  tenantId: row.tenant_id,
  email: row.email,
  name: row.name,
  role: row.role,
  disabled: row.disabled_at !== null,
  sso: row.oidc_subject !== null,
  lastLoginAt: row.last_login_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  passwordHash: row.password_hash,
});

const withoutSecret = ({ passwordHash: _secret, ...user }: UserWithSecret): User => user;

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string | null;
  oidc?: { issuer: string; subject: string };
}

/** Users belong to one company; every method takes its tenantId. */
export class UserRepository {
  constructor(private readonly db: Database) {}

  async insert(tenantId: string, user: NewUser): Promise<User> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<UserRow>(
        `INSERT INTO users (tenant_id, id, email, name, role, password_hash, oidc_issuer, oidc_subject)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          tenantId,
          user.id,
          user.email,
          user.name,
          user.role,
          user.passwordHash,
          user.oidc?.issuer ?? null,
          user.oidc?.subject ?? null,
        ],
      ),
    );
    return withoutSecret(toUser(rows[0]!));
  }

  async findById(tenantId: string, id: string): Promise<User | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<UserRow>('SELECT * FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    );
    return rows[0] && withoutSecret(toUser(rows[0]));
  }

  async findByEmailWithSecret(tenantId: string, email: string): Promise<UserWithSecret | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<UserRow>('SELECT * FROM users WHERE tenant_id = $1 AND email = $2', [tenantId, email]),
    );
    return rows[0] && toUser(rows[0]);
  }

  async findByOidcSubject(tenantId: string, issuer: string, subject: string): Promise<User | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<UserRow>(
        'SELECT * FROM users WHERE tenant_id = $1 AND oidc_issuer = $2 AND oidc_subject = $3',
        [tenantId, issuer, subject],
      ),
    );
    return rows[0] && withoutSecret(toUser(rows[0]));
  }

  async list(tenantId: string): Promise<User[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<UserRow>('SELECT * FROM users WHERE tenant_id = $1 ORDER BY email', [tenantId]),
    );
    return rows.map((row) => withoutSecret(toUser(row)));
  }

  async update(
    tenantId: string,
    id: string,
    patch: { name?: string; role?: UserRole; disabled?: boolean; passwordHash?: string },
  ): Promise<User | undefined> {
    const rows = await this.db.tenant(tenantId, async (tx) => {
      const updated = await tx.query<UserRow>(
        `UPDATE users SET name = coalesce($3, name), role = coalesce($4, role),
                disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END,
                password_hash = coalesce($6, password_hash), updated_at = now()
          WHERE tenant_id = $1 AND id = $2 RETURNING *`,
        [
          tenantId,
          id,
          patch.name ?? null,
          patch.role ?? null,
          patch.disabled ?? null,
          patch.passwordHash ?? null,
        ],
      );
      // A disabled user, a changed role or a new password ends every open session of that user.
      if (updated[0] && (patch.disabled || patch.role || patch.passwordHash)) {
        await tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2', [tenantId, id]);
      }
      return updated;
    });
    return rows[0] && withoutSecret(toUser(rows[0]));
  }

  async touchLogin(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(tenantId, (tx) =>
      tx.query('UPDATE users SET last_login_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    );
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query('DELETE FROM users WHERE tenant_id = $1 AND id = $2 RETURNING id', [tenantId, id]),
    );
    return rows.length > 0;
  }

  async countAdmins(tenantId: string): Promise<number> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND role IN ('admin', 'group_admin') AND disabled_at IS NULL`,
        [tenantId],
      ),
    );
    return rows[0]?.n ?? 0;
  }
}
