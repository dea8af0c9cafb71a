/**
 * Magic numbers of formats Kura does not read, so the refusal can say what the file is ("a PNG
 * image") instead of "unknown". Checked only after the formats Kura does read.
 */
interface Signature {
  what: string;
  offset?: number;
  bytes: number[] | string;
  /** Extra check for short magic numbers that ordinary text can start with ("BMI…", "MZ…"). */
  confirm?: (bytes: Buffer) => boolean;
}

const SIGNATURES: Signature[] = [
  { what: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { what: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { what: 'GIF image', bytes: 'GIF8' },
  { what: 'WebP image', offset: 8, bytes: 'WEBP' },
  { what: 'TIFF image', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { what: 'TIFF image', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { what: 'BMP image', bytes: 'BM', confirm: (b) => b.length >= 26 && b.readUInt32LE(6) === 0 },
  { what: 'HEIF/AVIF image or MP4 video', offset: 4, bytes: 'ftyp' },
  { what: 'ICO image', bytes: [0x00, 0x00, 0x01, 0x00] },
  { what: 'ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'Windows executable (PE)', bytes: 'MZ', confirm: isPortableExecutable },
  { what: 'Mach-O executable', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { what: 'Mach-O executable', bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { what: 'Mach-O universal binary or Java class', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { what: 'WebAssembly module', bytes: [0x00, 0x61, 0x73, 0x6d] },
  { what: 'gzip archive', bytes: [0x1f, 0x8b] },
  { what: 'bzip2 archive', bytes: 'BZh' },
  { what: 'xz archive', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { what: 'Zstandard archive', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { what: '7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { what: 'RAR archive', bytes: 'Rar!' },
  { what: 'SQLite database', bytes: 'SQLite format 3\u0000' },
  { what: 'RTF document', bytes: '{\\rtf' },
  { what: 'PostScript document', bytes: '%!PS' },
  { what: 'MP3 audio', bytes: 'ID3' },
  { what: 'Ogg media', bytes: 'OggS' },
  { what: 'FLAC audio', bytes: 'fLaC' },
  { what: 'WAV audio or AVI video', bytes: 'RIFF' },
  { what: 'Matroska/WebM video', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
];

export function knownBinaryType(bytes: Buffer): string | undefined {
  for (const signature of SIGNATURES) {
    const expected =
      typeof signature.bytes === 'string'
        ? Buffer.from(signature.bytes, 'latin1')
        : Buffer.from(signature.bytes);
    const at = signature.offset ?? 0;
    if (bytes.length < at + expected.length || !bytes.subarray(at, at + expected.length).equals(expected))
      continue;
    if (!signature.confirm || signature.confirm(bytes)) return signature.what;
  }
  return undefined;
}

/** A DOS stub whose e_lfanew points at "PE\0\0" (or a bare DOS program: no text has NULs there). */
function isPortableExecutable(bytes: Buffer): boolean {
  if (bytes.length < 0x40) return false;
  const pe = bytes.readUInt32LE(0x3c);
  if (pe + 4 <= bytes.length && bytes.readUInt32LE(pe) === 0x00004550) return true;
  return bytes.subarray(2, 0x40).includes(0);
}
