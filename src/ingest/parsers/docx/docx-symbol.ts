/**
 * w:sym: a character picked from a symbol font by its code in that font. Codes outside the private
 * use area are Unicode already. The Symbol font's letters are Greek; its other codes and the
 * Wingdings/Webdings pictographs are skipped (the caller counts them in a warning).
 */
const SYMBOL_GREEK_UPPER = 'ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ';
const SYMBOL_GREEK_LOWER = 'αβχδεφγηιϕκλμνοπθρστυϖωξψζ';
/** Codes where the Symbol font draws the ASCII character itself. */
const SYMBOL_ASCII = ' !#%&()+,./0123456789:;<=>?[]_{|}';
const SYMBOL_OTHERS: Record<number, string> = {
  0xb7: '•',
  0xae: '→',
  0xac: '←',
  0xad: '↑',
  0xaf: '↓',
  0xb4: '×',
  0xb8: '÷',
  0xb1: '±',
  0xb3: '≥',
  0xa3: '≤',
  0xb9: '≠',
  0xbb: '≈',
  0xa5: '∞',
  0xb0: '°',
  0xd6: '√',
  0xe5: '∑',
  0xd5: '∏',
  0xf2: '∫',
  0xb6: '∂',
  0xd1: '∇',
  0xce: '∈',
  0xc7: '∩',
  0xc8: '∪',
  0xde: '⇒',
  0xdb: '⇔',
};

export function symbolCharacter(font: string | undefined, hex: string | undefined): string | undefined {
  if (hex === undefined || !/^[0-9a-fA-F]{1,5}$/.test(hex)) return undefined;
  const code = parseInt(hex, 16);
  if (code < 0xe000 || (code > 0xf8ff && code <= 0x10ffff)) {
    return code >= 0x20 && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : undefined;
  }
  if (font?.toLowerCase() !== 'symbol') return undefined;
  const low = code & 0xff;
  if (code - low !== 0xf000 && code - low !== 0) return undefined;
  if (low >= 0x41 && low <= 0x5a) return SYMBOL_GREEK_UPPER[low - 0x41];
  if (low >= 0x61 && low <= 0x7a) return SYMBOL_GREEK_LOWER[low - 0x61];
  if (SYMBOL_ASCII.includes(String.fromCharCode(low))) return String.fromCharCode(low);
  return SYMBOL_OTHERS[low];
}
