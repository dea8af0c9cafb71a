import type { Database } from '../db/database.js';

export interface WrappedDataKey {
  scope: string;
  version: number;
  provider: string;
  wrappedKey: string;
}

interface Row {
  scope: string;
  version: number;
  provider: string;
  wrapped_key: string;
}

const toKey = (row: Row): WrappedDataKey => ({
  scope: row.scope,
  version: row.version,
  provider: row.provider,
  wrappedKey: row.wrapped_key,
});

/** `data_keys`: wrapped data keys per scope and version (global; useless without the master key). */
export class DataKeyRepository {
  constructor(private readonly db: Database) {}

  async latest(scope: string): Promise<WrappedDataKey | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<Row>('SELECT * FROM data_keys WHERE scope = $1 ORDER BY version DESC LIMIT 1', [scope]),
    );
    return rows[0] && toKey(rows[0]);
  }

  async find(scope: string, version: number): Promise<WrappedDataKey | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<Row>('SELECT * FROM data_keys WHERE scope = $1 AND version = $2', [scope, version]),
    );
    return rows[0] && toKey(rows[0]);
  }

  /** Inserts unless another process created this version first; returns the stored one either way. */
  async insertOrGet(key: WrappedDataKey): Promise<WrappedDataKey> {
    return this.db.global(async (tx) => {
      await tx.query(
        `INSERT INTO data_keys (scope, version, provider, wrapped_key) VALUES ($1, $2, $3, $4)
         ON CONFLICT (scope, version) DO NOTHING`,
        [key.scope, key.version, key.provider, key.wrappedKey],
      );
      const rows = await tx.query<Row>('SELECT * FROM data_keys WHERE scope = $1 AND version = $2', [
        key.scope,
        key.version,
      ]);
      return toKey(rows[0]!);
    });
  }

  /** Every version of the scope's key: what it sealed can no longer be opened. */
  async deleteScope(scope: string): Promise<number> {
    const rows = await this.db.global((tx) =>
      tx.query('DELETE FROM data_keys WHERE scope = $1 RETURNING version', [scope]),
    );
    return rows.length;
  }

  async listAll(): Promise<WrappedDataKey[]> {
    const rows = await this.db.global((tx) =>
      tx.query<Row>('SELECT * FROM data_keys ORDER BY scope, version'),
    );
    return rows.map(toKey);
  }

  /** Replaces one wrapping if it is still the one read (a concurrent rotation wins, never both). */
  async rewrap(key: WrappedDataKey, wrappedKey: string, provider: string): Promise<boolean> {
    const rows = await this.db.global((tx) =>
      tx.query(
        `UPDATE data_keys SET wrapped_key = $4, provider = $5
          WHERE scope = $1 AND version = $2 AND wrapped_key = $3 RETURNING version`,
        [key.scope, key.version, key.wrappedKey, wrappedKey, provider],
      ),
    );
    return rows.length === 1;
  }
}
