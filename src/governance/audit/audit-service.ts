import { z } from 'zod';
import { NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import type { CompanyRepository } from '../../tenancy/companies/company-repository.js';
import { authorizeOn } from '../../tenancy/policies.js';
import type { AuditEvent } from './audit-event.js';
import { exportLines, type AuditExportFormat } from './audit-export.js';
import type { AuditLog } from './audit-log.js';
import { AUDIT_RETENTION_DAYS } from './audit-retention.js';
import type { VerifyResult } from './audit-verifier.js';

const isoTime = z.iso.datetime({ offset: true }).or(z.iso.date());

/** Filters shared by the API, the export and the CLI. */
export const auditFilterInput = z.object({
  actor: z
    .string()
    .max(200)
    .optional()
    .describe('actor id (user or API key id), or a kind: user, api_key, operator, system, anonymous'),
  action: z
    .string()
    .max(100)
    .regex(/^[a-z_.*]+$/, 'an action such as auth.sign_in, or a family such as auth.*')
    .optional(),
  since: isoTime.optional().describe('from this time (inclusive), ISO 8601'),
  until: isoTime.optional().describe('until this time (exclusive), ISO 8601'),
});
export type AuditFilterInput = z.infer<typeof auditFilterInput>;

const ACTOR_KINDS = new Set(['user', 'api_key', 'operator', 'system', 'anonymous']);

function toFilter(input: AuditFilterInput) {
  return {
    ...(input.actor !== undefined
      ? ACTOR_KINDS.has(input.actor)
        ? { actorKind: input.actor as AuditEvent['actor']['kind'] }
        : { actorId: input.actor }
      : {}),
    action: input.action,
    since: input.since ? new Date(input.since) : undefined,
    until: input.until ? new Date(input.until) : undefined,
  };
}

/** The audit log as its readers see it: company admins over the API, the operator from the CLI. */
export class AuditService {
  constructor(
    private readonly audit: AuditLog,
    private readonly companies: CompanyRepository,
  ) {}

  async list(
    actor: Actor,
    tenantId: string,
    input: AuditFilterInput & { after?: number | undefined; limit: number },
  ): Promise<{ events: AuditEvent[]; nextAfter: number | null }> {
    await this.authorize(actor, tenantId);
    const events = await this.audit.list(tenantId, {
      ...toFilter(input),
      afterSeq: input.after,
      limit: input.limit,
    });
    return { events, nextAfter: events.length === input.limit ? events[events.length - 1]!.seq : null };
  }

  async export(
    actor: Actor,
    tenantId: string,
    input: AuditFilterInput,
    format: AuditExportFormat,
  ): Promise<AsyncIterable<string>> {
    await this.authorize(actor, tenantId);
    return exportLines(this.audit.stream(tenantId, toFilter(input)), format);
  }

  async verify(actor: Actor, tenantId: string): Promise<VerifyResult> {
    await this.authorize(actor, tenantId);
    return this.audit.verify(tenantId);
  }

  /** Retention: the sector preset's days unless the operator names others. */
  async prune(actor: Actor, tenantId: string, days?: number, now?: Date) {
    const company = await this.authorize(actor, tenantId);
    const retentionDays = days ?? AUDIT_RETENTION_DAYS[company.sector];
    return { retentionDays, ...(await this.audit.prune(tenantId, retentionDays, now)) };
  }

  private async authorize(actor: Actor, tenantId: string) {
    const company = await this.companies.findById(tenantId);
    if (!company) throw new NotFoundError('Company');
    authorizeOn(actor, 'audit.read', { tenantId, groupId: company.groupId }, 'Company');
    return company;
  }
}
