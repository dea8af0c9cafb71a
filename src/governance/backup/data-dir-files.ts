import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MASTER_KEY_FILE } from '../../platform/crypto/master-key.js';

/**
 * What of the data directory a backup leaves out: the embedded database (dumped separately, never
 * copied file by file from under a running server), the master key (a backup with its key is a
 * backup in plaintext), and the running process's lock and socket.
 */
const EXCLUDED = new Set(['pgdata', MASTER_KEY_FILE, 'kura.lock', 'kura.sock']);

export interface DataDirFile {
  relative: string;
  absolute: string;
}

/** Kura's own files under the data directory (e.g. stored originals, the audit key), sorted. */
export async function dataDirFiles(dataDir: string, skip: string[] = []): Promise<DataDirFile[]> {
  const skipped = new Set(skip.map((p) => path.resolve(p)));
  const found: DataDirFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const absolute = path.join(dir, entry.name);
      if ((!prefix && EXCLUDED.has(entry.name)) || skipped.has(absolute)) continue;
      if (entry.isDirectory()) await walk(absolute, relative);
      else if (entry.isFile()) found.push({ relative, absolute });
    }
  };
  await walk(dataDir, '');
  return found.sort((a, b) => a.relative.localeCompare(b.relative));
}
