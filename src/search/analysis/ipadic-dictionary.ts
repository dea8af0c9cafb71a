import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

/**
 * kuromoji's IPADIC files (the `dict` folder of the kuromoji package), read straight into typed
 * arrays in shared memory. kuromoji's own loader turns the word map into a JavaScript object of
 * ~400k arrays and each thread loads its own copy (≈2 CPU-s and ≈300 MB each); here the files
 * are decompressed once per process, the map becomes two integer arrays, and the preparation
 * threads receive the same memory instead of loading it again (src/ingest/workers).
 */
export interface IpadicDictionary {
  /** The double-array trie over the words' UTF-8 bytes (kuromoji's base.dat and check.dat). */
  readonly base: Int32Array;
  readonly check: Int32Array;
  /** Connection costs: [0] and [1] the matrix's sizes, then cost(right id r, left id l) at r × [1] + l + 2. */
  readonly costs: Int16Array;
  readonly known: WordEntries;
  readonly unknown: WordEntries;
  /** The character class of each UTF-16 code unit (kuromoji's unk_char.dat). */
  readonly categories: Uint8Array;
  readonly classes: readonly CharacterClass[];
  /** The class of a character past the table (outside the BMP). */
  readonly defaultClass: number;
}

/** One dictionary's words (kuromoji's tid*.dat, or unk*.dat for the unknown-word templates). */
export interface WordEntries {
  /** At each word id (a byte offset): left id, right id, cost (int16 LE each), then its features' offset (int32 LE). */
  readonly entries: Uint8Array;
  /** NUL-terminated UTF-8 feature lines: "名詞,一般,*,*,*,*,経費,ケイヒ,ケイヒ". */
  readonly features: Uint8Array;
  /**
   * The words of trie value (or character class) k: ids[offsets[k]] up to ids[offsets[k + 1]],
   * in file order, without the words segmentation can never choose (see `withoutOutranked`).
   */
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  /** Beside `ids`: each word's left id, right id and cost, read out of `entries` once. */
  readonly lefts: Int16Array;
  readonly rights: Int16Array;
  readonly costs: Int16Array;
}

export interface CharacterClass {
  readonly name: string;
  /** Unknown words are proposed at this class even where the dictionary has a word. */
  readonly alwaysInvoke: boolean;
  /** A run of this class is also proposed as one unknown word. */
  readonly grouping: boolean;
}

