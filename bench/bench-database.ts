/**
 * The database a bench writes to: embedded PGlite in a temporary data directory; a scratch
 * database on a PostgreSQL server (`dbUrl`); or one on a temporary server of Debian's binaries,
 * started as the test harness starts it (`postgres`). `close` drops and stops what it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/platform/db/database.js';
import startPostgres from '../test/setup/postgres-server.js';
import { postmasterOf } from './bench-process.js';
import { srcModule } from './compiled-modules.js';
import type * as OpenDatabaseModule from '../src/platform/db/open-database.js';
import type * as ScratchDatabaseModule from '../src/platform/db/scratch-database.js';

const { openDatabase } = await srcModule<typeof OpenDatabaseModule>('platform/db/open-database.js');
const { createScratchDatabase } = await srcModule<typeof ScratchDatabaseModule>(
  'platform/db/scratch-database.js',
);

export interface BenchDatabase {
  db: Database;
  engine: 'PGlite (embedded)' | 'PostgreSQL (server)';
  /** The server's postmaster when it runs on this machine (its CPU can be read from /proc). */
  postmaster: number | undefined;
  close(): Promise<void>;
}

export async function openBenchDatabase(options: {
  dbUrl?: string | undefined;
  postgres: boolean;
  say: (line: string) => void;
}): Promise<BenchDatabase> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => options.say(`bench clean-up failed: ${String(error)}`));
  };
  try {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-bench-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let baseUrl = options.dbUrl;
    if (options.postgres) {
      // The harness also provides its data directory; only the URL is the server to use.
      const project = {
        provide: (key: string, value: string) => {
          if (key === 'postgresUrl') baseUrl = value;
        },
      };
      cleanups.push(await startPostgres(project as unknown as Parameters<typeof startPostgres>[0]));
      options.say(`started a temporary PostgreSQL server at ${baseUrl}`);
    }
    const scratch = baseUrl ? await createScratchDatabase(baseUrl) : undefined;
    if (scratch) cleanups.push(scratch.drop);
    const db = await openDatabase({ dataDir, databaseUrl: scratch?.url });
    cleanups.push(() => db.close());
    if (!scratch) return { db, engine: 'PGlite (embedded)', postmaster: undefined, close };
    // A server on this machine: its processes' CPU is read from /proc (a remote one's is not known).
    const postmaster = await postmasterOf(scratch.url).catch(() => undefined);
    return { db, engine: 'PostgreSQL (server)', postmaster, close };
  } catch (error) {
    await close();
    throw error;
  }
}
