import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a high-entropy secret: enough for random tokens (passwords use argon2id instead). */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

const UUID_HEX = /^[0-9a-f]{32}$/;

export function uuidToBase64url(uuid: string): string {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url');
}

/** The UUID a 22-character base64url text encodes; only its canonical spelling is accepted. */
export function base64urlToUuid(text: string): string | undefined {
  const bytes = Buffer.from(text, 'base64url');
  const hex = bytes.toString('hex');
  // 22 characters carry 132 bits for 128: four spellings of each UUID decode alike, only one is minted.
  if (!UUID_HEX.test(hex) || text.length !== 22 || bytes.toString('base64url') !== text) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
