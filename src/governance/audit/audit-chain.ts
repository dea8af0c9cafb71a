import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEvent } from './audit-event.js';

/** The `prev_hash` of a company's first event (and of the chain before any event). */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash covers: every stored field of the event except the two hashes themselves. */
export function hashedContent(event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  return canonicalJson({
    tenantId: event.tenantId,
    seq: event.seq,
    id: event.id,
    occurredAt: event.occurredAt,
    action: event.action,
    outcome: event.outcome,
    actor: event.actor,
    target: event.target,
    requestId: event.requestId,
    ip: event.ip,
    payload: event.payload,
  });
}

/** SHA-256 (hex) of the previous event's hash, a newline, and this event's canonical JSON. */
export function chainHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(`${prevHash}\n${hashedContent(event)}`)
    .digest('hex');
}
