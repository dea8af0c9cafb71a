/** The audit page's filters and their query string (the same for a page of events and for the export). */

export interface AuditEvent {
  seq: number;
  id: string;
  occurredAt: string;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actor: { kind: string; id: string | null };
  target: { type: string; id: string } | null;
  requestId: string | null;
  ip: string | null;
  payload: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditEvent[];
  nextAfter: number | null;
}

export interface AuditFilter {
  actor: string;
  action: string;
  /** datetime-local values (the browser's time zone); empty: no bound. */
  since: string;
  until: string;
}

export const NO_FILTER: AuditFilter = { actor: '', action: '', since: '', until: '' };
export const PAGE_SIZE = 50;

const iso = (local: string) => new Date(local).toISOString();

export function filterParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.actor.trim()) params.set('actor', filter.actor.trim());
  if (filter.action.trim()) params.set('action', filter.action.trim());
  if (filter.since) params.set('since', iso(filter.since));
  if (filter.until) params.set('until', iso(filter.until));
  return params;
}

/** What is wrong with the filter before asking the server (its own checks answer too). */
export function filterProblem(filter: AuditFilter): 'action' | 'range' | null {
  if (filter.action.trim() && !/^[a-z_.*]+$/.test(filter.action.trim())) return 'action';
  if (filter.since && filter.until && new Date(filter.since) >= new Date(filter.until)) return 'range';
  return null;
}
