import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/errors.js';

export interface MasterKeySource {
  /** KURA_MASTER_KEY: base64 of 32 bytes. */
  masterKey: string | undefined;
  dataDir: string;
  /** Server mode (DATABASE_URL): several processes share the database, so none may invent a key. */
  serverMode: boolean;
}

export const MASTER_KEY_FILE = 'master.key';

/**
 * The key that wraps every data key: KURA_MASTER_KEY, else `<data dir>/master.key`. In embedded mode
 * the file is created (mode 0600) on first start; in server mode a missing key stops start-up,
 * because a key invented by one process would leave the others unable to read any secret.
 */
export function loadMasterKey(source: MasterKeySource): Buffer {
  if (source.masterKey !== undefined) return decodeMasterKey(source.masterKey, 'KURA_MASTER_KEY');
  const file = path.join(source.dataDir, MASTER_KEY_FILE);
  const existing = readIfExists(file);
  if (existing !== undefined) return decodeMasterKey(existing, file);
  if (source.serverMode) {
    throw new ConfigError(
      `no master key (master_key_missing): set KURA_MASTER_KEY (base64 of 32 random bytes, e.g. \`openssl rand -base64 32\`) or place ${file}`,
      'master_key_missing',
    );
  }
  mkdirSync(source.dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process wrote a moment ago.
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return decodeMasterKey(readFileSync(file, 'utf8'), file);
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, 'master_key_unreadable');
  }
}

/** The 32 bytes of a base64 master key; `where` names its origin in the error. */
export function decodeMasterKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32 || key.toString('base64') !== trimmed) {
    throw new ConfigError(`${where} must be the base64 of exactly 32 bytes`, 'master_key_invalid');
  }
  return key;
}
