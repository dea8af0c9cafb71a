import type { DocumentLanguage } from '../parsed-document.js';

/** A document's language is clear from its first pages; counting all of a 100 MB file buys nothing. */
const SAMPLE_CHARS = 20_000;

/**
 * Script counting, not a language model: Kura only needs to tell Japanese from English (and say
 * "mixed" when both carry weight) to pick the analyser. Kana and kanji against Latin letters; a
 * Latin word has several letters per idea where Japanese has one or two characters, so Latin counts
 * are scaled down before comparing.
 */
export function detectLanguage(texts: Iterable<string>): DocumentLanguage | undefined {
  let japanese = 0;
  let latin = 0;
  let seen = 0;
  for (const text of texts) {
    const sample = text.slice(0, SAMPLE_CHARS - seen);
    seen += sample.length;
    japanese += sample.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/g)?.length ?? 0;
    latin += sample.match(/[A-Za-z\u00c0-\u024f]/g)?.length ?? 0;
    if (seen >= SAMPLE_CHARS) break;
  }
  const latinWeight = latin / 3;
  const total = japanese + latinWeight;
  if (total === 0) return undefined;
  const share = japanese / total;
  if (share >= 0.8) return 'ja';
  if (share <= 0.05) return 'en';
  return 'mixed';
}
