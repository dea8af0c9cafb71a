import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { ParseError } from '../parse-error.js';
import type { ResolvedParseLimits } from '../parse-limits.js';
import type { ZipEntry } from './zip-directory.js';

/** Below this an entry cannot hurt, whatever its ratio (tiny XML parts compress very well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;
const LOCAL_SIGNATURE = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** Up to this size an entry is inflated in one synchronous call (bounded by maxOutputLength); bigger ones stream. */
const SYNC_INFLATE_BYTES = 8 * 1024 * 1024;

/**
 * The declared sizes, checked before anything is inflated: total, total ratio, and each big entry's
 * ratio (a bomb can hide one huge entry behind an incompressible image that keeps the total ratio low).
 */
export function checkDeclaredSizes(
  entries: ZipEntry[],
  archiveBytes: number,
  limits: ResolvedParseLimits,
): void {
  let total = 0;
  for (const entry of entries) {
    if (entry.flags & 0x1) {
      throw new ParseError('encrypted_file', 'The archive is password-protected (encrypted ZIP entries).');
    }
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
      throw bomb(`its part "${shortName(entry.name)}" expands ${Math.round(ratio)}×`, limits);
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw bomb(`it declares ${formatBytes(total)} uncompressed`, limits);
  }
  const ratio = total / Math.max(1, archiveBytes);
  if (total > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
    throw bomb(`it expands ${Math.round(ratio)}× overall`, limits);
  }
}

/**
 * The declared sizes can lie (they are just numbers in the directory). Inflate every entry once,
 * streaming and discarding, counting real bytes: stop as soon as an entry outgrows what it declared
 * or the archive outgrows the limit. Memory stays at zlib's window, whatever the archive claims.
 */
export async function checkInflatedSizes(
  bytes: Buffer,
  entries: ZipEntry[],
  limits: ResolvedParseLimits,
): Promise<void> {
  let total = 0;
  for (const entry of entries) {
    const data = entryData(bytes, entry);
    let actual: number;
    if (entry.method === STORED) actual = data.length;
    else if (entry.method === DEFLATED) {
      const budget = Math.min(entry.uncompressedSize, limits.maxUncompressedBytes - total);
      actual = await inflatedLength(data, budget, entry, limits);
    } else {
      throw new ParseError(
        'corrupt_file',
        `The archive uses compression method ${entry.method}, which Office files never use.`,
      );
    }
    total += actual;
    if (actual > entry.uncompressedSize) {
      throw bomb(`its part "${shortName(entry.name)}" inflates beyond its declared size`, limits);
    }
  }
  if (total > limits.maxUncompressedBytes) throw bomb(`it inflates to ${formatBytes(total)}`, limits);
}

/**
 * One entry's bytes, for a parser that reads the archive itself. Inflation stops one byte past the
 * size the directory declares (and never past the archive limit): a lying entry fails as a bomb
 * here too, whether or not the archive went through checkInflatedSizes first.
 */
export function readZipEntry(bytes: Buffer, entry: ZipEntry, limits: ResolvedParseLimits): Buffer {
  const data = entryData(bytes, entry);
  if (entry.method === STORED) return data;
  if (entry.method !== DEFLATED) {
    throw new ParseError(
      'corrupt_file',
      `The archive uses compression method ${entry.method}, which Office files never use.`,
    );
  }
  const budget = Math.min(entry.uncompressedSize, limits.maxUncompressedBytes);
  try {
    const inflated = inflateRawSync(data, { maxOutputLength: budget + 1 });
    if (inflated.length > budget) throw new RangeError('over budget');
    return inflated;
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw bomb(`its part "${shortName(entry.name)}" inflates beyond its declared size`, limits);
    }
    throw new ParseError(
      'corrupt_file',
      `The archive is damaged: the part "${shortName(entry.name)}" does not inflate.`,
    );
  }
}

function entryData(bytes: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    throw new ParseError(
      'corrupt_file',
      `The archive is damaged: the part "${shortName(entry.name)}" is missing.`,
    );
  }
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) {
    throw new ParseError(
      'corrupt_file',
      `The archive is truncated: the part "${shortName(entry.name)}" is cut off.`,
    );
  }
  return bytes.subarray(start, end);
}

async function inflatedLength(
  data: Buffer,
  budget: number,
  entry: ZipEntry,
  limits: ResolvedParseLimits,
): Promise<number> {
  const overBudget = () =>
    budget >= entry.uncompressedSize
      ? bomb(`its part "${shortName(entry.name)}" inflates beyond its declared size`, limits)
      : bomb(`it inflates beyond ${formatBytes(limits.maxUncompressedBytes)}`, limits);
  if (budget <= SYNC_INFLATE_BYTES) {
    // Small parts (nearly all of them): one call, and zlib itself stops one byte past the budget.
    try {
      return inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw overBudget();
      throw new ParseError(
        'corrupt_file',
        `The archive is damaged: the part "${shortName(entry.name)}" does not inflate.`,
      );
    }
  }
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    let length = 0;
    let settled = false;
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      if (error) reject(error);
      else resolve(length);
    };
    inflater.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > budget) settle(overBudget());
    });
    inflater.on('error', () =>
      settle(
        new ParseError(
          'corrupt_file',
          `The archive is damaged: the part "${shortName(entry.name)}" does not inflate.`,
        ),
      ),
    );
    inflater.on('end', () => settle(undefined));
    inflater.end(data);
  });
}

function bomb(why: string, limits: ResolvedParseLimits): ParseError {
  return new ParseError(
    'archive_bomb',
    `Refused: the archive looks like a ZIP bomb — ${why} (limits: ${formatBytes(limits.maxUncompressedBytes)}, ratio ${limits.maxCompressionRatio}×).`,
  );
}

/** Entry names come from the file: no controls in a message, and no screenful of them either. */
function shortName(name: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > 80 ? `${clean.slice(0, 77)}…` : clean;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
