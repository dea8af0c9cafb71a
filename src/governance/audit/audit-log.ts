import { randomUUID } from 'node:crypto';
import { InvalidRequestError, ConflictError } from '../../platform/errors/errors.js';
import { AUDIT_CATALOG, type AuditAction, type AuditPayload } from './audit-catalog.js';
import { chainHash } from './audit-chain.js';
import type { AuditActor, AuditEvent, AuditOutcome } from './audit-event.js';
import type { AuditKey } from './audit-key.js';
import type { AuditFilter, AuditRepository } from './audit-repository.js';
import { checkpointPayload, verifyChain, type VerifyResult } from './audit-verifier.js';

export interface AuditEventInput<A extends AuditAction = AuditAction> {
  action: A;
  payload: AuditPayload<A>;
  actor: AuditActor;
  outcome?: AuditOutcome;
  target?: { type: string; id: string } | null;
  requestId?: string | null;
  ip?: string | null;
  occurredAt?: Date;
}

const PAGE = 1_000;

/** The append-only, hash-chained audit log of each company. */
export class AuditLog {
  constructor(
    private readonly repo: AuditRepository,
    private readonly key: () => Promise<AuditKey>,
  ) {}

  async record<A extends AuditAction>(tenantId: string, input: AuditEventInput<A>): Promise<AuditEvent> {
    const parsed = AUDIT_CATALOG[input.action].safeParse(input.payload);
    if (!parsed.success) {
      throw new InvalidRequestError(`audit payload for ${input.action}: ${parsed.error.issues[0]?.message}`);
    }
    const occurredAt = (input.occurredAt ?? new Date()).toISOString();
    const id = randomUUID();
    return this.repo.append(tenantId, (seq, prevHash) => {
      const content = {
        tenantId,
        seq,
        id,
        occurredAt,
        action: input.action,
        outcome: input.outcome ?? 'success',
        actor: { kind: input.actor.kind, id: input.actor.id || null },
        target: input.target ?? null,
        requestId: input.requestId ?? null,
        ip: input.ip ?? null,
        payload: parsed.data as Record<string, unknown>,
      };
      return { ...content, prevHash, hash: chainHash(prevHash, content) };
    });
  }

  list(tenantId: string, filter: AuditFilter): Promise<AuditEvent[]> {
    return this.repo.list(tenantId, filter);
  }

  /** Every event matching the filter, page by page (exports of any size in bounded memory). */
  async *stream(
    tenantId: string,
    filter: Omit<AuditFilter, 'limit' | 'afterSeq'>,
  ): AsyncGenerator<AuditEvent> {
    let afterSeq: number | undefined;
    for (;;) {
      const page = await this.repo.list(tenantId, { ...filter, afterSeq, limit: PAGE });
      yield* page;
      if (page.length < PAGE) return;
      afterSeq = page[page.length - 1]!.seq;
    }
  }

  async verify(tenantId: string): Promise<VerifyResult> {
    const [checkpoint, head, key] = await Promise.all([
      this.repo.latestCheckpoint(tenantId),
      this.repo.head(tenantId),
      this.key(),
    ]);
    // From the first stored event: one planted below the checkpoint is caught too.
    return verifyChain({
      events: this.stream(tenantId, {}),
      head,
      checkpoint,
      key,
    });
  }

  /**
   * Deletes events older than `retentionDays`, after checking the whole chain and writing a signed
   * checkpoint of the last deleted event, so `verify` still proves the rest. A broken chain is never
   * pruned: that would destroy the evidence.
   */
  async prune(
    tenantId: string,
    retentionDays: number,
    now = new Date(),
  ): Promise<{ pruned: number; throughSeq: number | null }> {
    if (!(retentionDays >= 1)) throw new InvalidRequestError('retention must be at least one day');
    const verified = await this.verify(tenantId);
    if (!verified.ok) {
      throw new ConflictError(
        `the audit log is broken at event ${verified.seq}: ${verified.message}; nothing pruned`,
        'audit_chain_broken',
      );
    }
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    const last = await this.repo.lastBefore(tenantId, cutoff);
    if (!last) return { pruned: 0, throughSeq: null };
    const previous = await this.repo.latestCheckpoint(tenantId);
    const unsigned = {
      tenantId,
      seq: last.seq,
      hash: last.hash,
      prunedEvents: last.seq - (previous?.seq ?? 0),
      prunedBefore: cutoff.toISOString(),
      createdAt: now.toISOString(),
    };
    const key = await this.key();
    const pruned = await this.repo.prune({
      ...unsigned,
      signature: key.mac('checkpoint', checkpointPayload(unsigned)),
    });
    await this.record(tenantId, {
      action: 'audit.pruned',
      payload: { throughSeq: last.seq, events: pruned },
      actor: { kind: 'system', id: null },
      target: { type: 'audit_log', id: tenantId },
    });
    return { pruned, throughSeq: last.seq };
  }
}
