import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrations.js';
import { PgliteDatabase } from '../../src/platform/db/pglite-database.js';
import { PostgresDatabase } from '../../src/platform/db/postgres-database.js';
import { runTemplate } from './run-template.js';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

/**
 * A migrated, empty database of either engine: an in-memory PGlite, or a fresh database on the
 * test run's PostgreSQL server. Create one per test file and keep tests apart by company.
 */
export async function createTestDatabase(engine: Engine): Promise<Database> {
  // The template was migrated by this run's own code: nothing is left to apply.
  if (engine === 'pglite')
    return PgliteDatabase.open(undefined, { loadDataDir: new Blob([readFileSync(await migratedPglite())]) });
  const db = await PostgresDatabase.connect(await createServerDatabase());
  await migrate(db);
  return db;
}

/**
 * A migrated PGlite's data directory as a tarball, made once per test run: loading it takes a
 * second or two, where initdb and the migrations take 5–10 s of each test file's CPU.
 */
function migratedPglite(): Promise<string> {
  return runTemplate('migrated-pglite.tar', async (target) => {
    const db = await PgliteDatabase.open(undefined);
    try {
      await migrate(db);
      const dump = await db.handle.dumpDataDir('none');
      writeFileSync(target, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await db.close();
    }
  });
}

/** A new, empty database on the test server; returns its URL. */
export async function createServerDatabase(): Promise<string> {
  const base = inject('postgresUrl');
  const name = `kura_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
