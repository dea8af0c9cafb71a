import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataKeyRepository } from '../../src/platform/crypto/data-key-repository.js';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';
import { GLOBAL_SCOPE, Keyring } from '../../src/platform/crypto/keyring.js';
import { createCompany } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('key rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    // KURA_MASTER_KEY set: the rotation has no master.key file to rewrite.
    t = await startTestApp('pglite', { KURA_MASTER_KEY: randomBytes(32).toString('base64') });
  }, 60_000);
  afterAll(async () => t?.close());

  const addSource = async (tenantId: string, secret: string) =>
    t.knowledge.repos.sources.insert(tenantId, {
      id: randomUUID(),
      kind: 'postgres',
      name: `erp-${randomBytes(3).toString('hex')}`,
      settings: { url: 'postgres://erp.internal/erp', tables: [] },
      secret,
    });
  const rawSecret = async (id: string) =>
    (
      await t.db.owner((tx) => tx.query<{ secret: string }>('SELECT secret FROM sources WHERE id = $1', [id]))
    )[0]!.secret;

  it('a new master key re-wraps every data key: every secret still opens, the old key opens nothing', async () => {
    const a = await createCompany(t.tenancy);
    const b = await createCompany(t.tenancy);
    const sa = await addSource(a.id, 'password-of-a');
    const sb = await addSource(b.id, 'password-of-b');
    const globalSealed = await t.keyring.seal(GLOBAL_SCOPE, 'provider-api-key');
    const before = await new DataKeyRepository(t.db).listAll();
    const oldProvider = t.keys.currentProvider;
    // The old key opens the stored values (the probe below can fail).
    const withOld = new Keyring(oldProvider, new DataKeyRepository(t.db));
    expect(await withOld.open(a.id, await rawSecret(sa.id))).toBe('password-of-a');

    const newKey = randomBytes(32).toString('base64');
    const outcome = await t.keys.rotateMaster(newKey);
    expect(outcome.rewrapped).toBe(before.length);
    expect(outcome.keyFile).toBeNull();

    // The running services go on reading and writing secrets.
    expect(await t.knowledge.repos.sources.findSecret(a.id, sa.id)).toBe('password-of-a');
    expect(await t.knowledge.repos.sources.findSecret(b.id, sb.id)).toBe('password-of-b');
    expect(await t.keyring.open(GLOBAL_SCOPE, globalSealed)).toBe('provider-api-key');
    const sc = await addSource(a.id, 'written-after');
    expect(await t.knowledge.repos.sources.findSecret(a.id, sc.id)).toBe('written-after');

    // A process started with the new key reads everything; one with the old key reads nothing.
    const repo = new DataKeyRepository(t.db);
    const fresh = new Keyring(new LocalKeyProvider(Buffer.from(newKey, 'base64')), repo);
    expect(await fresh.open(b.id, await rawSecret(sb.id))).toBe('password-of-b');
    expect(await fresh.open(GLOBAL_SCOPE, globalSealed)).toBe('provider-api-key');
    const stale = new Keyring(oldProvider, repo);
    for (const [scope, sealed] of [
      [a.id, await rawSecret(sa.id)],
      [b.id, await rawSecret(sb.id)],
      [GLOBAL_SCOPE, globalSealed],
    ] as const)
      await expect(stale.open(scope, sealed)).rejects.toThrow(/does not unwrap/);
    for (const key of await repo.listAll())
      await expect(oldProvider.unwrap(key.wrappedKey, key.scope)).rejects.toThrow();

    // Run again (an interrupted rotation finished): nothing left to re-wrap.
    const again = await t.keys.rotateMaster(newKey);
    expect(again).toMatchObject({ rewrapped: 0, already: (await repo.listAll()).length });
  });

  it('rotating a company’s data key re-seals its secrets with the new version, and only its own', async () => {
    const a = await createCompany(t.tenancy);
    const b = await createCompany(t.tenancy);
    const sa = await addSource(a.id, 'alpha-secret');
    const sb = await addSource(b.id, 'bravo-secret');
    expect(await rawSecret(sa.id)).toMatch(/^kura-sealed:v1:1:/);

    const rotation = await t.keys.rotateDataKey(a.id);
    expect(rotation).toEqual({ scope: a.id, version: 2, resealed: 1 });
    expect(await rawSecret(sa.id)).toMatch(/^kura-sealed:v1:2:/);
    expect(await rawSecret(sb.id)).toMatch(/^kura-sealed:v1:1:/);
    expect(await t.knowledge.repos.sources.findSecret(a.id, sa.id)).toBe('alpha-secret');
    expect(await t.knowledge.repos.sources.findSecret(b.id, sb.id)).toBe('bravo-secret');
    // New secrets are sealed with the new version.
    const sc = await addSource(a.id, 'charlie-secret');
    expect(await rawSecret(sc.id)).toMatch(/^kura-sealed:v1:2:/);
  });
});
