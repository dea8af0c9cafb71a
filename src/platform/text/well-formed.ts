/** Half of a UTF-16 surrogate pair: not a character, and not storable in a jsonb string. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The text with every lone surrogate replaced by U+FFFD, as UTF-8 encoding replaces it: what the
 * database would have stored had the text been sent as a parameter instead of inside JSON.
 */
export function wellFormed(text: string): string {
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\uFFFD') : text;
}
