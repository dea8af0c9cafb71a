import { canonicalJson } from './canonical-json.js';
import { chainHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditKey } from './audit-key.js';
import type { AuditCheckpoint } from './audit-repository.js';

export type VerifyProblem =
  | 'missing' // a sequence number is absent: the event was deleted
  | 'hash_mismatch' // the content no longer gives its hash: edited, or moved to another position
  | 'broken_link' // the event does not name the previous event's hash: inserted or reordered
  | 'beyond_head' // events after the chain head: appended behind Kura's back
  | 'head_mismatch' // the head does not point at the last event: the newest events were removed or replaced
  | 'checkpoint_forged'; // a retention checkpoint without Kura's signature

export type VerifyResult =
  | {
      ok: true;
      events: number;
      firstSeq: number | null;
      lastSeq: number | null;
      checkpointSeq: number | null;
    }
  | { ok: false; seq: number; problem: VerifyProblem; message: string; checked: number };

/** The signed part of a checkpoint. */
export const checkpointPayload = (c: Omit<AuditCheckpoint, 'signature'>): string =>
  canonicalJson({
    tenantId: c.tenantId,
    seq: c.seq,
    hash: c.hash,
    prunedEvents: c.prunedEvents,
    prunedBefore: c.prunedBefore,
    createdAt: c.createdAt,
  });

/**
 * Walks a company's events in sequence order (from the latest retention checkpoint, if any) and
 * reports the first one that breaks the chain, and why.
 */
export async function verifyChain(input: {
  events: AsyncIterable<AuditEvent>;
  head: { seq: number; hash: string } | undefined;
  checkpoint: AuditCheckpoint | undefined;
  key: AuditKey;
}): Promise<VerifyResult> {
  const { checkpoint } = input;
  let checked = 0;
  const fail = (seq: number, problem: VerifyProblem, message: string): VerifyResult => ({
    ok: false,
    seq,
    problem,
    message,
    checked,
  });
  if (checkpoint && input.key.mac('checkpoint', checkpointPayload(checkpoint)) !== checkpoint.signature) {
    return fail(
      checkpoint.seq,
      'checkpoint_forged',
      `checkpoint at event ${checkpoint.seq} is not signed by this Kura's audit key`,
    );
  }
  let expectedSeq = checkpoint ? checkpoint.seq + 1 : 1;
  let prevHash = checkpoint ? checkpoint.hash : GENESIS_HASH;
  let firstSeq: number | null = null;
  for await (const event of input.events) {
    if (event.seq > expectedSeq) {
      const gap = event.seq - expectedSeq;
      return fail(
        expectedSeq,
        'missing',
        `event ${expectedSeq} is missing (deleted${gap > 1 ? `, with ${gap - 1} more after it` : ''}); the next stored event is ${event.seq}`,
      );
    }
    if (event.seq < expectedSeq) {
      return fail(
        event.seq,
        'broken_link',
        `event ${event.seq} is older than the retention checkpoint it follows`,
      );
    }
    const { prevHash: _p, hash: _h, ...content } = event;
    if (chainHash(event.prevHash, content) !== event.hash) {
      return fail(
        event.seq,
        'hash_mismatch',
        `event ${event.seq} (${event.action}) does not match its hash: it was edited or moved`,
      );
    }
    if (event.prevHash !== prevHash) {
      return fail(
        event.seq,
        'broken_link',
        `event ${event.seq} (${event.action}) does not follow event ${event.seq - 1}: an event was inserted or the order changed`,
      );
    }
    firstSeq ??= event.seq;
    prevHash = event.hash;
    expectedSeq = event.seq + 1;
    checked += 1;
  }
  const lastSeq = expectedSeq - 1;
  const head = input.head;
  if (head && head.seq > lastSeq) {
    return fail(
      lastSeq + 1,
      'missing',
      `events ${lastSeq + 1}..${head.seq} are missing (deleted from the end of the log)`,
    );
  }
  if (head && head.seq < lastSeq) {
    return fail(
      head.seq + 1,
      'beyond_head',
      `event ${head.seq + 1} lies beyond the chain head (${head.seq}): it was added outside Kura`,
    );
  }
  if (head && head.hash !== prevHash) {
    return fail(
      lastSeq,
      'head_mismatch',
      `event ${lastSeq} is not the event the chain head recorded: it was replaced`,
    );
  }
  if (!head && lastSeq > 0) {
    return fail(1, 'head_mismatch', 'the chain head is missing while events exist');
  }
  return {
    ok: true,
    events: checked,
    firstSeq,
    lastSeq: lastSeq > 0 ? lastSeq : null,
    checkpointSeq: checkpoint?.seq ?? null,
  };
}
