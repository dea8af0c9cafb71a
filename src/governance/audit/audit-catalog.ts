import { z } from 'zod';

/**
 * Every audit action Kura records, with the payload it carries. Payloads are strict: a field not
 * listed is refused, so a secret cannot slip into the log by accident. Query text never appears in
 * clear (see query-pseudonym.ts).
 */
const none = z.object({}).strict();
const role = z.string().max(40);
const queryFields = {
  /** HMAC-SHA-256 of the normalised query under the audit key: equal queries match, text stays unknown. */
  queryHmac: z.string().regex(/^[0-9a-f]{64}$/),
  queryLength: z.number().int().min(0),
};

const modelCall = z
  .object({
    provider: z.string().max(200),
    model: z.string().max(200),
    region: z.string().max(40),
    operation: z.string().max(40),
    purpose: z.string().max(100),
    tokensIn: z.number().int().min(0),
    tokensOut: z.number().int().min(0),
    errorCode: z.string().max(100).nullable(),
    /** The user or API key the call was made for; null for background work. */
    callerId: z.string().max(100).nullable(),
  })
  .strict();

export const AUDIT_CATALOG = {
  'auth.sign_in': z
    .object({ method: z.enum(['password', 'sso']), reason: z.string().max(80).optional() })
    .strict(),
  'auth.sign_out': none,
  'apikey.created': z.object({ name: z.string().max(200).optional(), role }).strict(),
  'apikey.revoked': none,
  'user.created': z.object({ role }).strict(),
  'user.updated': z
    .object({
      role: role.optional(),
      disabled: z.boolean().optional(),
      passwordChanged: z.boolean().optional(),
    })
    .strict(),
  'user.deleted': none,
  'source.added': z.object({ kind: z.string().max(40), name: z.string().max(200).optional() }).strict(),
  'source.updated': none,
  'source.removed': z.object({ name: z.string().max(200).optional() }).strict(),
  'source.sync_requested': z.object({ jobId: z.string().optional() }).strict(),
  'document.uploaded': z.object({ files: z.number().int().min(0) }).strict(),
  'document.viewed': none,
  'document.downloaded': none,
  'document.deleted': none,
  'search.query': z.object({ ...queryFields, results: z.number().int().min(0).optional() }).strict(),
  'company.created': z
    .object({ slug: z.string(), sector: z.string().optional(), region: z.string().optional() })
    .strict(),
  'company.updated': z.object({ name: z.boolean().optional(), region: z.string().optional() }).strict(),
  'company.deleted': none,
  'policy.sso_updated': z.object({ issuer: z.string().max(500).optional() }).strict(),
  'policy.sso_removed': none,
  'policy.quota_updated': z
    .object({
      requestsPerMinute: z.number().int().nullable().optional(),
      storageMb: z.number().nullable().optional(),
      monthlyTokens: z.number().int().nullable().optional(),
    })
    .strict(),
  // What a company's residency policy now allows (regions, providers, PII handling): no secret.
  'policy.updated': z
    .object({
      regions: z.array(z.string().max(40)).nullable().optional(),
      providers: z.array(z.string().max(200)).nullable().optional(),
      allowRetaining: z.boolean().optional(),
      pii: z.string().max(40).optional(),
    })
    .strict(),
  // The group's monthly token budget and its split (recorded where the group admin works, and by the
  // operator in every company of the group).
  'policy.group_budget_updated': z
    .object({ monthlyTokens: z.number().int().nullable(), split: z.enum(['shares', 'fixed']).nullable() })
    .strict(),
  // A question to the assistant: like search, the text stays pseudonymised.
  'assistant.ask': z.object({ ...queryFields, citations: z.number().int().min(0).optional() }).strict(),
  // Key management: a company's data key rotated, or every data key re-wrapped under a new master key.
  'keys.rotated': z
    .object({ kind: z.enum(['data_key', 'master_key']), version: z.number().int().optional() })
    .strict(),
  // Chargeback figures read (never content).
  'usage.report_generated': z.object({ month: z.string().max(7), groupId: z.string().max(40) }).strict(),
  // A backup copied the company's data (the master key stays out of it).
  'backup.created': z.object({ database: z.enum(['pglite', 'postgresql']) }).strict(),
  'audit.read': z.object({ format: z.enum(['json', 'jsonl', 'csv']) }).strict(),
  'audit.pruned': z.object({ throughSeq: z.number().int(), events: z.number().int() }).strict(),
  // Every model call (the gateway's metering): what left, to which provider and region, or why not.
  'model.egress': modelCall,
  'model.refused': modelCall,
  'quota.exceeded': z.object({ reason: z.enum(['storage', 'monthly_tokens']), limit: z.number() }).strict(),
} as const satisfies Record<string, z.ZodType<Record<string, unknown>>>;

export type AuditAction = keyof typeof AUDIT_CATALOG;
export type AuditPayload<A extends AuditAction> = z.input<(typeof AUDIT_CATALOG)[A]>;

export const AUDIT_ACTIONS = Object.keys(AUDIT_CATALOG) as AuditAction[];

export function isAuditAction(name: string): name is AuditAction {
  return Object.hasOwn(AUDIT_CATALOG, name);
}
