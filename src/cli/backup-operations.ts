import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BackupService } from '../governance/backup/backup-service.js';
import type { Runtime } from './runtime.js';

const kuraVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** `kura backup` (merged into operations.ts): runs in the server when one holds the data directory. */
export const backupOperations = {
  'backup.create': {
    args: z.object({ out: z.string().min(1) }),
    run: (rt: Runtime, a: { out: string }) =>
      new BackupService(rt.db, {
        dataDir: rt.config.dataDir,
        databaseUrl: rt.config.databaseUrl,
        kuraVersion,
      }).create(a.out),
  },
};
