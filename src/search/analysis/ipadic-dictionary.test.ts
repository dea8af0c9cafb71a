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
    for (const list of ['ids', 'lefts', 'rights', 'costs'] as const)
      expect(dictionary.known[list].buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(dictionary.classes.map((c) => c.name)).toContain('KATAKANA');
    const surfaces = new IpadicViterbi(dictionary).tokenize('経費精算規程').map((t) => t.surface);
    expect(surfaces).toEqual(['経費', '精算', '規程']);
  });

  it('keeps, of the words of one key with the same left and right ids, only the cheapest', async () => {
    const { known } = await loadIpadicDictionary(defaultKuromojiDicPath());
    let lists = 0;
    let repeated = 0;
    for (let key = 0; key + 1 < known.offsets.length; key++) {
      const seen = new Set<number>();
      for (let w = known.offsets[key]!; w < known.offsets[key + 1]!; w++)
        seen.add(known.lefts[w]! * 65_536 + known.rights[w]!);
      repeated += known.offsets[key + 1]! - known.offsets[key]! - seen.size;
      lists++;
    }
    expect(repeated).toBe(0);
    // IPADIC's 392,126 words under 325,871 keys, less those another word of their key outranks.
    expect(lists).toBeGreaterThan(300_000);
    expect(known.ids.length).toBeGreaterThan(370_000);
    expect(known.ids.length).toBeLessThan(392_126);
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
