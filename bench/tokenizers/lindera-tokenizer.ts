import { createRequire } from 'node:module';
import type { MorphToken, MorphTokenizer } from '../../src/search/analysis/morph.js';

interface LinderaToken {
  surface: string;
  baseForm?: string;
  partOfSpeech?: string;
  partOfSpeechSubcategory1?: string;
}
interface LinderaModule {
  TokenizerBuilder: new () => {
    setDictionary(uri: string): void;
    setMode(mode: string): void;
    build(): { tokenize(text: string): LinderaToken[] };
  };
}

/** lindera-wasm-nodejs-ipadic is CommonJS (wasm-bindgen nodejs target). */
export function loadLinderaTokenizer(mode: 'normal' | 'decompose' = 'normal'): MorphTokenizer {
  const require = createRequire(import.meta.url);
  const lindera = require('lindera-wasm-nodejs-ipadic') as LinderaModule;
  const builder = new lindera.TokenizerBuilder();
  builder.setDictionary('embedded://ipadic');
  builder.setMode(mode);
  const tokenizer = builder.build();
  return {
    tokenize(text: string): MorphToken[] {
      return tokenizer.tokenize(text).map((t) => ({
        surface: t.surface,
        baseForm: t.baseForm ?? t.surface,
        pos: t.partOfSpeech ?? '',
        posDetail: t.partOfSpeechSubcategory1 ?? '',
        known: true,
      }));
    },
  };
}
