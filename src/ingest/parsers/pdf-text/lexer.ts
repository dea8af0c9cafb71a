import { PdfName, PdfRef, PdfString, type PdfDict, type PdfObject } from './objects.js';
import { unsupported } from './unsupported.js';

/** An operator in a content stream, or a keyword (obj, stream, R…) in the file body. */
export class Keyword {
  constructor(readonly word: string) {}
}

const ARRAY_END = Symbol('array end');
const DICT_END = Symbol('dict end');
type Token = PdfObject | Keyword | typeof ARRAY_END | typeof DICT_END;

/** Arrays and dictionaries nested deeper than this are refused (a hostile file could recurse forever). */
const MAX_DEPTH = 64;

// Character classes per PDF 32000-1 §7.2.2: 1 whitespace, 2 delimiter, 0 regular.
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = 1;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = 2;

export const isWhitespace = (c: number) => CLASS[c] === 1;
export const isRegular = (c: number) => CLASS[c] === 0;

/**
 * Tokeniser and object parser over a byte array, for the file body and for content streams alike.
 * Numbers are computed the way pdf.js's lexer computes them (digits accumulated, then one
 * division), so that positions compare exactly as they do there.
 */
export class PdfLexer {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  skipWhitespace(): void {
    const { bytes, end } = this;
    while (this.pos < end) {
      const c = bytes[this.pos] as number;
      if (c === 0x25) {
        while (this.pos < end && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) this.pos++;
      } else if (CLASS[c] === 1) {
        this.pos++;
      } else {
        return;
      }
    }
  }

  /** The next object or operator; undefined at the end. `refs` turns "n g R" into a reference. */
  next(refs: boolean, depth = 0): Token | undefined {
    this.skipWhitespace();
    if (this.pos >= this.end) return undefined;
    const { bytes } = this;
    const c = bytes[this.pos] as number;
    switch (c) {
      case 0x2f: // /
        return this.readName();
      case 0x28: // (
        return this.readLiteral();
      case 0x3c: // <
        if (bytes[this.pos + 1] === 0x3c) {
          this.pos += 2;
          return this.readDict(refs, depth);
        }
        return this.readHex();
      case 0x3e: // >
        if (bytes[this.pos + 1] !== 0x3e) unsupported('stray ">"');
        this.pos += 2;
        return DICT_END;
      case 0x5b: // [
        this.pos++;
        return this.readArray(refs, depth);
      case 0x5d: // ]
        this.pos++;
        return ARRAY_END;
      case 0x29:
      case 0x7b:
      case 0x7d:
        return unsupported('stray delimiter');
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const value = this.readNumber();
      return refs && Number.isSafeInteger(value) && value >= 0 ? this.maybeRef(value) : value;
    }
    const start = this.pos;
    while (this.pos < this.end && CLASS[bytes[this.pos] as number] === 0) this.pos++;
    const word = latin1(bytes, start, this.pos);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return new Keyword(word);
  }

  /** The next value, which must be an object (not an operator nor a closing bracket). */
  value(refs: boolean, depth = 0): PdfObject {
    const token = this.next(refs, depth);
    if (token === undefined || token === ARRAY_END || token === DICT_END || token instanceof Keyword) {
      return unsupported('an object was expected');
    }
    return token;
  }

  private readArray(refs: boolean, depth: number): PdfObject[] {
    if (depth >= MAX_DEPTH) unsupported('arrays nested too deep');
    const items: PdfObject[] = [];
    for (;;) {
      const token = this.next(refs, depth + 1);
      if (token === ARRAY_END) return items;
      if (token === undefined || token === DICT_END || token instanceof Keyword) {
        return unsupported('broken array');
      }
      items.push(token);
    }
  }

  private readDict(refs: boolean, depth: number): PdfDict {
    if (depth >= MAX_DEPTH) unsupported('dictionaries nested too deep');
    const dict: PdfDict = new Map();
    for (;;) {
      const key = this.next(refs, depth + 1);
      if (key === DICT_END) return dict;
      if (!(key instanceof PdfName)) return unsupported('broken dictionary');
      const value = this.next(refs, depth + 1);
      if (value === undefined || value === ARRAY_END || value === DICT_END || value instanceof Keyword) {
        return unsupported('broken dictionary');
      }
      // A repeated key: the last one wins, as in pdf.js.
      dict.set(key.name, value);
    }
  }

  private maybeRef(num: number): PdfObject {
    const { bytes } = this;
    const saved = this.pos;
    this.skipWhitespace();
    const genStart = this.pos;
    while (
      this.pos < this.end &&
      (bytes[this.pos] as number) >= 0x30 &&
      (bytes[this.pos] as number) <= 0x39
    ) {
      this.pos++;
    }
    if (this.pos > genStart && this.pos - genStart < 6 && CLASS[bytes[this.pos] as number] !== 0) {
      const gen = Number(latin1(bytes, genStart, this.pos));
      this.skipWhitespace();
      if (
        bytes[this.pos] === 0x52 &&
        (this.pos + 1 >= this.end || CLASS[bytes[this.pos + 1] as number] !== 0)
      ) {
        this.pos++;
        return new PdfRef(num, gen);
      }
    }
    this.pos = saved;
    return num;
  }

