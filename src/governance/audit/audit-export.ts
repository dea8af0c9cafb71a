import type { AuditEvent } from './audit-event.js';

export type AuditExportFormat = 'jsonl' | 'csv';

/** One JSON object per line: every stored field, hashes included, so a copy can be verified offline. */
export const toJsonLine = (event: AuditEvent): string => `${JSON.stringify(event)}\n`;

export const CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'action',
  'outcome',
  'actor_kind',
  'actor_id',
  'target_type',
  'target_id',
  'request_id',
  'ip',
  'payload',
  'prev_hash',
  'hash',
] as const;

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

/** RFC 4180; cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export function toCsvRow(event: AuditEvent): string {
  const cells = [
    String(event.seq),
    event.occurredAt,
    event.action,
    event.outcome,
    event.actor.kind,
    event.actor.id ?? '',
    event.target?.type ?? '',
    event.target?.id ?? '',
    event.requestId ?? '',
    event.ip ?? '',
    JSON.stringify(event.payload),
    event.prevHash,
    event.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export async function* exportLines(
  events: AsyncIterable<AuditEvent>,
  format: AuditExportFormat,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  for await (const event of events) yield format === 'csv' ? toCsvRow(event) : toJsonLine(event);
}
