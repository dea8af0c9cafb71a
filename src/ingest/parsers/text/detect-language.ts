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
    const end = Math.min(text.length, SAMPLE_CHARS - seen);
    for (let i = 0; i < end; i++) {
      const code = text.charCodeAt(i);
      if (isJapanese(code)) japanese++;
      else if (isLatinLetter(code)) latin++;
    }
    seen += end;
    if (seen >= SAMPLE_CHARS) break;
  }
  const total = japanese + latin / 3;
  if (total === 0) return undefined;
  const share = japanese / total;
  if (share >= 0.8) return 'ja';
  if (share <= 0.05) return 'en';
  return 'mixed';
}

/** Hiragana, katakana, CJK ideographs (with extension A and compatibility), half-width katakana. */
function isJapanese(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff66 && code <= 0xff9f)
  );
}

function isLatinLetter(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)
  );
}
