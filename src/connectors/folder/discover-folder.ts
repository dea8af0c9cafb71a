import type { Dirent, Stats } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../platform/errors/errors.js';
import type { FolderSettings } from './folder-settings.js';
import { compileGlobs } from './glob.js';

/** A regular file found under the root. `relativePath` uses `/` and is the document's external id. */
export interface DiscoveredFile {
  relativePath: string;
  /** Where to read it: the path itself, or the target of a symlink that stays inside the root. */
  readPath: string;
  /** Read through a symlink: the target was checked, so reading may follow it. */
  viaSymlink: boolean;
  size: number;
  mtimeMs: number;
}

/** Something under the root that will not be read, and why: recorded on a document as `skipped` (or `failed`). */
export interface SkippedEntry {
  relativePath: string;
  code: 'outside_root' | 'broken_link' | 'not_a_file' | 'unreadable_name';
  message: string;
  /** Not left out on purpose: a file that should have been read and could not be (the run fails it). */
  failed?: true;
}

export interface Discovery {
  /** The root after resolving symlinks: every file read lies under it. */
  root: string;
  files: DiscoveredFile[];
  skipped: SkippedEntry[];
  /** Directories that could not be listed: their documents must not be taken for deleted. */
  unreadable: { relativePath: string; message: string }[];
}

/** The folder itself is missing or unreadable: nothing can be synced, nothing may be deleted. */
export class FolderUnavailableError extends AppError {
  constructor(message: string) {
    super(422, 'folder_unavailable', message);
  }
}

/**
 * A name that is not UTF-8 (Shift_JIS from an old file server, or a share mounted without
 * iocharset=utf8) reaches Node with U+FFFD in place of its bytes, and that path opens nothing.
 */
const unreadableName = async (name: string, absolute: string) =>
  name.includes('\uFFFD') &&
  (await lstat(absolute).then(
    () => false,
    () => true,
  ));

const isHidden = (name: string) =>
  name.startsWith('.') || name.startsWith('~$') || name === 'Thumbs.db' || name === 'desktop.ini';

export const isInside = (root: string, candidate: string) => {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/**
 * Walks the folder recursively. Symlinks are followed only when their target (resolved with
 * realpath) stays inside the root; others are reported as skipped. Directory symlink loops are
 * walked once. Special files (sockets, FIFOs, devices) are never opened.
 */
export async function discoverFolder(settings: FolderSettings, signal?: AbortSignal): Promise<Discovery> {
  let root: string;
  try {
    root = await realpath(settings.path);
    if (!(await stat(root)).isDirectory())
      throw new FolderUnavailableError(`${settings.path} is not a folder.`);
  } catch (error) {
    if (error instanceof FolderUnavailableError) throw error;
    throw new FolderUnavailableError(
      `The folder ${settings.path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
  const include = settings.include.length > 0 ? compileGlobs(settings.include) : undefined;
  const exclude = compileGlobs(settings.exclude);
  const excludedDir = (relativePath: string) =>
    exclude.matches(relativePath) || exclude.matches(`${relativePath}/`);
  const discovery: Discovery = { root, files: [], skipped: [], unreadable: [] };
  const visited = new Set<string>([root]);

  const walk = async (dir: string, relativeDir: string): Promise<void> => {
    signal?.throwIfAborted();
    const entries: Dirent[] = [];
    try {
      for await (const entry of await opendir(dir)) entries.push(entry);
    } catch (error) {
      discovery.unreadable.push({
        relativePath: relativeDir,
        message: `The folder ${relativeDir || '.'} cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'error'}); its documents are kept as they were.`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (!settings.includeHidden && isHidden(entry.name)) continue;
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      const absolute = path.join(dir, entry.name);
      if (await unreadableName(entry.name, absolute)) {
        // Said, not lost: dropped silently, the file would look as if it had never been there.
        if (!exclude.matches(relativePath)) {
          const folder = entry.isDirectory();
          discovery.skipped.push({
            relativePath,
            code: 'unreadable_name',
            failed: true,
            message: `The ${folder ? 'folder' : 'file'} name is not UTF-8 (Shift_JIS from an old file server, or a share mounted without iocharset=utf8): ${folder ? 'its files were' : 'it was'} not read. Rename it, or mount the share with UTF-8 names.`,
          });
        }
        continue;
      }
      let stats: Stats;
      let readPath = absolute;
      let viaSymlink = false;
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(absolute);
          stats = await stat(target);
        } catch {
          if (!exclude.matches(relativePath)) {
            discovery.skipped.push({
              relativePath,
              code: 'broken_link',
              message: 'The symbolic link points to nothing.',
            });
          }
          continue;
        }
        if (!isInside(root, target)) {
          if (
            !exclude.matches(relativePath) &&
            (stats.isDirectory() || !include || include.matches(relativePath))
          ) {
            discovery.skipped.push({
              relativePath,
              code: 'outside_root',
              message: 'The symbolic link leads outside the folder of this source; it was not followed.',
            });
          }
          continue;
        }
        readPath = target;
        viaSymlink = true;
        if (stats.isDirectory()) {
          if (visited.has(target) || excludedDir(relativePath)) continue;
          visited.add(target);
          await walk(target, relativePath);
          continue;
        }
      } else if (entry.isDirectory()) {
        if (excludedDir(relativePath)) continue;
        const real = await realpath(absolute).catch(() => absolute);
        if (visited.has(real)) continue;
        visited.add(real);
        await walk(absolute, relativePath);
        continue;
      } else {
        try {
          stats = await stat(absolute);
        } catch {
          continue; // vanished between listing and stat: it simply is not there
        }
      }
      if (exclude.matches(relativePath) || (include && !include.matches(relativePath))) continue;
      if (!stats.isFile()) {
        discovery.skipped.push({
          relativePath,
          code: 'not_a_file',
          message: 'Not a regular file (a socket, pipe or device); it was not opened.',
        });
        continue;
      }
      discovery.files.push({
        relativePath,
        readPath,
        viaSymlink,
        size: stats.size,
        mtimeMs: Math.floor(stats.mtimeMs),
      });
    }
  };
  await walk(root, '');
  return discovery;
}
