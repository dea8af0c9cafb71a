import type { AuditKey } from './audit-key.js';

/**
 * What the audit log keeps of a search or question: an HMAC of the normalised text and its length.
 * The same query asked twice gives the same value (an auditor can count repeats or check a known
 * query), but the text cannot be read back. The PII pseudonymiser (governance/pii) replaces this
 * with reversible, policy-controlled pseudonyms when it lands.
 */
export function pseudonymiseQuery(key: AuditKey, text: string): { queryHmac: string; queryLength: number } {
  const normalised = text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  return { queryHmac: key.mac('query', normalised), queryLength: [...normalised].length };
}
