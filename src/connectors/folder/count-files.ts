import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether the paths hold at least `enough` files, counting files named and files under folders
 * (without following symlinks) and stopping as soon as there are enough: a quick look before the
 * real walk (discover-folder.ts), which applies the source's globs and rules. Paths that cannot
 * be read count for nothing; the ingest reports them.
 */
export async function hasFilesAtLeast(paths: readonly string[], enough: number): Promise<boolean> {
  let found = 0;
  const pending: string[] = [];
  for (const item of paths) {
    const info = await stat(item).catch(() => undefined);
    if (info?.isDirectory()) pending.push(item);
    else if (info?.isFile()) found++;
  }
  while (found < enough && pending.length > 0) {
    const folder = pending.pop()!;
    const entries = await opendir(folder).catch(() => undefined);
    if (entries === undefined) continue;
    for await (const entry of entries) {
      if (entry.isFile()) found++;
      else if (entry.isDirectory()) pending.push(path.join(folder, entry.name));
      if (found >= enough) break;
    }
  }
  return found >= enough;
}
