import type { Database } from '../db/database.js';
import { DataKeyRepository } from './data-key-repository.js';
import { LocalKeyProvider, type KeyProvider } from './key-provider.js';
import { Keyring } from './keyring.js';
import { loadMasterKey, type MasterKeySource } from './master-key.js';

/** The key ring over the local master key; pass another KeyProvider to use a cloud KMS instead. */
export function createKeyring(db: Database, source: MasterKeySource | KeyProvider): Keyring {
  const provider = 'wrap' in source ? source : new LocalKeyProvider(loadMasterKey(source));
  return new Keyring(provider, new DataKeyRepository(db));
}
