import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { createTestDatabase } from '../../../test/helpers/test-database.js';
import { createKeyring } from './create-keyring.js';
import { LocalKeyProvider } from './key-provider.js';
import { GLOBAL_SCOPE, isSealed } from './keyring.js';
import { loadMasterKey } from './master-key.js';

describe('key ring', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
  });
  afterAll(() => db.close());

  it('seals and opens any text per scope; the sealed text does not contain it', async () => {
    const keyring = createKeyring(db, new LocalKeyProvider(randomBytes(32)));
    const scope = randomUUID();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }), async (secret) => {
        const sealed = await keyring.seal(scope, secret);
        expect(isSealed(sealed)).toBe(true);
        if (secret.length >= 4) expect(sealed).not.toContain(secret);
        expect(await keyring.open(scope, sealed)).toBe(secret);
      }),
      { numRuns: 100 },
    );
    expect(await keyring.open(GLOBAL_SCOPE, await keyring.seal(GLOBAL_SCOPE, 'sk-provider'))).toBe(
      'sk-provider',
    );
  });

  it("one company's sealed value does not open in another's scope, nor after a byte changes", async () => {
    const keyring = createKeyring(db, new LocalKeyProvider(randomBytes(32)));
    const [a, b] = [randomUUID(), randomUUID()];
    const sealed = await keyring.seal(a, 'postgres://app:hunter2@db/sales');
    await expect(keyring.open(b, sealed)).rejects.toMatchObject({ code: 'secret_unavailable' });
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    await expect(keyring.open(a, tampered)).rejects.toMatchObject({ code: 'secret_unavailable' });
  });

  it('another process with the same master key reads it; a different master key does not', async () => {
    const master = randomBytes(32);
    const scope = randomUUID();
    const sealed = await createKeyring(db, new LocalKeyProvider(master)).seal(scope, 'client-secret');
    expect(await createKeyring(db, new LocalKeyProvider(Buffer.from(master))).open(scope, sealed)).toBe(
      'client-secret',
    );
    await expect(
      createKeyring(db, new LocalKeyProvider(randomBytes(32))).open(scope, sealed),
    ).rejects.toMatchObject({
      code: 'secret_unavailable',
    });
  });

  it("forgetting a scope destroys its data key: its secrets are gone, other scopes' are not", async () => {
    const keyring = createKeyring(db, new LocalKeyProvider(randomBytes(32)));
    const [a, b] = [randomUUID(), randomUUID()];
    const sealedA = await keyring.seal(a, 'secret-a');
    const sealedB = await keyring.seal(b, 'secret-b');
    await keyring.forget(a);
    await expect(keyring.open(a, sealedA)).rejects.toMatchObject({ code: 'secret_unavailable' });
    expect(await keyring.open(b, sealedB)).toBe('secret-b');
    const stored = await db.global((tx) => tx.query('SELECT scope FROM data_keys WHERE scope = $1', [a]));
    expect(stored).toEqual([]);
  });
});

describe('master key', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'kura-master-'));

  it('embedded mode creates master.key with mode 0600 once and reuses it', () => {
    const dataDir = path.join(dir(), 'data');
    const first = loadMasterKey({ masterKey: undefined, dataDir, serverMode: false });
    const file = path.join(dataDir, 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first);
    expect(loadMasterKey({ masterKey: undefined, dataDir, serverMode: false })).toEqual(first);
  });

  it('KURA_MASTER_KEY wins; a malformed one is a clear error', () => {
    const key = randomBytes(32);
    expect(loadMasterKey({ masterKey: key.toString('base64'), dataDir: dir(), serverMode: true })).toEqual(
      key,
    );
    expect(() => loadMasterKey({ masterKey: 'c2hvcnQ=', dataDir: dir(), serverMode: false })).toThrow(
      expect.objectContaining({ code: 'master_key_invalid' }),
    );
  });

  it('server mode without a key refuses to start with master_key_missing; a placed key file is used', () => {
    const dataDir = dir();
    expect(() => loadMasterKey({ masterKey: undefined, dataDir, serverMode: true })).toThrow(
      expect.objectContaining({ code: 'master_key_missing' }),
    );
    const key = randomBytes(32);
    writeFileSync(path.join(dataDir, 'master.key'), key.toString('base64'), { mode: 0o600 });
    expect(loadMasterKey({ masterKey: undefined, dataDir, serverMode: true })).toEqual(key);
  });
});
