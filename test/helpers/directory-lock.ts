import { mkdirSync, rmdirSync } from 'node:fs';

/**
 * Runs `fn` while holding `lock` (a directory: creating one is atomic), so that test files running
 * in parallel build a shared thing once. Waits up to `waitMs` for another holder.
 */
export async function withDirectoryLock<T>(lock: string, fn: () => Promise<T>, waitMs = 300_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline)
        throw new Error(`the lock ${lock} was held for more than ${waitMs / 1000} s`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmdirSync(lock);
  }
}
