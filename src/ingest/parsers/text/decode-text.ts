import { isUtf8 } from 'node:buffer';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';

export type TextEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'Shift_JIS' | 'EUC-JP' | 'ISO-2022-JP';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** How many U+FFFD the decoder had to put in for bytes that were not valid in `encoding`. */
  replacements: number;
}

/** Detection looks at the head only: enough to decide, and cheap on a 100 MB file. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Japanese files come in five encodings. Decide from the bytes (a BOM, strict UTF-8, ISO-2022-JP's
 * escapes, then encoding-japanese's detector), decode with iconv-lite, and never drop the file for
 * a broken byte: it becomes U+FFFD and the count is reported.
 */
export function decodeText(bytes: Buffer): DecodedText {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return decodeWith(bytes.subarray(3), 'UTF-8');
  if (hasPrefix(bytes, [0xff, 0xfe])) return decodeWith(bytes.subarray(2), 'UTF-16LE');
  if (hasPrefix(bytes, [0xfe, 0xff])) return decodeWith(bytes.subarray(2), 'UTF-16BE');
  // Before UTF-8: ISO-2022-JP is 7-bit, so it is also valid UTF-8 (with escape sequences in the text).
  if (isIso2022Jp(bytes.subarray(0, SAMPLE_BYTES))) return decodeWith(bytes, 'ISO-2022-JP');
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), encoding: 'UTF-8', replacements: 0 };
  return decodeWith(bytes, guessEncoding(bytes.subarray(0, SAMPLE_BYTES)));
}

function guessEncoding(sample: Buffer): TextEncoding {
  const whole = fromDetector(Encoding.detect(sample));
  if (whole) return whole;
  // The detector answers for the whole sample, so one broken byte makes it give up. Ask it line by
  // line instead: the broken line abstains and the others still vote.
  const votes = new Map<TextEncoding, number>();
  let lineStart = 0;
  for (let i = 0; i <= sample.length; i++) {
    if (i < sample.length && sample[i] !== 0x0a) continue;
    const line = sample.subarray(lineStart, i);
    lineStart = i + 1;
    if (!line.some((byte) => byte >= 0x80)) continue;
    const vote = fromDetector(Encoding.detect(line));
    if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  if (ranked[0]) return ranked[0][0];
  // Nothing clean anywhere: take whichever legacy encoding breaks fewer characters.
  const sjis = decodeWith(sample, 'Shift_JIS').replacements;
  const eucjp = decodeWith(sample, 'EUC-JP').replacements;
  return eucjp < sjis ? 'EUC-JP' : 'Shift_JIS';
}

function fromDetector(detected: ReturnType<typeof Encoding.detect>): TextEncoding | undefined {
  switch (detected) {
    case 'SJIS':
      return 'Shift_JIS';
    case 'EUCJP':
      return 'EUC-JP';
    case 'JIS':
      return 'ISO-2022-JP';
    case 'UTF8':
      return 'UTF-8';
    default:
      // UTF-16 is only trusted with a BOM: without one, any binary "decodes" as UTF-16 (mostly CJK).
      return undefined;
  }
}

function decodeWith(bytes: Buffer, encoding: TextEncoding): DecodedText {
  const text = decodeBytes(bytes, encoding);
  // A U+FFFD already present in valid Unicode input is content, not damage.
  const valid = encoding === 'UTF-8' ? isUtf8(bytes) : isUnicode(encoding) && isValidUtf16(bytes, encoding);
  const replacements = valid ? 0 : countReplacements(text);
  return { text, encoding, replacements };
}

function isUnicode(encoding: TextEncoding): encoding is 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' {
  return encoding === 'UTF-8' || encoding === 'UTF-16LE' || encoding === 'UTF-16BE';
}

function isValidUtf16(bytes: Buffer, encoding: 'UTF-16LE' | 'UTF-16BE'): boolean {
  try {
    new TextDecoder(encoding.toLowerCase(), { fatal: true, ignoreBOM: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeBytes(bytes: Buffer, encoding: TextEncoding): string {
  switch (encoding) {
    case 'UTF-8':
      return bytes.toString('utf8');
    case 'UTF-16LE':
      return new TextDecoder('utf-16le').decode(bytes);
    case 'UTF-16BE':
      return new TextDecoder('utf-16be').decode(bytes);
    case 'Shift_JIS':
      // CP932, not strict Shift_JIS: Windows' superset is what Japanese files really use, and only
      // it has the NEC/IBM extensions (①, ㈱, 髙, №).
      return iconv.decode(bytes, 'cp932');
    case 'EUC-JP':
      return iconv.decode(bytes, 'euc-jp');
    case 'ISO-2022-JP':
      // iconv-lite has no stateful ISO-2022 codecs; encoding-japanese does.
      return Encoding.convert(bytes, { to: 'UNICODE', from: 'JIS', type: 'string' });
  }
}

function countReplacements(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\ufffd'); at !== -1; at = text.indexOf('\ufffd', at + 1)) count++;
  return count;
}

/** Only 7-bit bytes, and at least one of ISO-2022-JP's designations (ESC $ @, ESC $ B, ESC ( J, ESC ( I, ESC $ ( D). */
function isIso2022Jp(sample: Buffer): boolean {
  if (sample.some((byte) => byte >= 0x80)) return false;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return /\x1b(?:\$[@B]|\([BJI]|\$\(D)/.test(sample.toString('latin1'));
}

function hasPrefix(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}
