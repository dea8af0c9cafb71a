import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeServices, type Services } from '../../src/cli/compose-services.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrations.js';
import { PgliteDatabase } from '../../src/platform/db/pglite-database.js';
import { PostgresDatabase } from '../../src/platform/db/postgres-database.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { createCompany } from '../helpers/factories.js';
import { createServerDatabase, type Engine } from '../helpers/test-database.js';

/** Every file under `dir` whose raw bytes contain `needle`. */
function filesContaining(dir: string, needle: Buffer): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).size > 0 && readFileSync(full).includes(needle))
        found.push(full);
    }
  };
  walk(dir);
  return found;
}

interface Setup {
  db: Database;
  services: Services;
  /** The directory whose files hold the database. */
  storage: string;
  cleanup: () => void;
}

async function open(engine: Engine): Promise<Setup> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-shred-'));
  const db =
    engine === 'pglite'
      ? await PgliteDatabase.open(path.join(dataDir, 'pgdata'))
      : await PostgresDatabase.connect(await createServerDatabase());
  await migrate(db);
  const config = loadConfig({
    KURA_DATA_DIR: dataDir,
    KURA_AUDIT_KEY: 'test-audit-key-0123456789abcdef0123456789',
  });
  const services = composeServices(
    db,
    config,
    createLogger('silent'),
    new LocalKeyProvider(randomBytes(32)),
    {
      jobs: { concurrency: 1, embedded: false },
    },
  );
  const storage = engine === 'pglite' ? dataDir : inject('postgresDataDir');
  return { db, services, storage, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

describe.each<Engine>(['pglite', 'postgres'])('crypto-shredding a deleted company (%s)', (engine) => {
  let s: Setup;
  beforeAll(async () => {
    s = await open(engine);
  }, 120_000);
  afterAll(async () => {
    await s.services.connectors.close();
    await s.db.close();
    s.cleanup();
  });

  it('leaves no plaintext of its documents or credentials on disk, and its key opens nothing', async () => {
    const phrase = `purple-walrus-canary-${randomBytes(6).toString('hex')}`;
    const needle = Buffer.from(phrase, 'utf8');
    const { tenancy, connectors, knowledge, keyring } = s.services;
    const victim = await createCompany(tenancy);
    const survivor = await createCompany(tenancy);

    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kura-shred-up-')), 'memo.txt');
    writeFileSync(file, `Board memo.\n\nThe merger code word is ${phrase} and nobody may repeat it.\n`);
    const outcome = await connectors.documents.upload(OPERATOR, victim.id, {
      path: file,
      fileName: 'memo.txt',
    });
    expect(outcome.status).toBe('indexed');
    const kept = `amber-heron-canary-${randomBytes(6).toString('hex')}`;
    const otherFile = path.join(path.dirname(file), 'minutes.txt');
    writeFileSync(otherFile, `Minutes.\n\nThe survivor keeps ${kept} on record.\n`);
    await connectors.documents.upload(OPERATOR, survivor.id, { path: otherFile, fileName: 'minutes.txt' });
    const source = await knowledge.repos.sources.insert(victim.id, {
      id: randomUUID(),
      kind: 'postgres',
      name: 'erp',
      settings: { url: 'postgres://erp.internal/erp', tables: [] },
      secret: `password-${phrase}`,
    });
    const sealed = await s.db.owner((tx) =>
      tx.query<{ secret: string }>('SELECT secret FROM sources WHERE id = $1', [source.id]),
    );
    expect(sealed[0]!.secret).not.toContain(phrase);
    expect(await knowledge.repos.sources.findSecret(victim.id, source.id)).toBe(`password-${phrase}`);

    // The probe works: before deletion the plaintext is on disk (in the document's rows).
    await s.db.maintenance('CHECKPOINT');
    expect(filesContaining(s.storage, needle).length).toBeGreaterThan(0);

    await tenancy.companies.remove(OPERATOR, victim.id);

    expect(filesContaining(s.storage, needle)).toEqual([]);
    // Only the deleted company is gone: the other one's document is intact and on disk.
    expect(filesContaining(s.storage, Buffer.from(kept)).length).toBeGreaterThan(0);
    const { documents } = await connectors.documents.list(OPERATOR, survivor.id, {});
    expect(documents.map((d) => d.title)).toEqual(['minutes']);
    await expect(keyring.open(victim.id, sealed[0]!.secret)).rejects.toThrow(/no longer exists/);
    const keys = await s.db.owner((tx) => tx.query('SELECT 1 FROM data_keys WHERE scope = $1', [victim.id]));
    expect(keys).toEqual([]);
  }, 180_000);
});
