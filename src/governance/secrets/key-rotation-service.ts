import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../platform/db/database.js';
import { DataKeyRepository } from '../../platform/crypto/data-key-repository.js';
import { LocalKeyProvider, type KeyProvider } from '../../platform/crypto/key-provider.js';
import { GLOBAL_SCOPE, isSealed, type Keyring } from '../../platform/crypto/keyring.js';
import { decodeMasterKey, MASTER_KEY_FILE } from '../../platform/crypto/master-key.js';
import { rewrapDataKeys, type RewrapOutcome } from '../../platform/crypto/master-key-rewrap.js';
import { SECRET_COLUMNS } from './seal-existing-secrets.js';

export interface MasterRotation extends RewrapOutcome {
  /** Where the new key was written (embedded mode with a key file), or null: configure it yourself. */
  keyFile: string | null;
}

export interface DataKeyRotation {
  scope: string;
  version: number;
  /** Sealed values opened with an older version and sealed again with the new one. */
  resealed: number;
}

interface SealedColumn {
  table: string;
  key: readonly string[];
  column: string;
}

const GLOBAL_COLUMNS: readonly SealedColumn[] = [
  { table: 'model_providers', key: ['id'], column: 'api_key' },
];

export interface KeyRotationOptions {
  dataDir: string;
  /** The master key came from KURA_MASTER_KEY (nothing to rewrite on disk) rather than master.key. */
  masterKeyFromEnv: boolean;
}

/**
 * `kura keys rotate`. Master key: every data key is re-wrapped under the new master key while the
 * server runs (the data keys do not change, so no sealed value is touched), then this process
 * unwraps with the new key and, in embedded mode, `master.key` is replaced. Data key: a company's
 * (or the global scope's) key gets a new version and each of its sealed values is opened and sealed
 * again with it.
 */
export class KeyRotationService {
  private readonly repository: DataKeyRepository;

  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
    private current: KeyProvider,
    private readonly options: KeyRotationOptions,
  ) {
    this.repository = new DataKeyRepository(db);
  }

  /** The provider that wraps the data keys now (the new one after a master rotation). */
  get currentProvider(): KeyProvider {
    return this.current;
  }

  async rotateMaster(newMasterKey: string): Promise<MasterRotation> {
    const next = new LocalKeyProvider(decodeMasterKey(newMasterKey, 'the new master key'));
    const outcome = await rewrapDataKeys(this.repository, this.current, next);
    this.current = next;
    this.keyring.useProvider(next);
    let keyFile: string | null = null;
    if (!this.options.masterKeyFromEnv) {
      keyFile = path.join(this.options.dataDir, MASTER_KEY_FILE);
      // Written beside and renamed: a crash leaves the old file or the new one, never half of one.
      const temporary = `${keyFile}.new`;
      writeFileSync(temporary, `${newMasterKey.trim()}\n`, { mode: 0o600 });
      renameSync(temporary, keyFile);
    }
    return { ...outcome, keyFile };
  }

  async rotateDataKey(scope: string): Promise<DataKeyRotation> {
    const version = await this.keyring.rotate(scope);
    let resealed = 0;
    const columns = scope === GLOBAL_SCOPE ? GLOBAL_COLUMNS : SECRET_COLUMNS;
    const inScope = <T>(fn: Parameters<Database['global']>[0]) =>
      (scope === GLOBAL_SCOPE ? this.db.global(fn) : this.db.tenant(scope, fn)) as Promise<T>;
    for (const { table, key, column } of columns) {
      const rows = await inScope<Record<string, string>[]>((tx) =>
        tx.query(`SELECT ${[...key, column].join(', ')} FROM ${table} WHERE ${column} IS NOT NULL`),
      );
      for (const row of rows) {
        const old = row[column]!;
        if (!isSealed(old) || old.startsWith(`kura-sealed:v1:${version}:`)) continue;
        const value = await this.keyring.seal(scope, await this.keyring.open(scope, old));
        const where = key.map((k, i) => `${k} = $${i + 3}`).join(' AND ');
        await inScope((tx) =>
          tx.query(`UPDATE ${table} SET ${column} = $1 WHERE ${column} = $2${where ? ` AND ${where}` : ''}`, [
            value,
            old,
            ...key.map((k) => row[k]),
          ]),
        );
        resealed += 1;
      }
    }
    return { scope, version, resealed };
  }
}
