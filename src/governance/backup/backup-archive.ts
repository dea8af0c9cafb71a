import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../platform/errors/errors.js';

/**
 * A Kura backup file: one self-checking archive.
 *
 *   header  "KURABKUP" · u32 format version · u64 body length          (20 bytes)
 *   body    entry bytes, one after the other · manifest JSON · u32 manifest length
 *   trailer SHA-256 of the body                                        (32 bytes)
 *
 * The body length in the header tells a truncated file from a corrupt one before anything is
 * unpacked; the trailer checks every byte; each entry also carries its own SHA-256.
 */
const MAGIC = Buffer.from('KURABKUP');
export const BACKUP_FORMAT_VERSION = 1;
const HEADER_BYTES = 20;
const TRAILER_BYTES = 32;

export const backupManifestSchema = z.object({
  format: z.literal('kura-backup'),
  createdAt: z.string(),
  kuraVersion: z.string(),
  /** 'pglite': entry `database` is PGlite's data directory (tar); 'postgresql': a pg_dump -Fc file. */
  database: z.enum(['pglite', 'postgresql']),
  /** Always false: the master key never goes into a backup (restore needs the same key). */
  masterKeyIncluded: z.literal(false),
  entries: z.array(
    z.object({
      /** 'database', or `files/<path relative to the data directory>`. */
      name: z.string().min(1),
      offset: z.number().int().min(0),
      size: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;
export type BackupEntry = BackupManifest['entries'][number];

export class BackupError extends AppError {
  constructor(code: string, message: string) {
    super(400, code, message, true);
  }
}

/** Writes an archive entry by entry; `finish` adds the manifest and the checksum. */
export class BackupWriter {
  private readonly hash = createHash('sha256');
  private offset = 0;
  private readonly entries: BackupEntry[] = [];

  private constructor(private readonly file: FileHandle) {}

  static async create(path: string): Promise<BackupWriter> {
    // 'wx': never overwrite an existing file (an older backup is worth keeping); mode 0600.
    const file = await open(path, 'wx', 0o600);
    const writer = new BackupWriter(file);
    await file.write(Buffer.alloc(HEADER_BYTES), 0, HEADER_BYTES, 0);
    return writer;
  }

  private async writeBody(bytes: Buffer): Promise<void> {
    await this.file.write(bytes, 0, bytes.length, HEADER_BYTES + this.offset);
    this.hash.update(bytes);
    this.offset += bytes.length;
  }

  async addBuffer(name: string, bytes: Buffer): Promise<void> {
    const start = this.offset;
    await this.writeBody(bytes);
    this.entries.push({ name, offset: start, size: bytes.length, sha256: sha256(bytes) });
  }

  /** Streams a file in; what is read is what is recorded, even if the file grows meanwhile. */
  async addFile(name: string, path: string): Promise<void> {
    const start = this.offset;
    const entryHash = createHash('sha256');
    for await (const chunk of createReadStream(path)) {
      entryHash.update(chunk as Buffer);
      await this.writeBody(chunk as Buffer);
    }
    this.entries.push({ name, offset: start, size: this.offset - start, sha256: entryHash.digest('hex') });
  }

  async finish(
    meta: Omit<BackupManifest, 'entries' | 'format' | 'masterKeyIncluded'>,
  ): Promise<BackupManifest> {
    const manifest: BackupManifest = {
      format: 'kura-backup',
      masterKeyIncluded: false,
      ...meta,
      entries: this.entries,
    };
    const json = Buffer.from(JSON.stringify(manifest));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    await this.writeBody(json);
    await this.writeBody(length);
    const digest = this.hash.digest();
    await this.file.write(digest, 0, digest.length, HEADER_BYTES + this.offset);
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeUInt32BE(BACKUP_FORMAT_VERSION, 8);
    header.writeBigUInt64BE(BigInt(this.offset), 12);
    await this.file.write(header, 0, HEADER_BYTES, 0);
    await this.file.sync();
    await this.file.close();
    return manifest;
  }

  async abort(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }
}

/** An archive whose header, length and checksum have been verified; entries are read on demand. */
export class BackupReader {
  private constructor(
    private readonly path: string,
    readonly manifest: BackupManifest,
  ) {}

  /** Checks format, version, length and checksum; throws a BackupError with a stable code. */
  static async open(path: string): Promise<BackupReader> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new BackupError('backup_not_found', `${path} does not exist or cannot be read`);
    }
    const file = await open(path, 'r');
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await file.read(header, 0, HEADER_BYTES, 0);
      if (bytesRead < MAGIC.length || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new BackupError('backup_format_invalid', `${path} is not a Kura backup (no KURABKUP header)`);
      }
      if (bytesRead < HEADER_BYTES) throw truncated(path, size, HEADER_BYTES + TRAILER_BYTES);
      const version = header.readUInt32BE(8);
      if (version !== BACKUP_FORMAT_VERSION) {
        throw new BackupError(
          'backup_version_unsupported',
          `${path} is a backup of format version ${version}; this Kura reads version ${BACKUP_FORMAT_VERSION}`,
        );
      }
      const bodyLength = Number(header.readBigUInt64BE(12));
      const expected = HEADER_BYTES + bodyLength + TRAILER_BYTES;
      if (bodyLength === 0) throw truncated(path, size, expected); // header written, never finished
      if (size < expected) throw truncated(path, size, expected);
      if (size > expected) {
        throw new BackupError(
          'backup_format_invalid',
          `${path} has ${size - expected} bytes more than its header announces`,
        );
      }
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path, {
        start: HEADER_BYTES,
        end: HEADER_BYTES + bodyLength - 1,
      }))
        hash.update(chunk as Buffer);
      const trailer = Buffer.alloc(TRAILER_BYTES);
      await file.read(trailer, 0, TRAILER_BYTES, HEADER_BYTES + bodyLength);
      if (!hash.digest().equals(trailer)) {
        throw new BackupError(
          'backup_checksum_mismatch',
          `${path} is corrupt: its SHA-256 does not match the checksum it was written with`,
        );
      }
      const lengthBytes = Buffer.alloc(4);
      await file.read(lengthBytes, 0, 4, HEADER_BYTES + bodyLength - 4);
      const manifestLength = lengthBytes.readUInt32BE(0);
      const json = Buffer.alloc(manifestLength);
      await file.read(json, 0, manifestLength, HEADER_BYTES + bodyLength - 4 - manifestLength);
      const parsed = backupManifestSchema.safeParse(safeJson(json.toString('utf8')));
      if (!parsed.success) throw new BackupError('backup_format_invalid', `${path} has no valid manifest`);
      return new BackupReader(path, parsed.data);
    } finally {
      await file.close();
    }
  }

  /** One entry's bytes, checked against its own SHA-256. */
  async read(entry: BackupEntry): Promise<Buffer> {
    const file = await open(this.path, 'r');
    try {
      const bytes = Buffer.alloc(entry.size);
      await file.read(bytes, 0, entry.size, HEADER_BYTES + entry.offset);
      if (sha256(bytes) !== entry.sha256) {
        throw new BackupError('backup_checksum_mismatch', `entry ${entry.name} does not match its checksum`);
      }
      return bytes;
    } finally {
      await file.close();
    }
  }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function truncated(path: string, size: number, expected: number): BackupError {
  return new BackupError(
    'backup_truncated',
    `${path} is truncated: ${size} bytes of the ${expected} it should have (copy it again from where it was written)`,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
