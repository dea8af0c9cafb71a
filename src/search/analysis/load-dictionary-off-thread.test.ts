import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIpadicDictionary } from './ipadic-dictionary.js';
import { IpadicViterbi } from './ipadic-viterbi.js';
import { defaultKuromojiDicPath } from './kuromoji-tokenizer.js';
import { loadIpadicDictionaryOffThread } from './load-dictionary-off-thread.js';

describe('loadIpadicDictionaryOffThread', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-dict-thread-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands over the same dictionary, in shared memory, from a thread of its own', async () => {
    const [offThread, here] = await Promise.all([
      loadIpadicDictionaryOffThread(defaultKuromojiDicPath()),
      loadIpadicDictionary(defaultKuromojiDicPath()),
    ]);
    expect(offThread.base.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(offThread.known.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(offThread.known.ids.length).toBe(here.known.ids.length);
    expect(Buffer.from(offThread.costs.buffer).equals(Buffer.from(here.costs.buffer))).toBe(true);
    expect(offThread.classes).toEqual(here.classes);
    const sentence = 'ソラペイの経費精算規程は2025年4月に改定された。';
    expect(new IpadicViterbi(offThread).tokenize(sentence)).toEqual(
      new IpadicViterbi(here).tokenize(sentence),
    );
  }, 60_000);

  it('rejects with the reason the thread gave, naming the file', async () => {
    const missing = path.join(dir, 'no-dictionary');
    // Every file is missing: whichever the thread reported first is named.
    await expect(loadIpadicDictionaryOffThread(missing)).rejects.toThrow(
      new RegExp(`^the Japanese dictionary file ${missing}/\\w+\\.dat\\.gz cannot be read`),
    );
  }, 60_000);
});
