import type { MorphTokenizer } from '../../src/search/analysis/morph.js';
import { loadKuromojiTokenizer } from '../../src/search/analysis/kuromoji-tokenizer.js';
import { loadLinderaTokenizer } from './lindera-tokenizer.js';
import { createSegmenterTokenizer } from './segmenter-tokenizer.js';

export type Backend = 'none' | 'kuromoji' | 'lindera' | 'lindera-decompose' | 'segmenter';
export const BACKENDS: readonly Backend[] = ['none', 'kuromoji', 'lindera', 'lindera-decompose', 'segmenter'];

export async function loadBackend(backend: Backend): Promise<MorphTokenizer | null> {
  switch (backend) {
    case 'none':
      return null;
    case 'kuromoji':
      return loadKuromojiTokenizer();
    case 'lindera':
      return loadLinderaTokenizer('normal');
    case 'lindera-decompose':
      return loadLinderaTokenizer('decompose');
    case 'segmenter':
      return createSegmenterTokenizer();
  }
}
