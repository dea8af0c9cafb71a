import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIpadicDictionary } from './ipadic-dictionary.js';
import { IpadicViterbi } from './ipadic-viterbi.js';
import { defaultKuromojiDicPath } from './kuromoji-tokenizer.js';

describe('loadIpadicDictionary', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-dict-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads into shared memory that another thread can read without a copy', async () => {
    const dictionary = await loadIpadicDictionary(defaultKuromojiDicPath());
    expect(dictionary.base.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(dictionary.known.features.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(dictionary.classes.map((c) => c.name)).toContain('KATAKANA');
    const surfaces = new IpadicViterbi(dictionary).tokenize('経費精算規程').map((t) => t.surface);
    expect(surfaces).toEqual(['経費', '精算', '規程']);
  });

  it('names the file when one is missing or corrupt', async () => {
    const missing = path.join(dir, 'missing');
    cpSync(defaultKuromojiDicPath(), missing, { recursive: true });
    rmSync(path.join(missing, 'cc.dat.gz'));
    await expect(loadIpadicDictionary(missing)).rejects.toThrow(
      `the Japanese dictionary file ${path.join(missing, 'cc.dat.gz')} cannot be read`,
    );

    const corrupt = path.join(dir, 'corrupt');
    cpSync(defaultKuromojiDicPath(), corrupt, { recursive: true });
    const tid = path.join(corrupt, 'tid.dat.gz');
    const bytes = readFileSync(tid);
    writeFileSync(tid, bytes.subarray(0, bytes.length >> 1));
    await expect(loadIpadicDictionary(corrupt)).rejects.toThrow(
      `the Japanese dictionary file ${tid} cannot be read`,
    );
  });
});
