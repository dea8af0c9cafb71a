import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasFilesAtLeast } from './count-files.js';

function folderWith(files: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kura-count-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'x');
  }
  return root;
}

describe('hasFilesAtLeast', () => {
  it('counts files named and files in folders and subfolders', async () => {
    const root = folderWith(['a.txt', '規程/b.md', '規程/2025/c.pdf']);
    expect(await hasFilesAtLeast([root], 3)).toBe(true);
    expect(await hasFilesAtLeast([root], 4)).toBe(false);
    expect(await hasFilesAtLeast([path.join(root, 'a.txt'), path.join(root, '規程')], 3)).toBe(true);
    expect(await hasFilesAtLeast([path.join(root, 'a.txt')], 2)).toBe(false);
  });

  it('counts nothing for missing paths, empty folders and symlinks', async () => {
    const root = folderWith(['one.txt']);
    mkdirSync(path.join(root, 'empty'));
    const elsewhere = folderWith(['x.txt', 'y.txt', 'z.txt']);
    symlinkSync(elsewhere, path.join(root, 'link'));
    expect(await hasFilesAtLeast([root, '/no/such/path'], 2)).toBe(false);
    expect(await hasFilesAtLeast([root], 1)).toBe(true);
  });
});