/** Loads the dictionary in `dicPath`: ≈0.5 s, ≈0.75 CPU-s (mostly decompression, on libuv's threads). */
export async function loadIpadicDictionary(dicPath: string): Promise<IpadicDictionary> {
  const names = [
    'base',
    'check',
    'cc',
    'tid',
    'tid_pos',
    'tid_map',
    'unk',
    'unk_pos',
    'unk_map',
    'unk_char',
    'unk_invoke',
  ] as const;
  const files = await Promise.all(
    names.map(async (name) => {
      const path = join(dicPath, `${name}.dat.gz`);
      try {
        return await inflateShared(await readFile(path));
      } catch (error) {
        // A broken installation is the operator's to fix: say which file, not zlib's words alone.
        throw new Error(`the Japanese dictionary file ${path} cannot be read: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }),
  );
  const file = (name: (typeof names)[number]) => files[names.indexOf(name)]!;
  const classes = characterClasses(file('unk_invoke'));
  const defaultClass = classes.findIndex((c) => c.name === 'DEFAULT');
  if (defaultClass < 0) throw new Error(`the dictionary in ${dicPath} has no DEFAULT character class`);
  return {
    base: int32s(file('base')),
    check: int32s(file('check')),
    costs: new Int16Array(file('cc').buffer, 0, file('cc').byteLength >> 1),
    known: words(file('tid'), file('tid_pos'), file('tid_map')),
    unknown: words(file('unk'), file('unk_pos'), file('unk_map')),
    categories: file('unk_char'),
    classes,
    defaultClass,
  };
}

const CHUNK_BYTES = 1 << 18;
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK_BYTES);

/**
 * Decompresses a .gz file into a SharedArrayBuffer: sent to a worker thread, it is shared, not
 * copied. Touching fresh memory is the dear part (here ~5 ms per MB), so the output is written
 * once, straight from zlib's reused chunks, and the files' zero padding (a quarter of the
 * dictionary) is never written at all: the new buffer already reads zero there.
 */
async function inflateShared(compressed: Buffer): Promise<Uint8Array> {
  // The gzip trailer ends with the uncompressed size (mod 2^32; these files are far smaller).
  const size = compressed.length >= 18 ? compressed.readUInt32LE(compressed.length - 4) : 0;
  // The largest IPADIC file is 40 MB: a trailer saying more is a damaged file, not a reason to reserve 4 GB.
  if (size > MAX_FILE_BYTES) throw new Error(`it says it holds ${size} bytes, more than any dictionary file`);
  const out = new Uint8Array(new SharedArrayBuffer(size));
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  gunzip.end(compressed);
  let at = 0;
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    if (at + chunk.length > size) throw new Error('a dictionary file is longer than its gzip trailer says');
    if (!chunk.equals(ZEROS.subarray(0, chunk.length))) out.set(chunk, at);
    at += chunk.length;
  }
  if (at !== size) throw new Error('a dictionary file is shorter than its gzip trailer says');
  return out;
}

function int32s(bytes: Uint8Array): Int32Array {
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
}

/** Reads a little-endian int16 as kuromoji's ByteBuffer.getShort does: signed, 0 past the end. */
function int16At(bytes: Uint8Array, offset: number): number {
  if (bytes.length < offset + 2) return 0;
  return (((bytes[offset + 1]! << 8) | bytes[offset]!) << 16) >> 16;
}

/** Reads a little-endian int32 as kuromoji's ByteBuffer.getInt does: 0 past the end. */
export function int32At(bytes: Uint8Array, offset: number): number {
  if (bytes.length < offset + 4) return 0;
  return (bytes[offset + 3]! << 24) | (bytes[offset + 2]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset]!;
}

/**
 * The word map (tid_map.dat: a key count, then per key: key, n, n word ids) as offsets and ids,
 * keeping each key's ids in file order (kuromoji appends them so, and ties in the lattice go to
 * the earlier word).
 */
function words(entries: Uint8Array, features: Uint8Array, map: Uint8Array): WordEntries {
  const counts: number[] = [];
  for (let at = 4; at + 8 <= map.length;) {
    const key = int32At(map, at);
    const n = int32At(map, at + 4);
    // Keys are trie values or class ids, each followed by its n ids: anything else is a damaged file.
    if (key < 0 || key > MAX_FILE_BYTES || n < 0 || at + 8 + n * 4 > map.length)
      throw new Error(`the dictionary's word map is damaged at byte ${at}`);
    counts[key] = (counts[key] ?? 0) + n;
    at += 8 + n * 4;
  }
  const offsets = new Int32Array(counts.length + 1);
  for (let key = 0; key < counts.length; key++) offsets[key + 1] = offsets[key]! + (counts[key] ?? 0);
  const ids = new Int32Array(offsets[counts.length]!);
  const filled = new Int32Array(counts.length);
  for (let at = 4; at + 8 <= map.length;) {
    const key = int32At(map, at);
    const n = int32At(map, at + 4);
    for (let i = 0; i < n; i++) ids[offsets[key]! + filled[key]!++] = int32At(map, at + 8 + i * 4);
    at += 8 + n * 4;
  }
  return withoutOutranked(entries, features, offsets, ids);
}

/**
 * Leaves out of each key's list the words another word of the same key outranks: the same left and
 * right ids (so the same place in every path through the lattice) and a lower cost, or the same
 * cost and an earlier place. Such a word ties or loses against the other at every step of
 * kuromoji's search, where ties go to the earlier node, so it is never chosen; without it, the
 * lattice has ~8 % fewer nodes on Japanese prose. The rest keep their file order.
 */
function withoutOutranked(
  entries: Uint8Array,
  features: Uint8Array,
  allOffsets: Int32Array,
  allIds: Int32Array,
): WordEntries {
  // Every listed word's left id, right id and cost, decoded once for the comparisons and the copy.
  const n = allIds.length;
  const all: WordCosts = { lefts: new Int16Array(n), rights: new Int16Array(n), costs: new Int16Array(n) };
  allIds.forEach((id, w) => {
    all.lefts[w] = int16At(entries, id);
    all.rights[w] = int16At(entries, id + 2);
    all.costs[w] = int16At(entries, id + 4);
  });
  const keys = allOffsets.length - 1;
  const keep = new Uint8Array(n);
  let count = 0;
  for (let key = 0; key < keys; key++) {
    const [from, to] = [allOffsets[key]!, allOffsets[key + 1]!];
    for (let w = from; w < to; w++) if (!outranked(all, from, to, w)) count += keep[w] = 1;
  }
  const shared = (bytesEach: number) => new SharedArrayBuffer(count * bytesEach);
  const offsets = new Int32Array(new SharedArrayBuffer(allOffsets.byteLength));
  const ids = new Int32Array(shared(4));
  const [lefts, rights, costs] = [
    new Int16Array(shared(2)),
    new Int16Array(shared(2)),
    new Int16Array(shared(2)),
  ];
  let at = 0;
  for (let key = 0; key < keys; key++) {
    offsets[key] = at;
    for (let w = allOffsets[key]!; w < allOffsets[key + 1]!; w++) {
      if (keep[w] === 0) continue;
      ids[at] = allIds[w]!;
      lefts[at] = all.lefts[w]!;
      rights[at] = all.rights[w]!;
      costs[at] = all.costs[w]!;
      at++;
    }
  }
  offsets[keys] = at;
  return { entries, features, offsets, ids, lefts, rights, costs };
}

type WordCosts = Pick<WordEntries, 'lefts' | 'rights' | 'costs'>;

/** Whether word w of a key's list (from up to to) is outranked by another of the list. */
function outranked({ lefts, rights, costs }: WordCosts, from: number, to: number, w: number): boolean {
  for (let v = from; v < to; v++) {
    if (v === w || lefts[v] !== lefts[w] || rights[v] !== rights[w]) continue;
    if (costs[v]! < costs[w]! || (costs[v] === costs[w] && v < w)) return true;
  }
  return false;
}

/**
 * unk_invoke.dat: per class, its invoke and grouping flags (a byte each), max length (int32) and
 * NUL-terminated name; the file is padded with zeros, where the classes end.
 */
function characterClasses(bytes: Uint8Array): CharacterClass[] {
  const classes: CharacterClass[] = [];
  for (let at = 0; at + 6 < bytes.length && bytes[at + 6] !== 0;) {
    let end = at + 6;
    while (end < bytes.length && bytes[end] !== 0) end++;
    classes.push({
      name: utf8(bytes, at + 6, end),
      alwaysInvoke: bytes[at] === 1,
      grouping: bytes[at + 1] === 1,
    });
    at = end + 1;
  }
  return classes;
}

/** The NUL-terminated UTF-8 string at `offset` (a feature line). */
export function stringAt(bytes: Uint8Array, offset: number): string {
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return utf8(bytes, offset, end);
}

function utf8(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8');
}
