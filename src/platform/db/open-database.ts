import path from 'node:path';
import type { Database } from './database.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { migrate } from './migrations.js';
import { ensureWritableDir } from './data-dir-lock.js';

export interface OpenDatabaseOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Shared buffers of the embedded database, in MB (KURA_EMBEDDED_BUFFERS_MB). */
  embeddedBuffersMb?: number;
}

/** DATABASE_URL selects server PostgreSQL; otherwise the embedded database in `<dataDir>/pgdata`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    db = await PostgresDatabase.connect(options.databaseUrl);
  } else {
    ensureWritableDir(options.dataDir);
    db = await PgliteDatabase.open(path.join(options.dataDir, 'pgdata'), {
      sharedBuffersMb: options.embeddedBuffersMb,
    });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}
