import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export class TooLargeError extends Error {}

/** Reads a regular file without following a symlink swapped in after discovery, and never past the limit. */
export async function readBounded(file: string, viaSymlink: boolean, maxBytes: number): Promise<Buffer> {
  const flags = constants.O_RDONLY | (viaSymlink ? 0 : constants.O_NOFOLLOW);
  const handle = await open(file, flags);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stats.size > maxBytes)
      throw new TooLargeError(
        `The file is ${stats.size} bytes, over the limit of ${maxBytes} bytes; it was not read.`,
      );
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
