import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalKeyProvider } from '../../platform/crypto/key-provider.js';
import { MASTER_KEY_FILE } from '../../platform/crypto/master-key.js';
import { DataDirLock } from '../../platform/db/data-dir-lock.js';
import { APP_ROLE, type Database } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrations.js';
import { PgliteDatabase } from '../../platform/db/pglite-database.js';
import { PostgresDatabase } from '../../platform/db/postgres-database.js';
import { AppError } from '../../platform/errors/errors.js';
import { BackupError, BackupReader, type BackupManifest } from './backup-archive.js';
import { runPgTool } from './pg-tools.js';

export interface RestoreOptions {
  /** The data directory to create (embedded database and Kura's files). */
  dataDir: string;
  /** Server mode: an empty database to load the dump into. */
  databaseUrl: string | undefined;
  /** The installation's master key: the one in force when the backup was taken. */
  masterKey: Buffer;
  /** Write the master key into the restored directory (it came from a file, not KURA_MASTER_KEY). */
  writeMasterKeyFile: boolean;
  /** Replace a non-empty data directory (kept aside, renamed, never deleted). */
  force: boolean;
}

export interface RestoreSummary {
  dataDir: string;
  database: BackupManifest['database'];
  files: number;
  createdAt: string;
  /** Where a replaced data directory was moved (with --force). */
  replacedDirMovedTo: string | null;
}

/**
 * `kura restore`: checks the whole archive first, unpacks into a new directory beside the target,
 * proves the master key opens the restored data keys, and only then moves it into place. A failure
 * at any step leaves the target as it was.
 */
export async function restoreBackup(file: string, options: RestoreOptions): Promise<RestoreSummary> {
  const archive = await BackupReader.open(file);
  const { manifest } = archive;
  const target = path.resolve(options.dataDir);
  if ((manifest.database === 'postgresql') !== !!options.databaseUrl) {
    throw new BackupError(
      'backup_mode_mismatch',
      manifest.database === 'postgresql'
        ? 'this is a backup of a PostgreSQL server installation: set DATABASE_URL to an empty database to restore it'
        : 'this is a backup of an embedded installation: unset DATABASE_URL to restore it into a data directory',
    );
  }
  const existing = await listDir(target);
  if (existing.length > 0) {
    if (!options.force) {
      throw new BackupError(
        'data_dir_not_empty',
        `${target} is not empty: restore into a new directory, or add --force to replace it (it is kept, renamed)`,
      );
    }
    if (DataDirLock.holder(target)) {
      throw new BackupError(
        'data_dir_in_use',
        `${target} is in use by a running Kura process: stop it first`,
      );
    }
  }
  const staging = `${target}.restoring-${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    let files = 0;
    for (const entry of manifest.entries) {
      if (!entry.name.startsWith('files/')) continue;
      const relative = entry.name.slice('files/'.length);
      const dest = path.resolve(staging, relative);
      if (!dest.startsWith(staging + path.sep) || path.basename(dest) === MASTER_KEY_FILE) {
        throw new BackupError(
          'backup_format_invalid',
          `entry ${entry.name} points outside the data directory`,
        );
      }
      await mkdir(path.dirname(dest), { recursive: true });
      await writeFile(dest, await archive.read(entry), { mode: 0o600 });
      files += 1;
    }
    const databaseEntry = manifest.entries.find((e) => e.name === 'database');
    if (!databaseEntry) throw new BackupError('backup_format_invalid', 'the backup holds no database');
    const db = await restoreDatabase(manifest.database, await archive.read(databaseEntry), staging, options);
    try {
      await requireMasterKeyOpensDataKeys(db, options.masterKey);
      await migrate(db); // a backup of an older Kura gets this version's schema
    } finally {
      await db.close();
    }
    if (options.writeMasterKeyFile) {
      const keyFile = path.join(staging, MASTER_KEY_FILE);
      await writeFile(keyFile, `${options.masterKey.toString('base64')}\n`, { mode: 0o600 });
      await chmod(keyFile, 0o600);
    }
    let replacedDirMovedTo: string | null = null;
    if (existing.length > 0) {
      replacedDirMovedTo = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(target, replacedDirMovedTo);
    } else {
      await rmdir(target).catch(() => undefined);
    }
    await rename(staging, target);
    return {
      dataDir: target,
      database: manifest.database,
      files,
      createdAt: manifest.createdAt,
      replacedDirMovedTo,
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function restoreDatabase(
  kind: BackupManifest['database'],
  bytes: Buffer,
  staging: string,
  options: RestoreOptions,
): Promise<Database> {
  if (kind === 'pglite') {
    try {
      return await PgliteDatabase.open(path.join(staging, 'pgdata'), { loadDataDir: new Blob([bytes]) });
    } catch (error) {
      throw new BackupError(
        'backup_database_invalid',
        `the embedded database does not open: ${(error as Error).message}`,
      );
    }
  }
  const db = await PostgresDatabase.connect(options.databaseUrl!);
  try {
    const [{ tables }] = (await db.owner((tx) =>
      tx.query<{ tables: number }>(
        "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'",
      ),
    )) as [{ tables: number }];
    if (tables > 0) {
      throw new BackupError(
        'database_not_empty',
        'DATABASE_URL names a database that already has tables: create an empty database to restore into',
      );
    }
    // The dump grants to the application role, which lives in the cluster, not in the dump.
    await db.maintenance(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  } catch (error) {
    await db.close();
    throw error;
  }
  await db.close();
  const dump = path.join(os.tmpdir(), `kura-restore-${randomBytes(6).toString('hex')}.dump`);
  try {
    await writeFile(dump, bytes, { mode: 0o600 });
    await runPgTool('pg_restore', [
      '--no-owner',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${options.databaseUrl}`,
      dump,
    ]);
  } finally {
    await rm(dump, { force: true });
  }
  return PostgresDatabase.connect(options.databaseUrl!);
}

async function requireMasterKeyOpensDataKeys(db: Database, masterKey: Buffer): Promise<void> {
  const provider = new LocalKeyProvider(masterKey);
  const keys = await db.owner((tx) =>
    tx.query<{ scope: string; wrapped_key: string }>(
      "SELECT scope, wrapped_key FROM data_keys WHERE provider = 'local'",
    ),
  );
  for (const key of keys) {
    try {
      await provider.unwrap(key.wrapped_key, key.scope);
    } catch {
      throw new AppError(
        400,
        'master_key_mismatch',
        'the master key given does not open the data keys in this backup: use the master key that was in force when it was taken',
        true,
      );
    }
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
