import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { BackupSummary } from '../../governance/backup/backup-service.js';
import { restoreBackup } from '../../governance/backup/restore-service.js';
import { decodeMasterKey } from '../../platform/crypto/master-key.js';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';

const MASTER_KEY_NOTE =
  'The master key is NOT in the backup: keep it apart (KURA_MASTER_KEY or <data dir>/master.key); restoring needs the same key.';

/** `kura backup --out FILE` and `kura restore FILE` (docs/SECURITY.md, "Backup and restore"). */
export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('one archive of the database and Kura’s files, taken while the server runs (no master key)')
    .requiredOption('--out <file>', 'the backup file to write (must not exist)')
    .action(async (opts: { out: string }) => {
      const r = (await executeOperation(ctx.config(), ctx.logger(), 'backup.create', {
        out: path.resolve(opts.out),
      })) as BackupSummary;
      ctx.io.out(
        `backup written to ${r.file}: ${r.database === 'pglite' ? 'embedded database' : 'PostgreSQL (pg_dump)'} and ${r.files} files, ${r.bytes} bytes, taken ${r.createdAt}`,
      );
      ctx.io.out(MASTER_KEY_NOTE);
    });

  program
    .command('restore')
    .description('restore a backup into a new data directory (or, with DATABASE_URL, an empty database)')
    .argument('<file>', 'a file written by kura backup')
    .option('--force', 'replace a non-empty data directory (it is kept, renamed)')
    .option(
      '--master-key-file <file>',
      'the master key in force when the backup was taken (else KURA_MASTER_KEY)',
    )
    .action(async (file: string, opts: { force?: boolean; masterKeyFile?: string }) => {
      const config = ctx.config();
      const fromFile = opts.masterKeyFile !== undefined;
      if (!fromFile && config.masterKey === undefined) {
        throw new InvalidRequestError(
          `the backup holds no master key: give the one it was taken with as --master-key-file or KURA_MASTER_KEY`,
          'master_key_required',
        );
      }
      const masterKey = fromFile
        ? decodeMasterKey(readFileSync(opts.masterKeyFile!, 'utf8'), opts.masterKeyFile!)
        : decodeMasterKey(config.masterKey!, 'KURA_MASTER_KEY');
      const r = await restoreBackup(path.resolve(file), {
        dataDir: config.dataDir,
        databaseUrl: config.databaseUrl,
        masterKey,
        writeMasterKeyFile: fromFile,
        force: opts.force === true,
      });
      ctx.io.out(
        `restored the backup of ${r.createdAt} into ${r.dataDir}${r.database === 'postgresql' ? ' and DATABASE_URL' : ''} (${r.files} files)`,
      );
      if (r.replacedDirMovedTo) ctx.io.out(`the directory it replaced is now ${r.replacedDirMovedTo}`);
      ctx.io.out(
        fromFile
          ? `the master key was written to ${path.join(r.dataDir, 'master.key')} (mode 0600)`
          : 'start Kura with the same KURA_MASTER_KEY',
      );
    });
}
