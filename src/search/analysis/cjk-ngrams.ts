import { isHiraganaOnly } from './scripts.js';

export interface NgramOptions {
  /** Also emit every single character (unigram+bigram indexing). */
  readonly unigrams: boolean;
  /** Skip bigrams made only of hiragana (mostly particles/inflections). */
  readonly skipHiraganaOnly: boolean;
}

/**
 * Character n-grams of one Japanese-script run. A run of one character yields
 * that character; longer runs yield overlapping bigrams (code-point safe).
 */
export function pushCjkNgrams(run: string, options: NgramOptions, out: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    out.push(chars[0] as string);
    return;
  }
  if (options.unigrams) for (const c of chars) out.push(c);
  for (let i = 0; i + 1 < chars.length; i++) {
    const gram = (chars[i] as string) + (chars[i + 1] as string);
    if (options.skipHiraganaOnly && isHiraganaOnly(gram)) continue;
    out.push(gram);
  }
}
