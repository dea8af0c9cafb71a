import type { MorphToken, MorphTokenizer } from '../../src/search/analysis/morph.js';

/** Intl.Segmenter (ICU dictionary-based word break); no POS information. */
export function createSegmenterTokenizer(): MorphTokenizer {
  const seg = new Intl.Segmenter('ja', { granularity: 'word' });
  return {
    tokenize(text: string): MorphToken[] {
      const out: MorphToken[] = [];
      for (const s of seg.segment(text)) {
        if (s.isWordLike)
          out.push({ surface: s.segment, baseForm: s.segment, pos: '', posDetail: '', known: true });
      }
      return out;
    },
  };
}
