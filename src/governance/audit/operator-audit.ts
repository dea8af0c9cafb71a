import type { Logger } from '../../platform/log/logger.js';
import type { AuditAction, AuditPayload } from './audit-catalog.js';
import type { AuditKey } from './audit-key.js';
import type { AuditLog } from './audit-log.js';
import { pseudonymiseQuery } from './query-pseudonym.js';

type Args = Record<string, unknown>;
type Result = Record<string, unknown> | undefined;

interface OperatorEvent<A extends AuditAction = AuditAction> {
  action: A;
  payload: AuditPayload<A>;
  target?: { type: string; id: string } | null;
  /** The company's id when the result names it (a company just created); else args.tenant is resolved. */
  tenantId?: string;
  /** Several companies' logs (a group's budget, a master key, a backup): recorded in each. */
  tenantIds?: string[] | 'all';
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const event = <A extends AuditAction>(e: OperatorEvent<A>): OperatorEvent => e as unknown as OperatorEvent;
const companyIdsOf = (result: Result): string[] =>
  Array.isArray(result?.companies)
    ? (result.companies as { companyId?: unknown }[])
        .map((c) => str(c.companyId))
        .filter((id) => id !== undefined)
    : [];
const idOf = (result: Result, type: string) => (str(result?.id) ? { type, id: str(result?.id)! } : null);

/** Which operator (CLI) operations write which audit events, from their arguments and result. */
const OPERATOR_RULES: Record<
  string,
  (args: Args, result: Result, key: AuditKey) => OperatorEvent | undefined
> = {
  'tenant.create': (a, r) =>
    str(r?.id)
      ? event({
          action: 'company.created',
          tenantId: str(r?.id)!,
          target: idOf(r, 'company'),
          payload: { slug: str(a.slug) ?? '', sector: str(r?.sector), region: str(r?.region) },
        })
      : undefined,
  'user.create': (a, r) =>
    event({
      action: 'user.created',
      target: idOf(r?.user as Result, 'user'),
      payload: { role: str(a.role) ?? 'member' },
    }),
  'apikey.create': (a, r) =>
    event({
      action: 'apikey.created',
      target: idOf(r?.apiKey as Result, 'api_key'),
      payload: { role: str(a.role) ?? 'member', ...(str(a.name) ? { name: str(a.name) } : {}) },
    }),
  'tenant.set-sso': (a) => event({ action: 'policy.sso_updated', payload: { issuer: str(a.issuer) } }),
  'source.add': (a, r) =>
    event({
      action: 'source.added',
      target: idOf(r, 'source'),
      payload: { kind: str(a.kind) ?? 'unknown', name: str(r?.name) },
    }),
  'source.remove': (a) => event({ action: 'source.removed', payload: { name: str(a.source) } }),
  'source.sync': () => event({ action: 'source.sync_requested', payload: {} }),
  'search.query': (a, r, key) =>
    event({
      action: 'search.query',
      payload: {
        ...pseudonymiseQuery(key, str(a.q) ?? ''),
        ...(Array.isArray(r?.results) ? { results: (r.results as unknown[]).length } : {}),
      },
    }),
  'tenant.set-quota': (a) =>
    event({
      action: 'policy.quota_updated',
      payload: {
        ...(a.requestsPerMinute !== undefined
          ? { requestsPerMinute: a.requestsPerMinute as number | null }
          : {}),
        ...(a.storageMb !== undefined ? { storageMb: a.storageMb as number | null } : {}),
        ...(a.monthlyTokens !== undefined ? { monthlyTokens: a.monthlyTokens as number | null } : {}),
      },
    }),
  'tenant.set-policy': (a) =>
    Object.keys(a).length > 1
      ? event({
          action: 'policy.updated',
          payload: {
            ...(a.allowedRegions !== undefined ? { regions: a.allowedRegions as string[] | null } : {}),
            ...(a.allowedProviders !== undefined ? { providers: a.allowedProviders as string[] | null } : {}),
            ...(typeof a.allowRetaining === 'boolean' ? { allowRetaining: a.allowRetaining } : {}),
            ...(str(a.piiMode) ? { pii: str(a.piiMode) } : {}),
          },
        })
      : undefined,
  'assistant.ask': (a, r, key) =>
    event({
      action: 'assistant.ask',
      payload: {
        ...pseudonymiseQuery(key, str(a.question) ?? ''),
        ...(Array.isArray(r?.citations) ? { citations: (r.citations as unknown[]).length } : {}),
      },
    }),
  'keys.rotate-data-key': (a, r) =>
    a.tenant === 'global'
      ? undefined
      : event({
          action: 'keys.rotated',
          payload: { kind: 'data_key', ...(typeof r?.version === 'number' ? { version: r.version } : {}) },
        }),
  'keys.rotate-master': () =>
    event({ action: 'keys.rotated', tenantIds: 'all', payload: { kind: 'master_key' } }),
  'usage.report': (a, r) =>
    event({
      action: 'usage.report_generated',
      tenantIds: companyIdsOf(r),
      payload: { month: str(a.month) ?? '', groupId: str(r?.groupId) ?? '' },
    }),
  'group.budget.set': (a, r) =>
    event({
      action: 'policy.group_budget_updated',
      tenantIds: companyIdsOf(r),
      payload: {
        monthlyTokens: (r?.monthlyTokens as number | null | undefined) ?? null,
        split: (r?.split as 'shares' | 'fixed' | null | undefined) ?? null,
      },
    }),
  'group.budget.remove': (a, r) =>
    event({
      action: 'policy.group_budget_updated',
      tenantIds: companyIdsOf(r),
      payload: { monthlyTokens: null, split: null },
    }),
  'backup.create': (a, r) =>
    event({
      action: 'backup.created',
      tenantIds: 'all',
      payload: { database: r?.database === 'postgresql' ? 'postgresql' : 'pglite' },
    }),
  'audit.export': (a) =>
    event({ action: 'audit.read', payload: { format: a.format === 'csv' ? 'csv' : 'jsonl' } }),
};

/** Writes the audit event of an operator operation that worked; the operator is the actor. */
export class OperatorAuditRecorder {
  constructor(
    private readonly audit: AuditLog,
    private readonly key: () => Promise<AuditKey>,
    private readonly companyIdBySlug: (slug: string) => Promise<string | undefined>,
    private readonly logger: Logger,
    private readonly allCompanyIds: () => Promise<string[]> = async () => [],
  ) {}

  async record(operation: string, args: unknown, result: unknown): Promise<void> {
    const rule = OPERATOR_RULES[operation];
    if (!rule) return;
    try {
      const a = (args ?? {}) as Args;
      const e = rule(a, (result ?? undefined) as Result, await this.key());
      if (!e) return;
      if (e.tenantIds) {
        const ids = e.tenantIds === 'all' ? await this.allCompanyIds() : e.tenantIds;
        for (const id of ids) {
          await this.audit.record(id, {
            action: e.action,
            payload: e.payload,
            actor: { kind: 'operator', id: null },
            target: e.target ?? null,
          });
        }
        return;
      }
      const tenantId = e.tenantId ?? (str(a.tenant) ? await this.companyIdBySlug(str(a.tenant)!) : undefined);
      if (!tenantId) return;
      await this.audit.record(tenantId, {
        action: e.action,
        payload: e.payload,
        actor: { kind: 'operator', id: null },
        target: e.target ?? null,
      });
    } catch (error) {
      this.logger.error({ err: error, operation }, 'audit event not written');
    }
  }
}
