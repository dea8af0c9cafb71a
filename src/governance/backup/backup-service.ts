import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../platform/db/database.js';
import { PgliteDatabase } from '../../platform/db/pglite-database.js';
import { AppError, InvalidRequestError } from '../../platform/errors/errors.js';
import { BackupWriter, type BackupManifest } from './backup-archive.js';
import { dataDirFiles } from './data-dir-files.js';
import { runPgTool } from './pg-tools.js';

export interface BackupOptions {
  dataDir: string;
  /** Server mode: the database pg_dump reads. */
  databaseUrl: string | undefined;
  kuraVersion: string;
}

export interface BackupSummary {
  file: string;
  database: BackupManifest['database'];
  files: number;
  bytes: number;
  createdAt: string;
  masterKeyIncluded: false;
}

/**
 * `kura backup`: the database and Kura's own files of the data directory in one archive, taken while
 * the server keeps serving. Embedded: a CHECKPOINT and PGlite's data directory dumped while the
 * database's transaction lock is held, so no write lands half-way (a crash-consistent image PGlite's
 * recovery opens like after a power cut). Server: pg_dump's snapshot. The master key stays out.
 */
export class BackupService {
  constructor(
    private readonly db: Database,
    private readonly options: BackupOptions,
  ) {}

  async create(out: string): Promise<BackupSummary> {
    if (!path.isAbsolute(out))
      throw new InvalidRequestError('the backup path must be absolute', 'backup_path_invalid');
    let writer: BackupWriter;
    try {
      writer = await BackupWriter.create(out);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InvalidRequestError(
        code === 'EEXIST' ? `${out} already exists: choose a new file name` : `cannot write ${out}: ${code}`,
        code === 'EEXIST' ? 'backup_exists' : 'backup_path_invalid',
      );
    }
    try {
      const database = await this.addDatabase(writer);
      // Files after the database: a file the database names was written before its row committed.
      const files = await dataDirFiles(this.options.dataDir, [out]);
      for (const file of files) await writer.addFile(`files/${file.relative}`, file.absolute);
      const createdAt = new Date().toISOString();
      const manifest = await writer.finish({ createdAt, kuraVersion: this.options.kuraVersion, database });
      return {
        file: out,
        database,
        files: files.length,
        bytes: manifest.entries.reduce((sum, e) => sum + e.size, 0),
        createdAt,
        masterKeyIncluded: false,
      };
    } catch (error) {
      await writer.abort();
      await rm(out, { force: true });
      throw error;
    }
  }

  private async addDatabase(writer: BackupWriter): Promise<BackupManifest['database']> {
    if (this.db instanceof PgliteDatabase) {
      const pg = this.db.handle;
      let tarball: Blob | undefined;
      await this.db.owner(async (tx) => {
        await tx.exec('CHECKPOINT');
        tarball = await pg.dumpDataDir('none');
      });
      await writer.addBuffer('database', Buffer.from(await tarball!.arrayBuffer()));
      return 'pglite';
    }
    if (!this.options.databaseUrl) throw new AppError(500, 'backup_failed', 'no database to back up');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kura-pgdump-'));
    try {
      const dump = path.join(dir, 'database.dump');
      await runPgTool('pg_dump', [
        '--format=custom',
        '--no-owner',
        `--file=${dump}`,
        `--dbname=${this.options.databaseUrl}`,
      ]);
      await writer.addFile('database', dump);
      return 'postgresql';
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
