import { decodeStream, MAX_STREAM_BYTES } from './filters.js';
import { Keyword, latin1, PdfLexer } from './lexer.js';
import { expectInteger, isDict, nameOf, PdfRef, PdfStream, type PdfDict, type PdfObject } from './objects.js';
import { unsupported } from './unsupported.js';

type XrefEntry =
  | { kind: 'free' }
  | { kind: 'at'; offset: number; gen: number }
  | { kind: 'in'; stream: number; index: number };

/** Bounds on the work one file may cause: objects read, bytes inflated, xref sections followed. */
const MAX_OBJECTS = 200_000;
const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
const MAX_XREF_SECTIONS = 64;

/**
 * A PDF file's objects, found through its cross-reference tables or streams (incremental updates
 * followed through /Prev). No repair: a file whose xref does not point at the objects it claims is
 * unsupported here, and pdf.js (which rebuilds broken tables) reads it instead.
 */
export class PdfFile {
  readonly trailer: PdfDict;
  private readonly entries = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PdfObject>();
  private readonly objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();
  private readonly resolving = new Set<number>();
  private objectsRead = 0;
  private inflated = 0;

  constructor(readonly bytes: Uint8Array) {
    if (latin1(bytes, 0, 5) !== '%PDF-') unsupported('no %PDF- header at the start');
    const tail = latin1(bytes, Math.max(0, bytes.length - 1024), bytes.length);
    const at = tail.lastIndexOf('startxref');
    if (at < 0) unsupported('no startxref');
    const lexer = new PdfLexer(bytes, Math.max(0, bytes.length - 1024) + at + 9);
    let offset: number | undefined = expectInteger(lexer.value(false), 'startxref');
    let trailer: PdfDict | undefined;
    const seen = new Set<number>();
    while (offset !== undefined) {
      if (seen.has(offset) || seen.size >= MAX_XREF_SECTIONS) unsupported('an xref /Prev loop');
      seen.add(offset);
      const section = this.readXrefSection(offset);
      trailer ??= section;
      const stm = section.get('XRefStm');
      if (stm !== undefined) {
        // A hybrid-reference file: its xref stream lists what the table leaves out (objects in
        // object streams). pdf.js reads it right after the table, before /Prev; so does this.
        const streamOffset = expectInteger(stm, '/XRefStm');
        if (seen.has(streamOffset)) unsupported('an /XRefStm loop');
        seen.add(streamOffset);
        if (this.readXrefSection(streamOffset).has('Prev')) unsupported('an /XRefStm with its own /Prev');
      }
      const prev = section.get('Prev');
      offset = prev === undefined ? undefined : expectInteger(prev, '/Prev');
    }
    this.trailer = trailer as PdfDict;
    if (this.trailer.has('Encrypt')) unsupported('an encrypted file');
  }

  /** Follows references (a chain of them, too) to the object itself. */
  resolve = (value: PdfObject | undefined): PdfObject | undefined => {
    for (let hops = 0; value instanceof PdfRef; hops++) {
      if (hops > 32) unsupported('a reference chain');
      value = this.fetch(value);
    }
    return value;
  };

  /** The decoded bytes of a stream. */
  streamData(stream: PdfStream): Uint8Array {
    const raw = this.bytes.subarray(stream.start, stream.start + stream.length);
    const data = decodeStream(raw, stream.dict, this.resolve);
    this.inflated += data.length;
    if (this.inflated > MAX_INFLATED_BYTES) unsupported('too many bytes inflated');
    return data;
  }

  private fetch(ref: PdfRef): PdfObject {
    const cached = this.cache.get(ref.num);
    if (cached !== undefined) return cached;
    if (this.resolving.has(ref.num)) unsupported('an object that contains itself');
    if (++this.objectsRead > MAX_OBJECTS) unsupported('too many objects');
    const entry = this.entries.get(ref.num);
    if (!entry) return unsupported('a reference to an object the xref does not list');
    if (entry.kind === 'free') return null; // pdf.js reads a free object as null too
    this.resolving.add(ref.num);
    try {
      const value =
        entry.kind === 'at' ? this.readObjectAt(entry.offset, ref) : this.readCompressed(entry, ref);
      this.cache.set(ref.num, value);
      return value;
    } finally {
      this.resolving.delete(ref.num);
    }
  }

