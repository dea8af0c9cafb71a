import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

/** Bounded quantifiers everywhere: no input can make this regex backtrack more than a constant per position. */
const EMAIL =
  /(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,6}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

export function detectEmails(text: ScanText): PiiMatch[] {
  const out: PiiMatch[] = [];
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text.folded); m !== null; m = EMAIL.exec(text.folded)) {
    out.push(matchAt(text, 'email', m.index, m.index + m[0].length, 0.99));
  }
  return out;
}
