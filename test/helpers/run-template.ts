import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { withDirectoryLock } from './directory-lock.js';

/**
 * A file or directory that `build` makes once per test run and every test file then reuses, e.g.
 * a migrated database to start from instead of running initdb (seconds) in each file. The first
 * file to ask builds it; the others wait for it. Returns its path: copy it, never change it.
 */
export async function runTemplate(name: string, build: (target: string) => Promise<void>): Promise<string> {
  const target = path.join(inject('templateDir'), name);
  if (existsSync(target)) return target;
  return withDirectoryLock(`${target}.lock`, async () => {
    if (existsSync(target)) return target;
    const partial = `${target}.partial`;
    rmSync(partial, { recursive: true, force: true });
    await build(partial);
    renameSync(partial, target);
    return target;
  });
}
