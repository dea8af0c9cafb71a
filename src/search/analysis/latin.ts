import { stemmer } from 'stemmer';
import { ENGLISH_STOPWORDS } from './english-stopwords.js';
import { clampToken } from './token-limit.js';

const ASCII_WORD = /^[a-z]+$/;

/**
 * Term for one non-Japanese word (already normalised: lower-case, no
 * punctuation). Plain ASCII words are stop-listed and Porter-stemmed; anything
 * else (digits, accented or non-Latin words) is kept as is.
 * Returns null for stop words.
 */
export function latinTerm(word: string): string | null {
  if (ASCII_WORD.test(word)) {
    if (ENGLISH_STOPWORDS.has(word)) return null;
    return clampToken(stemmer(word));
  }
  return clampToken(word);
}
