import type { Database, Queryable } from '../../platform/db/database.js';
import { GENESIS_HASH } from './audit-chain.js';
import type { AuditEvent } from './audit-event.js';

interface EventRow {
  tenant_id: string;
  seq: string | number;
  id: string;
  occurred_at: Date | string;
  action: string;
  outcome: AuditEvent['outcome'];
  actor_kind: AuditEvent['actor']['kind'];
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const toEvent = (row: EventRow): AuditEvent => ({
  tenantId: row.tenant_id,
  seq: Number(row.seq),
  id: row.id,
  occurredAt: new Date(row.occurred_at).toISOString(),
  action: row.action,
  outcome: row.outcome,
  actor: { kind: row.actor_kind, id: row.actor_id },
  target:
    row.target_type !== null && row.target_id !== null ? { type: row.target_type, id: row.target_id } : null,
  requestId: row.request_id,
  ip: row.ip,
  payload: row.payload,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export interface AuditFilter {
  actorId?: string | undefined;
  actorKind?: AuditEvent['actor']['kind'] | undefined;
  action?: string | undefined;
  /** Inclusive. */
  since?: Date | undefined;
  /** Exclusive. */
  until?: Date | undefined;
  /** Keyset pagination: events after this sequence number. */
  afterSeq?: number | undefined;
  limit: number;
}

export interface AuditCheckpoint {
  tenantId: string;
  seq: number;
  hash: string;
  prunedEvents: number;
  prunedBefore: string;
  createdAt: string;
  signature: string;
}

/** Audit rows: the application role appends and reads; only the owner prunes (see migration 0008). */
export class AuditRepository {
  constructor(private readonly db: Database) {}

  /**
   * Appends one event at the head of the company's chain. The head row is taken with an upsert, which
   * locks it until commit: concurrent writers of one company queue there (and only there), so
   * sequence numbers never repeat or skip and each event links to the one committed before it.
   */
  async append(tenantId: string, build: (seq: number, prevHash: string) => AuditEvent): Promise<AuditEvent> {
    return this.db.tenant(tenantId, async (tx) => {
      const [head] = await tx.query<{ seq: string | number; hash: string }>(
        `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 1, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_heads.seq + 1
         RETURNING seq, hash`,
        [tenantId, GENESIS_HASH],
      );
      const event = build(Number(head!.seq), head!.hash);
      await insertEventAndMoveHead(tx, event);
      return event;
    });
  }

  async list(tenantId: string, filter: AuditFilter): Promise<AuditEvent[]> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.actorId !== undefined) add('actor_id = ?', filter.actorId);
    if (filter.actorKind !== undefined) add('actor_kind = ?', filter.actorKind);
    if (filter.action !== undefined) {
      // `auth.*` selects a family of actions.
      if (filter.action.endsWith('.*')) add("action LIKE ? || '.%'", filter.action.slice(0, -2));
      else add('action = ?', filter.action);
    }
    if (filter.since) add('occurred_at >= ?', filter.since.toISOString());
    if (filter.until) add('occurred_at < ?', filter.until.toISOString());
    if (filter.afterSeq !== undefined) add('seq > ?', filter.afterSeq);
    params.push(filter.limit);
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<EventRow>(
        `SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
        params,
      ),
    );
    return rows.map(toEvent);
  }

  async head(tenantId: string): Promise<{ seq: number; hash: string } | undefined> {
    const [row] = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ seq: string | number; hash: string }>(
        'SELECT seq, hash FROM audit_heads WHERE tenant_id = $1',
        [tenantId],
      ),
    );
    return row && { seq: Number(row.seq), hash: row.hash };
  }

  async latestCheckpoint(tenantId: string): Promise<AuditCheckpoint | undefined> {
    const [row] = await this.db.tenant(tenantId, (tx) =>
      tx.query<Record<string, unknown>>(
        'SELECT * FROM audit_checkpoints WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1',
        [tenantId],
      ),
    );
    return row && toCheckpoint(row);
  }

  /** The newest event that occurred before `cutoff`: retention prunes up to it. */
  async lastBefore(tenantId: string, cutoff: Date): Promise<AuditEvent | undefined> {
    const [row] = await this.db.tenant(tenantId, (tx) =>
      tx.query<EventRow>(
        'SELECT * FROM audit_events WHERE tenant_id = $1 AND occurred_at < $2 ORDER BY seq DESC LIMIT 1',
        [tenantId, cutoff.toISOString()],
      ),
    );
    return row && toEvent(row);
  }

  /**
   * Writes the checkpoint and deletes the events it covers, in one owner transaction: either both
   * happen or neither. The owner role is needed because the application role cannot delete audit rows.
   */
  async prune(checkpoint: AuditCheckpoint): Promise<number> {
    return this.db.owner(async (tx) => {
      await tx.query(
        `SELECT set_config('kura.audit_erase', 'on', true), set_config('app.tenant_id', $1, true)`,
        [checkpoint.tenantId],
      );
      await tx.query(
        `INSERT INTO audit_checkpoints (tenant_id, seq, hash, pruned_events, pruned_before, created_at, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          checkpoint.tenantId,
          checkpoint.seq,
          checkpoint.hash,
          checkpoint.prunedEvents,
          checkpoint.prunedBefore,
          checkpoint.createdAt,
          checkpoint.signature,
        ],
      );
      const deleted = await tx.query<{ seq: unknown }>(
        'DELETE FROM audit_events WHERE tenant_id = $1 AND seq <= $2 RETURNING seq',
        [checkpoint.tenantId, checkpoint.seq],
      );
      return deleted.length;
    });
  }
}

/** One statement (one round trip): the event row, and the head pointing at it. */
async function insertEventAndMoveHead(tx: Queryable, e: AuditEvent): Promise<void> {
  await tx.query(
    `WITH event AS (
       INSERT INTO audit_events (tenant_id, seq, id, occurred_at, action, outcome, actor_kind, actor_id,
         target_type, target_id, request_id, ip, payload, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING tenant_id, hash)
     UPDATE audit_heads h SET hash = event.hash FROM event WHERE h.tenant_id = event.tenant_id`,
    [
      e.tenantId,
      e.seq,
      e.id,
      e.occurredAt,
      e.action,
      e.outcome,
      e.actor.kind,
      e.actor.id,
      e.target?.type ?? null,
      e.target?.id ?? null,
      e.requestId,
      e.ip,
      JSON.stringify(e.payload),
      e.prevHash,
      e.hash,
    ],
  );
}

function toCheckpoint(row: Record<string, unknown>): AuditCheckpoint {
  return {
    tenantId: String(row.tenant_id),
    seq: Number(row.seq),
    hash: String(row.hash),
    prunedEvents: Number(row.pruned_events),
    prunedBefore: new Date(row.pruned_before as string).toISOString(),
    createdAt: new Date(row.created_at as string).toISOString(),
    signature: String(row.signature),
  };
}
