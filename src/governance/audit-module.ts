import type { Database } from '../platform/db/database.js';
import type { Logger } from '../platform/log/logger.js';
import type { Tenancy } from '../tenancy/tenancy-module.js';
import { parseSessionToken } from '../tenancy/sessions/session-service.js';
import { AuditKey } from './audit/audit-key.js';
import { AuditLog } from './audit/audit-log.js';
import { AuditRepository } from './audit/audit-repository.js';
import { AuditService } from './audit/audit-service.js';
import { HttpAuditRecorder } from './audit/http-audit-recorder.js';
import { OperatorAuditRecorder } from './audit/operator-audit.js';
import type { AuditLookups } from './audit/http-audit-rules.js';
import { QuotaRepository } from './quotas/quota-repository.js';
import { QuotaService } from './quotas/quota-service.js';
import { RequestRateLimiter } from './quotas/request-rate-limiter.js';

export interface AuditGovernanceOptions {
  /** KURA_AUDIT_KEY, or undefined to use `<dataDir>/audit.key`. */
  auditKey: string | undefined;
  dataDir: string;
  logger: Logger;
}

/** Wires the audit log and quotas over one database: the composition root's governance part. */
export function createAuditGovernance(db: Database, tenancy: Tenancy, options: AuditGovernanceOptions) {
  let key: Promise<AuditKey> | undefined;
  // Loaded on first use: commands that never audit never create the key file.
  const loadKey = () => (key ??= AuditKey.load(options.auditKey, options.dataDir));
  const auditRepo = new AuditRepository(db);
  const audit = new AuditLog(auditRepo, loadKey);
  const lookups: AuditLookups = {
    companyIdBySlug: async (slug) => (await tenancy.repos.companies.findBySlug(slug))?.id,
    userIdByEmail: async (tenantId, email) =>
      (await tenancy.repos.users.findByEmailWithSecret(tenantId, email))?.id,
    sessionOwner: async (token) => {
      if (!parseSessionToken(token)) return undefined;
      const session = await tenancy.sessions.resolve(token);
      return session && { tenantId: session.tenantId, userId: session.userId };
    },
  };
  const quotas = new QuotaService(new QuotaRepository(db), tenancy.repos.companies);
  return {
    audit,
    auditKey: loadKey,
    /** Reading, exporting, verifying and pruning the log, with authorisation. */
    auditService: new AuditService(audit, tenancy.repos.companies),
    httpAudit: new HttpAuditRecorder(audit, loadKey, lookups, options.logger),
    operatorAudit: new OperatorAuditRecorder(
      audit,
      loadKey,
      lookups.companyIdBySlug,
      options.logger,
      async () => (await tenancy.repos.companies.listAll()).map((c) => c.id),
    ),
    quotas,
    rateLimiter: new RequestRateLimiter(),
  };
}

export type AuditGovernance = ReturnType<typeof createAuditGovernance>;
