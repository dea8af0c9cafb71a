import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import kuromoji from 'kuromoji';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAnalyzer, DEFAULT_PIPELINE } from './analyzer.js';
import { IpadicViterbi } from './ipadic-viterbi.js';
import { installLinearLattice } from './kuromoji-lattice.js';
import { defaultKuromojiDicPath, kuromojiMorphTokens, loadDefaultDictionary } from './kuromoji-tokenizer.js';
import type { MorphTokenizer } from './morph.js';

type Tokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;
const load = () =>
  new Promise<Tokenizer>((resolve, reject) =>
    kuromoji
      .builder({ dicPath: defaultKuromojiDicPath() })
      .build((error, tokenizer) => (error ? reject(error) : resolve(tokenizer))),
  );

// The project's shared folder sits beside the repository (../shared), as for the benchmarks.
const SHARED = fileURLToPath(new URL('../../../../shared/bench/', import.meta.url));
const paragraphs = (file: string): string[] =>
  (
    JSON.parse(readFileSync(SHARED + file, 'utf8')) as {
      data: { paragraphs: { context: string }[] }[];
    }
  ).data.flatMap((article) => article.paragraphs.map((p) => p.context));

describe('IpadicViterbi', () => {
  let original: Tokenizer;
  let linear: Tokenizer;
  let fast: IpadicViterbi;
  let kuromojiPath: MorphTokenizer;
  beforeAll(async () => {
    let dictionary;
    [original, linear, dictionary] = await Promise.all([load(), load(), loadDefaultDictionary()]);
    installLinearLattice(linear);
    fast = new IpadicViterbi(dictionary);
    kuromojiPath = { tokenize: (text) => kuromojiMorphTokens(linear, text) };
  });

  it('gives kuromoji’s tokens for every JSQuAD test paragraph and 200 JaQuAD dev paragraphs', () => {
    const texts = [...paragraphs('jsquad/test-v1.3.json'), ...paragraphs('jaquad/dev.json').slice(0, 200)];
    expect(texts.length).toBeGreaterThan(1300);
    let tokens = 0;
    for (const text of texts) {
      const expected = kuromojiMorphTokens(linear, text);
      expect(fast.tokenize(text)).toEqual(expected);
      tokens += expected.length;
    }
    expect(tokens).toBeGreaterThan(100_000);
  }, 180_000); // kuromoji's side takes ~10 s of CPU

  it('gives the search analyser’s exact terms for those paragraphs', () => {
    const reference = buildAnalyzer({ ...DEFAULT_PIPELINE, morph: kuromojiPath });
    const analyzer = buildAnalyzer({ ...DEFAULT_PIPELINE, morph: fast });
    for (const text of paragraphs('jsquad/test-v1.3.json').slice(0, 300))
      expect(analyzer.analyze(text)).toEqual(reference.analyze(text));
  });

  // Kanji, kana, half-width kana, Latin, digits, punctuation (。、 split sentences), characters
  // outside the BMP (a surrogate pair counts as one position but two units of length), long runs
  // of one character class (unknown-word grouping), and words of every part of speech.
  const pieces = fc.constantFrom(
    '就業規則',
    'の',
    'は',
    'を',
    '経費',
    '精算',
    '書いた',
    '美しかった',
    'カタカナ',
    'ｶﾀｶﾅ',
    'ラテン・アメリカ・スモーラー・カンパニーズ・ファンド',
    'Kura',
    'kura2026',
    ' ',
    '123',
    '１２３',
    '。',
    '、',
    '！',
    '？',
    '𠮷',
    '𩸽',
    '😀',
    'ー',
    '株式会社',
    '\n',
    'Ω',
    'ⅰ',
    '々',
    '〆',
  );

  const bmpPieces = pieces.filter((piece) => !/[\uD800-\uDFFF]/.test(piece));

  it('gives exactly kuromoji’s own tokens on random mixed text', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(fast.tokenize(text)).toEqual(kuromojiMorphTokens(original, text));
      }),
      { numRuns: 400 },
    );
  });

  it('gives exactly kuromoji’s own tokens on arbitrary well-formed Unicode', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.string({
          unit: fc.integer({ min: 0x3000, max: 0x9fff }).map((c) => String.fromCharCode(c)),
          maxLength: 60,
        }),
        (a, b) => {
          const text = a + b + a;
          expect(fast.tokenize(text)).toEqual(kuromojiMorphTokens(original, text));
        },
      ),
      { numRuns: 400 },
    );
  });

  // kuromoji cannot encode half a surrogate pair for its trie; the search analyser never sends one
  // (normalisation makes it a space), but the PII scanner tokenizes raw text. (Low halves and high
  // halves before a BMP character: none can pair up.)
  it('segments text with lone surrogates: every character is in exactly one token, in order', () => {
    expect(fast.tokenize('経費\uDC00精算').map((t) => t.surface)).toEqual(['経費', '\uDC00', '精算']);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(bmpPieces, fc.constantFrom('\uD800あ', '\uDBFF経', '\uDC00', '\uDFFF')), {
          maxLength: 40,
        }),
        (parts) => {
          const text = parts.join('');
          expect(
            fast
              .tokenize(text)
              .map((t) => t.surface)
              .join(''),
          ).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
