import type { Database } from '../platform/db/database.js';
import { openNullable, sealNullable, type SecretSealer } from '../platform/crypto/secret-sealer.js';

export type SourceKind = 'upload' | 'folder' | 'postgres' | 'mysql' | 'sqlite';
export type SourceStatus = 'idle' | 'syncing' | 'failed';

export interface Source {
  id: string;
  tenantId: string;
  kind: SourceKind;
  name: string;
  settings: Record<string, unknown>;
  state: Record<string, unknown>;
  status: SourceStatus;
  lastSyncAt: string | null;
  lastError: string | null;
  createdAt: string;
}

interface SourceRow {
  tenant_id: string;
  id: string;
  kind: SourceKind;
  name: string;
  settings: Record<string, unknown>;
  state: Record<string, unknown>;
  status: SourceStatus;
  last_sync_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

/** Never returns `secret`: credentials are read only by the connector that uses them (findSecret). */
const toSource = (row: SourceRow): Source => ({
  id: row.id,
  tenantId: row.tenant_id,
  kind: row.kind,
  name: row.name,
  settings: row.settings,
  state: row.state,
  status: row.status,
  lastSyncAt: row.last_sync_at?.toISOString() ?? null,
  lastError: row.last_error,
  createdAt: row.created_at.toISOString(),
});

const COLUMNS = 'tenant_id, id, kind, name, settings, state, status, last_sync_at, last_error, created_at';

/** `secret` is sealed with the company's data key before it is written (encryption at rest). */
export class SourceRepository {
  constructor(
    private readonly db: Database,
    private readonly sealer?: SecretSealer,
  ) {}

  async insert(
    tenantId: string,
    source: {
      id: string;
      kind: SourceKind;
      name: string;
      settings: Record<string, unknown>;
      secret: string | null;
    },
  ): Promise<Source> {
    const secret = await sealNullable(this.sealer, tenantId, source.secret);
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<SourceRow>(
        `INSERT INTO sources (tenant_id, id, kind, name, settings, secret) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [tenantId, source.id, source.kind, source.name, JSON.stringify(source.settings), secret],
      ),
    );
    return toSource(rows[0]!);
  }

  async findById(tenantId: string, id: string): Promise<Source | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE tenant_id = $1 AND id = $2`, [tenantId, id]),
    );
    return rows[0] && toSource(rows[0]);
  }

  async findByName(tenantId: string, name: string): Promise<Source | undefined> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE tenant_id = $1 AND name = $2`, [
        tenantId,
        name,
      ]),
    );
    return rows[0] && toSource(rows[0]);
  }

  async list(tenantId: string): Promise<Source[]> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE tenant_id = $1 ORDER BY name`, [tenantId]),
    );
    return rows.map(toSource);
  }

  async findSecret(tenantId: string, id: string): Promise<string | null> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ secret: string | null }>('SELECT secret FROM sources WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        id,
      ]),
    );
    return openNullable(this.sealer, tenantId, rows[0]?.secret ?? null);
  }

  async setStatus(
    tenantId: string,
    id: string,
    update: {
      status: SourceStatus;
      lastError?: string | null;
      state?: Record<string, unknown>;
      synced?: boolean;
    },
  ): Promise<void> {
    await this.db.tenant(tenantId, (tx) =>
      tx.query(
        `UPDATE sources SET status = $3, last_error = $4, state = coalesce($5, state),
                last_sync_at = CASE WHEN $6 THEN now() ELSE last_sync_at END, updated_at = now()
          WHERE tenant_id = $1 AND id = $2`,
        [
          tenantId,
          id,
          update.status,
          update.lastError ?? null,
          update.state ? JSON.stringify(update.state) : null,
          update.synced ?? false,
        ],
      ),
    );
  }

  /** Renames, replaces the settings, and (when `secret` is given, null included) the credentials. */
  async update(
    tenantId: string,
    id: string,
    patch: { name: string; settings: Record<string, unknown>; secret?: string | null },
  ): Promise<Source | undefined> {
    const secret = await sealNullable(this.sealer, tenantId, patch.secret ?? null);
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<SourceRow>(
        `UPDATE sources SET name = $3, settings = $4, secret = CASE WHEN $5 THEN $6 ELSE secret END, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [tenantId, id, patch.name, JSON.stringify(patch.settings), patch.secret !== undefined, secret],
      ),
    );
    return rows[0] && toSource(rows[0]);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query('DELETE FROM sources WHERE tenant_id = $1 AND id = $2 RETURNING id', [tenantId, id]),
    );
    return rows.length > 0;
  }
}
