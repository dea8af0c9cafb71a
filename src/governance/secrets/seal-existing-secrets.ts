import type { SecretSealer } from '../../platform/crypto/secret-sealer.js';
import type { Database } from '../../platform/db/database.js';

/** Company-owned columns that hold a credential: table, key columns besides tenant_id, the column. */
export const SECRET_COLUMNS = [
  { table: 'sources', key: ['id'], column: 'secret' },
  { table: 'sso_configs', key: [], column: 'client_secret' },
] as const;

const DONE_SETTING = 'secrets_sealed_v1';

/**
 * Start-up step for data written before encryption at rest: seals every plaintext credential with
 * its company's key, company by company inside that company's RLS scope, then records that it ran
 * so later starts skip the scan. Idempotent: sealed values are recognised and left alone.
 */
export async function sealExistingSecrets(db: Database, sealer: SecretSealer): Promise<number> {
  const done = await db.global((tx) =>
    tx.query('SELECT 1 FROM instance_settings WHERE key = $1', [DONE_SETTING]),
  );
  if (done.length > 0) return 0;
  const tenants = await db.global((tx) => tx.query<{ id: string }>('SELECT id FROM tenants'));
  let sealed = 0;
  for (const { id: tenantId } of tenants) {
    for (const { table, key, column } of SECRET_COLUMNS) {
      const keyList = ['tenant_id', ...key].join(', ');
      const rows = await db.tenant(tenantId, (tx) =>
        tx.query<Record<string, string>>(
          `SELECT ${keyList}, ${column} AS value FROM ${table}
            WHERE ${column} IS NOT NULL AND ${column} NOT LIKE 'kura-sealed:%'`,
        ),
      );
      for (const row of rows) {
        const value = await sealer.seal(tenantId, row.value!);
        const where = ['tenant_id', ...key].map((k, i) => `${k} = $${i + 2}`).join(' AND ');
        await db.tenant(tenantId, (tx) =>
          tx.query(`UPDATE ${table} SET ${column} = $1 WHERE ${where} AND ${column} = $${key.length + 3}`, [
            value,
            tenantId,
            ...key.map((k) => row[k]),
            row.value,
          ]),
        );
        sealed += 1;
      }
    }
  }
  await db.global((tx) =>
    tx.query(`INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
      DONE_SETTING,
      JSON.stringify({ sealed, at: new Date().toISOString() }),
    ]),
  );
  return sealed;
}
