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
}
