import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrations.js';
import { PostgresDatabase } from './postgres-database.js';
import { PgliteDatabase } from './pglite-database.js';
import type { Database } from './database.js';
import { createServerDatabase, ENGINES } from '../../../test/helpers/test-database.js';

async function emptyDatabase(engine: (typeof ENGINES)[number]): Promise<Database> {
  return engine === 'pglite'
    ? PgliteDatabase.open(undefined)
    : PostgresDatabase.connect(await createServerDatabase());
}

describe.each(ENGINES)('migrations on %s', (engine) => {
  const open: Database[] = [];
  afterAll(() => Promise.all(open.map((db) => db.close())));

  it('apply once, then are a no-op on the next start', async () => {
    const db = await emptyDatabase(engine);
    open.push(db);
    const all = await readMigrations();
    expect(await migrate(db)).toEqual(all.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    const rows = await db.owner((tx) =>
      tx.query<{ version: number }>('SELECT version FROM kura_migrations ORDER BY version'),
    );
    expect(rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
  });

  it('apply only the new ones to a database that has the earlier ones (an upgrade)', async () => {
    const db = await emptyDatabase(engine);
    open.push(db);
    const all = await readMigrations();
    expect(await migrate(db, all.slice(0, 5))).toEqual(all.slice(0, 5).map((m) => m.version));
    expect(await migrate(db)).toEqual(all.slice(5).map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });

  it('refuse to start when an applied migration file was changed', async () => {
    const db = await emptyDatabase(engine);
    open.push(db);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(db, await readMigrations(dir));
    const first = (await readMigrations(dir))[0]!;
    writeFileSync(
      path.join(dir, `${String(first.version).padStart(4, '0')}_${first.name}.sql`),
      `${first.sql}\n-- edited`,
    );
    await expect(migrate(db, await readMigrations(dir))).rejects.toMatchObject({ code: 'migration_changed' });
  });

  it('roll back a failing migration completely and record nothing', async () => {
    const db = await emptyDatabase(engine);
    open.push(db);
    const broken = {
      version: 9001,
      name: 'broken',
      checksum: 'x',
      sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
    };
    await expect(migrate(db, [broken])).rejects.toThrow(/no_such_function/);
    const tables = await db.owner((tx) =>
      tx.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`),
    );
    expect(tables).toEqual([]);
    const recorded = await db.owner((tx) => tx.query('SELECT 1 FROM kura_migrations WHERE version = 9001'));
    expect(recorded).toEqual([]);
  });

  if (engine === 'postgres') {
    it('two processes starting together apply each migration exactly once', async () => {
      const url = await createServerDatabase();
      const [a, b] = await Promise.all([PostgresDatabase.connect(url), PostgresDatabase.connect(url)]);
      open.push(a, b);
      const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
      const all = (await readMigrations()).map((m) => m.version);
      expect([...ranA, ...ranB].sort((x, y) => x - y)).toEqual(all);
    });
  }
});

describe('migration files', () => {
  it('are numbered without gaps and named NNNN_name.sql', async () => {
    const all = await readMigrations();
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
  });
});