  /** pdf.js's Lexer.getNumber for the plain forms ([+-]digits[.digits]), with its arithmetic (so long
   * fractions round as there); anything odder (exponents, repeated signs) is refused. */
  private readNumber(): number {
    const { bytes } = this;
    let sign = 1;
    let c = bytes[this.pos] as number;
    if (c === 0x2d || c === 0x2b) {
      if (c === 0x2d) sign = -1;
      c = bytes[++this.pos] as number;
    }
    let value = 0;
    let divideBy = 0;
    let digits = 0;
    for (; this.pos < this.end; c = bytes[++this.pos] as number) {
      if (c >= 0x30 && c <= 0x39) {
        if (divideBy !== 0) divideBy *= 10;
        value = value * 10 + (c - 0x30);
        digits++;
      } else if (c === 0x2e && divideBy === 0) {
        divideBy = 1;
      } else {
        break;
      }
    }
    if (digits === 0 || digits > 64 || (this.pos < this.end && CLASS[c] === 0)) {
      return unsupported('a number the fast path does not read like pdf.js');
    }
    if (divideBy !== 0) value /= divideBy;
    return sign * value;
  }

  private readName(): PdfName {
    const { bytes } = this;
    let name = '';
    let start = ++this.pos;
    while (this.pos < this.end && CLASS[bytes[this.pos] as number] === 0) {
      if (bytes[this.pos] === 0x23) {
        const hex = latin1(bytes, this.pos + 1, this.pos + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) unsupported('bad # escape in a name');
        name += latin1(bytes, start, this.pos) + String.fromCharCode(parseInt(hex, 16));
        this.pos += 3;
        start = this.pos;
      } else {
        this.pos++;
      }
    }
    if (this.pos - start > 127 * 4) unsupported('name too long');
    return PdfName.of(name + latin1(bytes, start, this.pos));
  }

  private readHex(): PdfString {
    const { bytes } = this;
    this.pos++;
    let text = '';
    let high = -1;
    for (;;) {
      if (this.pos >= this.end) return unsupported('unterminated hex string');
      const c = bytes[this.pos++] as number;
      if (c === 0x3e) break;
      if (CLASS[c] === 1) continue;
      const digit = hexDigit(c);
      if (digit < 0) return unsupported('bad hex string');
      if (high < 0) {
        high = digit;
      } else {
        text += String.fromCharCode((high << 4) | digit);
        high = -1;
      }
    }
    if (high >= 0) text += String.fromCharCode(high << 4); // an odd digit count ends with an implied 0, as pdf.js reads it
    return new PdfString(text);
  }

  private readLiteral(): PdfString {
    const { bytes } = this;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      if (this.pos >= this.end) return unsupported('unterminated string');
      let c = bytes[this.pos++] as number;
      if (c === 0x28) {
        depth++;
      } else if (c === 0x29) {
        if (--depth === 0) break;
      } else if (c === 0x5c) {
        c = bytes[this.pos++] as number;
        const simple = ESCAPES[c];
        if (simple !== undefined) {
          out.push(simple);
        } else if (c >= 0x30 && c <= 0x37) {
          let code = c - 0x30;
          for (
            let i = 0;
            i < 2 && (bytes[this.pos] as number) >= 0x30 && (bytes[this.pos] as number) <= 0x37;
            i++
          ) {
            code = code * 8 + ((bytes[this.pos++] as number) - 0x30);
          }
          out.push(code & 0xff);
        } else if (c === 0x0d) {
          if (bytes[this.pos] === 0x0a) this.pos++;
        } else if (c === 0x0a) {
          // a line continuation
        } else {
          return unsupported('an escape the fast path does not read like pdf.js');
        }
        continue;
      }
      out.push(c);
    }
    return new PdfString(fromCodes(out));
  }
}

const ESCAPES: Record<number, number> = {
  0x6e: 0x0a,
  0x72: 0x0d,
  0x74: 0x09,
  0x62: 0x08,
  0x66: 0x0c,
  0x28: 0x28,
  0x29: 0x29,
  0x5c: 0x5c,
};

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 16) {
    // Operators and keywords are short: building them here beats a Buffer view per token.
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
    return text;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString('latin1');
}

function fromCodes(codes: number[]): string {
  let text = '';
  for (let i = 0; i < codes.length; i += 8192) text += String.fromCharCode(...codes.slice(i, i + 8192));
  return text;
}
