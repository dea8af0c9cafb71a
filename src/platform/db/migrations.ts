import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ROLE, type Database, type Queryable } from './database.js';
import { ConfigError } from '../errors/errors.js';
import { APPEND_ONLY_TABLES } from './tenant-tables.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new ConfigError(`migration file name must look like 0001_name.sql: ${file}`);
      const sql = await readFile(path.join(dir, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2]!,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so two
 * processes starting together do not race. Refuses to start when an applied file has changed.
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await readMigrations());
  if (await allApplied(db, all)) return [];
  const applied: number[] = [];
  await db.owner(async (tx) => {
    await tx.query(LOCK_SQL);
    await tx.exec(BOOTSTRAP_SQL);
  });
  for (const migration of all) {
    const ran = await db.owner(async (tx) => {
      await tx.query(LOCK_SQL);
      const rows = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM kura_migrations WHERE version = $1',
        [migration.version],
      );
      if (rows[0]) {
        if (rows[0].checksum !== migration.checksum) throw changedAfterApplied(migration);
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO kura_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      await grantAppRole(tx);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}

/**
 * Most starts find every migration applied: one read says so, without the lock and a transaction
 * per file (16 of them took ≈0.4 s of every embedded start). Anything missing goes the locked way.
 */
async function allApplied(db: Database, all: Migration[]): Promise<boolean> {
  return db.owner(async (tx) => {
    const [table] = await tx.query<{ found: string | null }>(
      "SELECT to_regclass('kura_migrations')::text AS found",
    );
    if (!table?.found) return false;
    const rows = await tx.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM kura_migrations',
    );
    const checksums = new Map(rows.map((row) => [row.version, row.checksum]));
    for (const migration of all) {
      const checksum = checksums.get(migration.version);
      if (checksum === undefined) return false;
      if (checksum !== migration.checksum) throw changedAfterApplied(migration);
    }
    return true;
  });
}

const changedAfterApplied = (migration: Migration) =>
  new ConfigError(
    `migration ${migration.version}_${migration.name} was changed after it was applied; restore the original file`,
    'migration_changed',
  );

/** Serialises concurrent starts on one database (the number is arbitrary, Kura's own). */
const LOCK_SQL = 'SELECT pg_advisory_xact_lock(7290001)';

const BOOTSTRAP_SQL = `
CREATE TABLE IF NOT EXISTS kura_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database of the same cluster created it concurrently
END $$;
DO $$
BEGIN
  EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL; -- superusers need no membership; others must have been granted it by the operator
END $$;
`;

async function grantAppRole(tx: Queryable): Promise<void> {
  await tx.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
  await tx.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
  await tx.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
  await tx.query(`REVOKE ALL ON kura_migrations FROM ${APP_ROLE}`);
  // Append-only tables: the application may add rows, never change or remove them.
  for (const table of APPEND_ONLY_TABLES) {
    const [exists] = await tx.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [
      table,
    ]);
    if (exists?.found) await tx.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "${table}" FROM ${APP_ROLE}`);
  }
}
