/**
 * Text normalisation shared by documents and queries.
 *
 * NFKC folds full-width ASCII (ＡＢＣ→ABC), half-width katakana (ｶﾀｶﾅ→カタカナ),
 * compatibility characters (①→1, ㈱→(株)); lower-casing does case folding.
 * Every character that is not a letter, mark or number (punctuation, symbols,
 * separators, controls, lone surrogates) becomes a single space, so no token
 * can ever contain punctuation or whitespace.
 */
const NON_WORD = /[^\p{L}\p{M}\p{N}]+/gu;

export function normalizeText(text: string): string {
  // NFKC again after lower-casing: lower-casing can produce decomposed sequences.
  const folded = text.normalize('NFKC').toLowerCase().normalize('NFKC');
  return folded.replace(NON_WORD, ' ').trim();
}