  private readObjectAt(offset: number, ref: PdfRef): PdfObject {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.bytes.length)
      unsupported('an offset outside the file');
    const lexer = new PdfLexer(this.bytes, offset);
    const num = lexer.next(false);
    const gen = lexer.next(false);
    const keyword = lexer.next(false);
    if (num !== ref.num || gen !== ref.gen || !(keyword instanceof Keyword) || keyword.word !== 'obj') {
      return unsupported('the xref points beside an object');
    }
    return this.readBody(lexer);
  }

  /** An object's value after "n g obj", with its stream data's place if it is a stream. */
  private readBody(lexer: PdfLexer): PdfObject {
    const value = lexer.value(true);
    const after = lexer.next(true);
    if (!(after instanceof Keyword)) return unsupported('an object without endobj');
    if (after.word === 'endobj') return value;
    if (after.word !== 'stream' || !isDict(value)) return unsupported('an object without endobj');
    const { bytes } = this;
    let start = lexer.pos;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const length = expectInteger(this.resolve(value.get('Length')), 'stream /Length');
    if (length < 0 || length > MAX_STREAM_BYTES || start + length > bytes.length)
      unsupported('a stream /Length outside the file');
    const end = new PdfLexer(bytes, start + length);
    const endWord = end.next(false);
    if (!(endWord instanceof Keyword) || endWord.word !== 'endstream')
      unsupported('a stream /Length that misses endstream');
    return new PdfStream(value, start, length);
  }

  private readCompressed(entry: { stream: number; index: number }, ref: PdfRef): PdfObject {
    if (ref.gen !== 0) unsupported('a compressed object with a generation');
    let objectStream = this.objectStreams.get(entry.stream);
    if (!objectStream) {
      const stream = this.fetch(new PdfRef(entry.stream, 0));
      if (!(stream instanceof PdfStream) || nameOf(stream.dict.get('Type')) !== 'ObjStm')
        unsupported('a bad object stream');
      const count = expectInteger(this.resolve(stream.dict.get('N')), 'ObjStm /N');
      const first = expectInteger(this.resolve(stream.dict.get('First')), 'ObjStm /First');
      const data = this.streamData(stream);
      if (count < 0 || count > MAX_OBJECTS || first < 0 || first > data.length)
        unsupported('a bad object stream header');
      const header = new PdfLexer(data, 0, first);
      const offsets = new Map<number, number>();
      for (let i = 0; i < count; i++) {
        const num = expectInteger(header.value(false), 'ObjStm number');
        const offset = expectInteger(header.value(false), 'ObjStm offset');
        if (offset < 0 || first + offset >= data.length) unsupported('an ObjStm offset outside the stream');
        if (!offsets.has(num)) offsets.set(num, first + offset);
      }
      objectStream = { data, offsets };
      this.objectStreams.set(entry.stream, objectStream);
    }
    const offset = objectStream.offsets.get(ref.num);
    if (offset === undefined) return unsupported('an object missing from its object stream');
    const value = new PdfLexer(objectStream.data, offset).value(true);
    if (value instanceof PdfStream) unsupported('a stream inside an object stream');
    return value;
  }

  private readXrefSection(offset: number): PdfDict {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.bytes.length)
      unsupported('startxref outside the file');
    const lexer = new PdfLexer(this.bytes, offset);
    const first = lexer.next(false);
    if (first instanceof Keyword) {
      if (first.word !== 'xref') unsupported('no xref at startxref');
      return this.readXrefTable(lexer);
    }
    lexer.pos = offset;
    const num = expectInteger(lexer.value(false), 'xref stream number');
    const gen = expectInteger(lexer.value(false), 'xref stream generation');
    const keyword = lexer.next(false);
    if (!(keyword instanceof Keyword) || keyword.word !== 'obj') unsupported('no xref stream at startxref');
    const stream = this.readBody(lexer);
    if (!(stream instanceof PdfStream) || nameOf(stream.dict.get('Type')) !== 'XRef')
      unsupported('no xref stream at startxref');
    this.readXrefStream(stream);
    // The xref stream itself may be listed nowhere else.
    if (!this.entries.has(num)) this.entries.set(num, { kind: 'at', offset, gen });
    return stream.dict;
  }

  private readXrefTable(lexer: PdfLexer): PdfDict {
    for (;;) {
      const token = lexer.next(false);
      if (token instanceof Keyword) {
        if (token.word !== 'trailer') unsupported('a broken xref table');
        const trailer = lexer.value(true);
        return isDict(trailer) ? trailer : unsupported('a trailer that is not a dictionary');
      }
      let start = expectInteger(typeof token === 'number' ? token : undefined, 'xref subsection start');
      const count = expectInteger(lexer.value(false), 'xref subsection count');
      if (start < 0 || count < 0 || count > MAX_OBJECTS) unsupported('a bad xref subsection');
      for (let i = 0; i < count; i++) {
        const offset = expectInteger(lexer.value(false), 'xref offset');
        const gen = expectInteger(lexer.value(false), 'xref generation');
        const type = lexer.next(false);
        if (!(type instanceof Keyword) || (type.word !== 'n' && type.word !== 'f'))
          unsupported('a bad xref entry');
        // pdf.js's repair of a common writer bug: a table that starts "1 n" with object 0's free entry.
        if (i === 0 && start === 1 && type.word === 'f') start = 0;
        // Sections are read newest first: an object's newest entry wins.
        if (this.entries.has(start + i)) continue;
        this.entries.set(start + i, type.word === 'n' ? { kind: 'at', offset, gen } : { kind: 'free' });
      }
    }
  }

  private readXrefStream(stream: PdfStream): void {
    const { dict } = stream;
    const widths = dict.get('W');
    if (!Array.isArray(widths) || widths.length !== 3) return unsupported('a bad xref stream /W');
    const [w0, w1, w2] = widths.map((w) => expectInteger(w, 'xref /W')) as [number, number, number];
    if ([w0, w1, w2].some((w) => w < 0 || w > 8) || w1 === 0) unsupported('a bad xref stream /W');
    const size = expectInteger(dict.get('Size'), 'xref /Size');
    const index = dict.get('Index') ?? [0, size];
    if (!Array.isArray(index) || index.length % 2 !== 0) return unsupported('a bad xref stream /Index');
    const data = this.streamData(stream);
    const rowLength = w0 + w1 + w2;
    let at = 0;
    const field = (width: number) => {
      let value = 0;
      for (let i = 0; i < width; i++) value = value * 256 + (data[at++] as number);
      return value;
    };
    for (let i = 0; i < index.length; i += 2) {
      const start = expectInteger(index[i], 'xref /Index');
      const count = expectInteger(index[i + 1], 'xref /Index');
      if (start < 0 || count < 0 || at + count * rowLength > data.length)
        unsupported('xref stream rows past its data');
      for (let j = 0; j < count; j++) {
        const type = w0 === 0 ? 1 : field(w0);
        const second = field(w1);
        const third = field(w2);
        if (this.entries.has(start + j)) continue;
        if (type === 0) this.entries.set(start + j, { kind: 'free' });
        else if (type === 1) this.entries.set(start + j, { kind: 'at', offset: second, gen: third });
        else if (type === 2) this.entries.set(start + j, { kind: 'in', stream: second, index: third });
        else unsupported('an unknown xref entry type');
      }
    }
  }
}
