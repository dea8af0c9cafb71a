/**
 * Upper bound on token length in code points. PostgreSQL refuses lexemes over
 * 2047 bytes; 64 code points (≤ 256 UTF-8 bytes) keeps far below that while no
 * real word is affected. Longer tokens (base64, hashes) are truncated.
 */
export const MAX_TOKEN_CODE_POINTS = 64;

export function clampToken(token: string): string {
  if (token.length <= MAX_TOKEN_CODE_POINTS) return token;
  return Array.from(token).slice(0, MAX_TOKEN_CODE_POINTS).join('');
}
