/** NFKC (full-width digits and letters become ASCII), lower case, one space between words. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

const hasLatin = (term: string) => /[a-z0-9]/u.test(term);

/**
 * Where `term` occurs in `text`: Japanese terms anywhere, Latin ones only as whole words
 * (so "region" does not match inside "regional", nor "order" inside "orders" — plurals are added as terms).
 */
export function findTerm(text: string, term: string, from = 0): number {
  let at = text.indexOf(term, from);
  while (at >= 0) {
    if (!hasLatin(term)) return at;
    const before = text[at - 1];
    const after = text[at + term.length];
    const boundary = (c: string | undefined) => c === undefined || !/[a-z0-9]/u.test(c);
    if (boundary(before) && boundary(after)) return at;
    at = text.indexOf(term, at + 1);
  }
  return -1;
}

/** Replaces a matched span with spaces, so later passes do not see it again. */
export const blank = (text: string, start: number, length: number) =>
  text.slice(0, start) + ' '.repeat(length) + text.slice(start + length);
