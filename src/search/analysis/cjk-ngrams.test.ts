import { describe, expect, it } from 'vitest';
import { pushCjkNgrams } from './cjk-ngrams.js';

const grams = (run: string, unigrams = false, skipHiraganaOnly = false): string[] => {
  const out: string[] = [];
  pushCjkNgrams(run, { unigrams, skipHiraganaOnly }, out);
  return out;
};

describe('pushCjkNgrams', () => {
  it('emits overlapping bigrams, or the lone character', () => {
    expect(grams('東京都')).toEqual(['東京', '京都']);
    expect(grams('都')).toEqual(['都']);
  });

  it('is code-point safe', () => {
    expect(grams('𠮷野家')).toEqual(['𠮷野', '野家']);
  });

  it('can add unigrams and skip hiragana-only bigrams', () => {
    expect(grams('本を', true)).toEqual(['本', 'を', '本を']);
    expect(grams('行きます', false, true)).toEqual(['行き']);
  });
});
