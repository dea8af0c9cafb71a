const KATAKANA_WORD = /^[\p{sc=Katakana}ー]+$/u;

/**
 * Drops one trailing long-vowel mark from katakana words of 4+ characters
 * (コンピューター → コンピュータ), like Lucene's JapaneseKatakanaStemFilter, so
 * that both spellings meet.
 */
export function stemKatakana(token: string): string {
  if (token.length >= 4 && token.endsWith('ー') && KATAKANA_WORD.test(token)) return token.slice(0, -1);
  return token;
}
