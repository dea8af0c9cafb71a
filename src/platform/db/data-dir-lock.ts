import {
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
  closeSync,
  accessSync,
  constants,
} from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/errors.js';

export interface LockInfo {
  pid: number;
  /** Where the owning server answers operator commands (see cli/operator-socket). */
  socket?: string;
}

/**
 * PGlite is single-process: a second process opening the same directory would corrupt it. The owner
 * writes `kura.lock` exclusively; a lock whose process is gone is taken over.
 */
export class DataDirLock {
  private constructor(
    readonly file: string,
    private info: LockInfo,
  ) {}

  static acquire(dataDir: string, socket?: string): DataDirLock {
    ensureWritableDir(dataDir);
    const file = path.join(dataDir, 'kura.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        const info: LockInfo = { pid: process.pid, ...(socket ? { socket } : {}) };
        writeSync(fd, JSON.stringify(info));
        closeSync(fd);
        return new DataDirLock(file, info);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = DataDirLock.holder(dataDir);
        if (holder) {
          throw new ConfigError(
            `data directory ${dataDir} is in use by another Kura process (pid ${holder.pid}); stop it or use another --data-dir`,
            'data_dir_locked',
          );
        }
        rmSync(file, { force: true });
      }
    }
    throw new ConfigError(`could not lock data directory ${dataDir}`, 'data_dir_locked');
  }

  /** The live process holding the directory, if any. */
  static holder(dataDir: string): LockInfo | undefined {
    let info: LockInfo;
    try {
      info = JSON.parse(readFileSync(path.join(dataDir, 'kura.lock'), 'utf8')) as LockInfo;
    } catch {
      return undefined;
    }
    if (!Number.isInteger(info.pid) || info.pid === process.pid) return undefined;
    try {
      process.kill(info.pid, 0);
      return info;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? info : undefined;
    }
  }

  release(): void {
    try {
      const current = JSON.parse(readFileSync(this.file, 'utf8')) as LockInfo;
      if (current.pid === this.info.pid) rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}

export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ConfigError(
      `data directory ${dir} is not writable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'data_dir_unwritable',
    );
  }
}
