import fc from 'fast-check';
import kuromoji from 'kuromoji';
import { beforeAll, describe, expect, it } from 'vitest';
import { installLinearLattice } from './kuromoji-lattice.js';
import { defaultKuromojiDicPath } from './kuromoji-tokenizer.js';

type Tokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;
const load = () =>
  new Promise<Tokenizer>((resolve, reject) =>
    kuromoji
      .builder({ dicPath: defaultKuromojiDicPath() })
      .build((error, tokenizer) => (error ? reject(error) : resolve(tokenizer))),
  );

describe('linear lattice', () => {
  let original: Tokenizer;
  let linear: Tokenizer;
  beforeAll(async () => {
    [original, linear] = await Promise.all([load(), load()]);
    installLinearLattice(linear);
  });

  // Kanji, kana, half-width kana, Latin, digits, punctuation and characters outside the BMP.
  const pieces = fc.constantFrom(
    '就業規則',
    'の',
    'は',
    '経費',
    '精算',
    'カタカナ',
    'ｶﾀｶﾅ',
    'ラテン・アメリカ・スモーラー・カンパニーズ・ファンド',
    'Kura',
    ' ',
    '123',
    '１２３',
    '。',
    '、',
    '！',
    '𠮷',
    '𩸽',
    '😀',
    'ー',
    '株式会社',
    '\n',
  );

  it('gives exactly the tokens of kuromoji’s own builder', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(linear.tokenize(text)).toEqual(original.tokenize(text));
      }),
      { numRuns: 300 },
    );
  });
});
