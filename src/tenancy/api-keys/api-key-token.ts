import { base64urlToUuid, randomToken, sha256Hex, uuidToBase64url } from '../../platform/crypto/tokens.js';

/**
 * An API key reads `kura_` + key id (22) + company id (22) + secret (43), all base64url. Carrying the
 * ids lets the server look the key up inside its company's RLS scope; only the secret's hash is stored.
 */
const PATTERN = /^kura_([A-Za-z0-9_-]{22})([A-Za-z0-9_-]{22})([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  id: string;
  tenantId: string;
  secretHash: string;
}

export function mintApiKey(
  id: string,
  tenantId: string,
): { key: string; prefix: string; secretHash: string } {
  const secret = randomToken(32);
  const key = `kura_${uuidToBase64url(id)}${uuidToBase64url(tenantId)}${secret}`;
  return { key, prefix: key.slice(0, 13), secretHash: sha256Hex(secret) };
}

export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = PATTERN.exec(key);
  if (!match) return undefined;
  const id = base64urlToUuid(match[1]!);
  const tenantId = base64urlToUuid(match[2]!);
  if (!id || !tenantId) return undefined;
  return { id, tenantId, secretHash: sha256Hex(match[3]!) };
}
