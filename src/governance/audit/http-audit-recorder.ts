import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../platform/log/logger.js';
import type { AuditLog } from './audit-log.js';
import type { AuditKey } from './audit-key.js';
import type { AuditOutcome } from './audit-event.js';
import { HTTP_AUDIT_RULES, type AuditLookups, type HttpAuditContext } from './http-audit-rules.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SESSION_COOKIE = /(?:^|;\s*)kura_session=([^;]+)/;

export const outcomeOf = (status: number): AuditOutcome =>
  status < 400 ? 'success' : status === 401 || status === 403 || status === 404 ? 'denied' : 'failure';

/**
 * Writes the audit event of each audited route before its response leaves (so a client that saw the
 * answer can find the event). A failure to write is logged as an error and does not fail the
 * request: the action itself already happened.
 */
export class HttpAuditRecorder {
  constructor(
    private readonly audit: AuditLog,
    private readonly key: () => Promise<AuditKey>,
    private readonly lookups: AuditLookups,
    private readonly logger: Logger,
  ) {}

  async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
    const rule = HTTP_AUDIT_RULES[`${request.method} ${request.routeOptions.url ?? ''}`];
    // Rate-limited requests never reached the route: counting them in the log would let a flood fill it.
    if (!rule || reply.statusCode === 429) return;
    if (rule.only === 'success' && reply.statusCode >= 400) return;
    try {
      const context: HttpAuditContext = {
        request,
        status: reply.statusCode,
        response: parseJson(payload, reply),
        key: await this.key(),
        lookups: this.lookups,
        issuedSession: issuedSession(reply),
      };
      const actor = request.actor;
      const subject =
        (await rule.subject?.(context)) ??
        (actor?.tenantId
          ? { tenantId: actor.tenantId, actor: { kind: actor.kind, id: actor.id || null } }
          : undefined);
      if (!subject) return;
      await this.audit.record(subject.tenantId, {
        action: rule.action,
        payload: rule.payload(context),
        actor: subject.actor,
        outcome: outcomeOf(reply.statusCode),
        target: rule.target?.(context) ?? null,
        requestId: SAFE_REQUEST_ID.test(request.id) ? request.id : null,
        ip: request.ip,
      });
    } catch (error) {
      this.logger.error(
        { err: error, action: rule.action, requestId: request.id },
        'audit event not written',
      );
    }
  }
}

function parseJson(payload: unknown, reply: FastifyReply): Record<string, unknown> | undefined {
  const type = String(reply.getHeader('content-type') ?? '');
  if (typeof payload !== 'string' || !type.includes('json')) return undefined;
  try {
    const value: unknown = JSON.parse(payload);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function issuedSession(reply: FastifyReply): string | undefined {
  const header = reply.getHeader('set-cookie');
  const cookies = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  for (const cookie of cookies) {
    const match = SESSION_COOKIE.exec(String(cookie));
    if (match && match[1] !== '') return decodeURIComponent(match[1]!);
  }
  return undefined;
}
