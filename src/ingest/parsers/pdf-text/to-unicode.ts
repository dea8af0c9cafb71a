import { Keyword, PdfLexer } from './lexer.js';
import { PdfString, type PdfObject } from './objects.js';
import { unsupported } from './unsupported.js';

/** More mappings than any real font needs; the cap bounds a hostile CMap's work. */
const MAX_MAPPINGS = 1 << 20;

/**
 * A ToUnicode CMap (bfchar and bfrange sections) read into code → text, with pdf.js's semantics:
 * destinations are UTF-16BE byte strings, a range's destination is incremented in its last byte,
 * and an odd-length destination is read as if a zero byte led it.
 */
export function readToUnicode(data: Uint8Array): Map<number, string> {
  const raw = new Map<number, string>();
  const lexer = new PdfLexer(data);
  for (;;) {
    const token = lexer.next(false);
    if (token === undefined) break;
    if (!(token instanceof Keyword)) continue;
    if (token.word === 'beginbfchar') readBfChar(lexer, raw);
    else if (token.word === 'beginbfrange') readBfRange(lexer, raw);
    else if (token.word === 'usecmap' || token.word === 'begincidchar' || token.word === 'begincidrange') {
      unsupported(`a ToUnicode CMap with ${token.word}`);
    }
    if (raw.size > MAX_MAPPINGS) unsupported('a ToUnicode CMap too large');
  }
  const map = new Map<number, string>();
  for (const [code, bytes] of raw) map.set(code, utf16ToString(bytes));
  return map;
}

function readBfChar(lexer: PdfLexer, map: Map<number, string>): void {
  for (;;) {
    const src = lexer.next(false);
    if (src instanceof Keyword && src.word === 'endbfchar') return;
    const dst = lexer.next(false);
    map.set(codeOf(src), byteString(dst));
  }
}

function readBfRange(lexer: PdfLexer, map: Map<number, string>): void {
  for (;;) {
    const first = lexer.next(false);
    if (first instanceof Keyword && first.word === 'endbfrange') return;
    let low = codeOf(first);
    const high = codeOf(lexer.next(false));
    if (high < low || high - low > 0xffff || map.size + (high - low) > MAX_MAPPINGS) {
      unsupported('a bfrange the fast path does not take');
    }
    const dst = lexer.next(false);
    if (Array.isArray(dst)) {
      for (let i = 0; low <= high && i < dst.length; i++, low++) map.set(low, byteString(dst[i]));
      continue;
    }
    let value = byteString(dst);
    if (value.length === 0) unsupported('an empty bfrange destination');
    const last = value.length - 1;
    while (low <= high) {
      map.set(low++, value);
      const next = value.charCodeAt(last) + 1;
      if (next > 0xff) {
        // pdf.js carries into the byte before; past the first byte its result is not meaningful.
        if (last < 1) unsupported('a bfrange that overflows its destination');
        value = value.slice(0, last - 1) + String.fromCharCode(value.charCodeAt(last - 1) + 1) + '\x00';
        continue;
      }
      value = value.slice(0, last) + String.fromCharCode(next);
    }
  }
}

function codeOf(token: PdfObject | Keyword | symbol | undefined): number {
  if (!(token instanceof PdfString) || token.bytes.length === 0 || token.bytes.length > 4) {
    return unsupported('a bad source code in a ToUnicode CMap');
  }
  let code = 0;
  for (let i = 0; i < token.bytes.length; i++) code = code * 256 + token.bytes.charCodeAt(i);
  return code;
}

function byteString(token: PdfObject | Keyword | symbol | undefined): string {
  return token instanceof PdfString ? token.bytes : unsupported('a bad destination in a ToUnicode CMap');
}

function utf16ToString(token: string): string {
  const bytes = token.length % 2 !== 0 ? `\x00${token}` : token;
  const points: number[] = [];
  for (let k = 0; k < bytes.length; k += 2) {
    const w1 = (bytes.charCodeAt(k) << 8) | bytes.charCodeAt(k + 1);
    if ((w1 & 0xf800) !== 0xd800) {
      points.push(w1);
      continue;
    }
    k += 2;
    if (k + 1 >= bytes.length) unsupported('a lone surrogate in a ToUnicode CMap');
    const w2 = (bytes.charCodeAt(k) << 8) | bytes.charCodeAt(k + 1);
    points.push(((w1 & 0x3ff) << 10) + (w2 & 0x3ff) + 0x10000);
  }
  return String.fromCodePoint(...points);
}
