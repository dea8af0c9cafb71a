import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type kuromoji from 'kuromoji';
import { loadIpadicDictionary, type IpadicDictionary } from './ipadic-dictionary.js';
import { IpadicViterbi } from './ipadic-viterbi.js';
import { loadIpadicDictionaryOffThread } from './load-dictionary-off-thread.js';
import type { MorphToken, MorphTokenizer } from './morph.js';

/** The IPADIC dictionary that ships inside the `kuromoji` npm package. */
export function defaultKuromojiDicPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/**
 * Loads the dictionary shipped with kuromoji (≈0.5 s, ≈100 MB shared by every thread it is sent
 * to). Compiled (as `kura` runs), on a thread of its own, leaving this one free meanwhile; from the
 * TypeScript sources (tests), here, since a thread would first spend ≈0.5 s loading tsx.
 */
export function loadDefaultDictionary(): Promise<IpadicDictionary> {
  const path = defaultKuromojiDicPath();
  return import.meta.url.endsWith('.ts') ? loadIpadicDictionary(path) : loadIpadicDictionaryOffThread(path);
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

/** The Japanese morphological tokenizer: kuromoji's tokens, segmented by IpadicViterbi. */
export async function loadKuromojiTokenizer(
  dictionary?: IpadicDictionary | Promise<IpadicDictionary>,
): Promise<MorphTokenizer> {
  return new IpadicViterbi(await (dictionary ?? loadDefaultDictionary()));
}
