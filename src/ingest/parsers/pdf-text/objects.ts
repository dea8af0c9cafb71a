import { unsupported } from './unsupported.js';

/** PDF objects as the fast path holds them. Strings stay bytes (latin1 JS strings, one char a byte). */
export class PdfName {
  private static readonly interned = new Map<string, PdfName>();
  private constructor(readonly name: string) {}
  static of(name: string): PdfName {
    let found = PdfName.interned.get(name);
    if (!found) {
      found = new PdfName(name);
      if (PdfName.interned.size < 10_000) PdfName.interned.set(name, found);
    }
    return found;
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A byte string (literal or hex), kept as a latin1 string like pdf.js does. */
export class PdfString {
  constructor(readonly bytes: string) {}
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** Offset of the raw (still encoded) data in the file, and its length. */
    readonly start: number,
    readonly length: number,
  ) {}
}

export type PdfDict = Map<string, PdfObject>;
export type PdfObject =
  number | boolean | null | PdfName | PdfRef | PdfString | PdfObject[] | PdfDict | PdfStream;

export const isDict = (value: PdfObject | undefined): value is PdfDict => value instanceof Map;

export function nameOf(value: PdfObject | undefined): string | undefined {
  return value instanceof PdfName ? value.name : undefined;
}

export function expectNumber(value: PdfObject | undefined, what: string): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : unsupported(`${what} is not a number`);
}

export function expectInteger(value: PdfObject | undefined, what: string): number {
  return Number.isSafeInteger(value) ? (value as number) : unsupported(`${what} is not an integer`);
}
