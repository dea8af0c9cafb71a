import { ParseError } from '../parse-error.js';

/** One entry as the archive's central directory declares it (nothing inflated yet). */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** Real OOXML files have tens to a few thousand parts; more is a resource attack, not a document. */
export const MAX_ZIP_ENTRIES = 20_000;

/**
 * Reads a ZIP's central directory (APPNOTE 4.3.12–4.3.16, with ZIP64) so the declared sizes can be
 * checked before any parser inflates a byte. The libraries' own unzip code (jszip inside exceljs)
 * exposes no such hook, so this small, bounds-checked reader is the gate in front of them, and
 * the DOCX reader reads its parts through it. Every offset comes from untrusted bytes and is
 * checked before use.
 */
export function readZipDirectory(bytes: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(bytes);
  let entryCount = bytes.readUInt16LE(eocd + 10);
  let directorySize = bytes.readUInt32LE(eocd + 12);
  let directoryOffset = bytes.readUInt32LE(eocd + 16);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const zip64 = readZip64End(bytes, eocd);
    entryCount = zip64.entryCount;
    directorySize = zip64.directorySize;
    directoryOffset = zip64.directoryOffset;
  }
  if (entryCount > MAX_ZIP_ENTRIES) {
    throw new ParseError(
      'archive_bomb',
      `The archive declares ${entryCount} entries (limit ${MAX_ZIP_ENTRIES}).`,
    );
  }
  if (directoryOffset + directorySize > bytes.length)
    throw corrupt('its central directory lies outside the file');

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < entryCount; i++) {
    need(bytes, at, 46);
    if (bytes.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw corrupt('a central directory record is damaged');
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    need(bytes, at + 46, nameLength + extraLength + commentLength);
    const entry: ZipEntry = {
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
    };
    applyZip64Extra(entry, bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  if (bytes.length < EOCD_SIZE) throw corrupt('it is too short to be an archive');
  const lowest = Math.max(0, bytes.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw corrupt('it has no end-of-central-directory record (truncated?)');
}

function readZip64End(bytes: Buffer, eocd: number) {
  const locator = eocd - 20;
  if (locator < 0 || bytes.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) {
    throw corrupt('its ZIP64 locator is missing');
  }
  const end = safeNumber(bytes.readBigUInt64LE(locator + 8));
  need(bytes, end, 56);
  if (bytes.readUInt32LE(end) !== ZIP64_EOCD_SIGNATURE) throw corrupt('its ZIP64 end record is damaged');
  return {
    entryCount: safeNumber(bytes.readBigUInt64LE(end + 32)),
    directorySize: safeNumber(bytes.readBigUInt64LE(end + 40)),
    directoryOffset: safeNumber(bytes.readBigUInt64LE(end + 48)),
  };
}

/** ZIP64 extended information (header 0x0001): 8-byte values for the fields that overflowed, in order. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    const data = extra.subarray(at + 4, at + 4 + size);
    at += 4 + size;
    if (id !== 0x0001) continue;
    let field = 0;
    const next = () => {
      if (field + 8 > data.length) throw corrupt('a ZIP64 extra field is too short');
      const value = safeNumber(data.readBigUInt64LE(field));
      field += 8;
      return value;
    };
    if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
    if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
    if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
  }
}

function safeNumber(value: bigint): number {
  // Beyond 2^53 no real file can be; treat as a forged size and let the limits reject it.
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function need(bytes: Buffer, at: number, length: number): void {
  if (at < 0 || at + length > bytes.length) throw corrupt('a record runs past the end of the file');
}

function corrupt(why: string): ParseError {
  return new ParseError('corrupt_file', `The file is a damaged ZIP archive: ${why}.`);
}
