/** Who did it. `system` is Kura itself (jobs, retention); `anonymous` a caller not yet signed in. */
export interface AuditActor {
  kind: 'user' | 'api_key' | 'operator' | 'system' | 'anonymous';
  id: string | null;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** One stored audit event, as the hash chain covers it. */
export interface AuditEvent {
  tenantId: string;
  /** 1, 2, 3 … per company. */
  seq: number;
  id: string;
  /** ISO 8601 with milliseconds, UTC. */
  occurredAt: string;
  action: string;
  outcome: AuditOutcome;
  actor: AuditActor;
  target: { type: string; id: string } | null;
  requestId: string | null;
  ip: string | null;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
