import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrations.js';
import { PgliteDatabase } from '../../src/platform/db/pglite-database.js';
import { PostgresDatabase } from '../../src/platform/db/postgres-database.js';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

/**
 * A migrated, empty database of either engine: an in-memory PGlite, or a fresh database on the
 * test run's PostgreSQL server. Create one per test file (PGlite start-up costs seconds) and keep
 * tests apart by company.
 */
export async function createTestDatabase(engine: Engine): Promise<Database> {
  const db =
    engine === 'pglite'
      ? await PgliteDatabase.open(undefined)
      : await PostgresDatabase.connect(await createServerDatabase());
  await migrate(db);
  return db;
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
