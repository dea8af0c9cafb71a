import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import kuromoji from 'kuromoji';
import { IpadicViterbi } from './ipadic-viterbi.js';
import { installLinearLattice } from './kuromoji-lattice.js';
import type { MorphToken, MorphTokenizer } from './morph.js';
import { LONE_SURROGATE } from '../../platform/text/well-formed.js';

/** The IPADIC dictionary that ships inside the `kuromoji` npm package. */
export function defaultKuromojiDicPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/** kuromoji's own tokens as MorphTokens (the reference IpadicViterbi is tested against). */
export function kuromojiMorphTokens(
  tokenizer: kuromoji.Tokenizer<kuromoji.IpadicFeatures>,
  text: string,
): MorphToken[] {
  return tokenizer.tokenize(text).map((t) => ({
    surface: t.surface_form,
    baseForm: t.basic_form,
    pos: t.pos,
    posDetail: t.pos_detail_1,
    posDetail2: t.pos_detail_2,
    posDetail3: t.pos_detail_3,
    known: t.word_type === 'KNOWN',
  }));
}

/**
 * Loads the kuromoji dictionary once (≈0.7–1.2 s; ≈70 MB heap, ≈250–300 MB RSS). Segmentation runs
 * on IpadicViterbi (the same tokens, several times faster); text with a lone surrogate, which
 * kuromoji's own trie search cannot encode, keeps kuromoji's path and its behaviour.
 */
export function loadKuromojiTokenizer(dicPath: string = defaultKuromojiDicPath()): Promise<MorphTokenizer> {
  return new Promise((resolve, reject) => {
    kuromoji.builder({ dicPath }).build((err, tokenizer) => {
      if (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      installLinearLattice(tokenizer);
      const fast = new IpadicViterbi(tokenizer);
      resolve({
        tokenize(text: string): MorphToken[] {
          return LONE_SURROGATE.test(text) ? kuromojiMorphTokens(tokenizer, text) : fast.tokenize(text);
        },
      });
    });
  });
}
