import type { FastifyRequest } from 'fastify';
import type { AuditAction, AuditPayload } from './audit-catalog.js';
import type { AuditActor } from './audit-event.js';
import type { AuditKey } from './audit-key.js';
import { pseudonymiseQuery } from './query-pseudonym.js';

/** What the recorder knows about one finished request. */
export interface HttpAuditContext {
  request: FastifyRequest;
  status: number;
  /** The JSON response body, when there is one. */
  response: Record<string, unknown> | undefined;
  key: AuditKey;
  lookups: AuditLookups;
  /** The session cookie this response sets (sign-in), if any. */
  issuedSession: string | undefined;
}

/** Reads the recorder needs where the route has no authenticated caller (sign-in). */
export interface AuditLookups {
  companyIdBySlug(slug: string): Promise<string | undefined>;
  userIdByEmail(tenantId: string, email: string): Promise<string | undefined>;
  /** The company and user of a session cookie just issued. */
  sessionOwner(token: string): Promise<{ tenantId: string; userId: string } | undefined>;
}

export interface HttpAuditRule<A extends AuditAction = AuditAction> {
  action: A;
  payload: (c: HttpAuditContext) => AuditPayload<A>;
  target?: (c: HttpAuditContext) => { type: string; id: string } | null;
  /** The company whose log gets the event and the actor, when not the authenticated caller's. */
  subject?: (c: HttpAuditContext) => Promise<{ tenantId: string; actor: AuditActor } | undefined>;
  /** Record only these outcomes (default: all). */
  only?: 'success';
}

const rule = <A extends AuditAction>(r: HttpAuditRule<A>): HttpAuditRule => r as unknown as HttpAuditRule;
const body = (c: HttpAuditContext) => (c.request.body ?? {}) as Record<string, unknown>;
const params = (c: HttpAuditContext) => (c.request.params ?? {}) as Record<string, string>;
const query = (c: HttpAuditContext) => (c.request.query ?? {}) as Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const byParam = (type: string) => (c: HttpAuditContext) =>
  params(c).id ? { type, id: params(c).id! } : null;
const byResponse =
  (type: string, pick: (r: Record<string, unknown>) => unknown = (r) => r.id) =>
  (c: HttpAuditContext) => {
    const id = c.response ? str(pick(c.response)) : undefined;
    return id ? { type, id } : null;
  };
const sessionCookie = (c: HttpAuditContext): string | undefined => c.issuedSession;
/** A change that worked goes into the changed company's log; a refused one into the caller's. */
const intoTargetCompany = async (c: HttpAuditContext) => {
  const actor = c.request.actor;
  if (!actor || c.status >= 400 || !params(c).id) return undefined;
  return { tenantId: params(c).id!, actor: { kind: actor.kind, id: actor.id || null } };
};

/** Sign-in: the company named in the body; the user, when the e-mail belongs to one. */
async function signInSubject(c: HttpAuditContext) {
  const issued = sessionCookie(c);
  const owner = issued ? await c.lookups.sessionOwner(issued) : undefined;
  if (owner) return { tenantId: owner.tenantId, actor: { kind: 'user' as const, id: owner.userId } };
  const slug = str(body(c).company)?.trim().toLowerCase();
  const tenantId = slug ? await c.lookups.companyIdBySlug(slug) : undefined;
  if (!tenantId) return undefined; // no such company: nothing to record in (the log line remains)
  const email = str(body(c).email)?.trim().toLowerCase();
  const userId = email ? await c.lookups.userIdByEmail(tenantId, email) : undefined;
  return {
    tenantId,
    actor: { kind: userId ? ('user' as const) : ('anonymous' as const), id: userId ?? null },
  };
}

async function ssoSubject(c: HttpAuditContext) {
  const issued = sessionCookie(c);
  const owner = issued ? await c.lookups.sessionOwner(issued) : undefined;
  return owner && { tenantId: owner.tenantId, actor: { kind: 'user' as const, id: owner.userId } };
}

/**
 * Which HTTP routes write which audit events. Routes stay thin: this table, read by one onSend hook,
 * is the only place that knows about auditing HTTP calls. Key: `<METHOD> <route pattern>`.
 */
export const HTTP_AUDIT_RULES: Record<string, HttpAuditRule> = {
  'POST /api/v1/auth/login': rule({
    action: 'auth.sign_in',
    subject: signInSubject,
    payload: (c) => ({
      method: 'password',
      ...(c.status >= 400
        ? { reason: str((c.response?.error as { code?: string } | undefined)?.code) ?? 'failed' }
        : {}),
    }),
  }),
  // The IdP's redirect back always answers 302; a session cookie is what tells success apart.
  'GET /api/v1/auth/sso/callback': rule({
    action: 'auth.sign_in',
    subject: ssoSubject,
    only: 'success',
    payload: () => ({ method: 'sso' }),
  }),
  'POST /api/v1/api-keys': rule({
    action: 'apikey.created',
    target: byResponse('api_key', (r) => (r.apiKey as { id?: string } | undefined)?.id),
    payload: (c) => ({
      role: str(body(c).role) ?? 'member',
      ...(str(body(c).name) ? { name: str(body(c).name) } : {}),
    }),
  }),
  'DELETE /api/v1/api-keys/:id': rule({
    action: 'apikey.revoked',
    target: byParam('api_key'),
    payload: () => ({}),
  }),
  'POST /api/v1/users': rule({
    action: 'user.created',
    target: byResponse('user', (r) => (r.user as { id?: string } | undefined)?.id ?? r.id),
    payload: (c) => ({ role: str(body(c).role) ?? 'member' }),
  }),
  'PATCH /api/v1/users/:id': rule({
    action: 'user.updated',
    target: byParam('user'),
    payload: (c) => {
      const b = body(c);
      return {
        ...(str(b.role) ? { role: str(b.role) } : {}),
        ...(typeof b.disabled === 'boolean' ? { disabled: b.disabled } : {}),
        ...(b.password !== undefined ? { passwordChanged: true } : {}),
      };
    },
  }),
  'DELETE /api/v1/users/:id': rule({ action: 'user.deleted', target: byParam('user'), payload: () => ({}) }),
  'POST /api/v1/sources': rule({
    action: 'source.added',
    target: byResponse('source'),
    payload: (c) => ({
      kind: str(body(c).kind) ?? 'unknown',
      ...(str(body(c).name) ? { name: str(body(c).name) } : {}),
    }),
  }),
  'PATCH /api/v1/sources/:id': rule({
    action: 'source.updated',
    target: byParam('source'),
    payload: () => ({}),
  }),
  'DELETE /api/v1/sources/:id': rule({
    action: 'source.removed',
    target: byParam('source'),
    payload: () => ({}),
  }),
  'POST /api/v1/sources/:id/sync': rule({
    action: 'source.sync_requested',
    target: byParam('source'),
    payload: (c) => (str(c.response?.id) ? { jobId: str(c.response?.id) } : {}),
  }),
  'POST /api/v1/documents': rule({
    action: 'document.uploaded',
    payload: (c) => ({
      files: Array.isArray(c.response?.results) ? (c.response.results as unknown[]).length : 0,
    }),
  }),
  'GET /api/v1/documents/:id': rule({
    action: 'document.viewed',
    target: byParam('document'),
    payload: () => ({}),
  }),
  'DELETE /api/v1/documents/:id': rule({
    action: 'document.deleted',
    target: byParam('document'),
    payload: () => ({}),
  }),
  'GET /api/v1/search': rule({
    action: 'search.query',
    payload: (c) => ({
      ...pseudonymiseQuery(c.key, str(query(c).q) ?? ''),
      ...(Array.isArray(c.response?.results) ? { results: (c.response.results as unknown[]).length } : {}),
    }),
  }),
  'POST /api/v1/companies': rule({
    action: 'company.created',
    target: byResponse('company'),
    // Recorded in the new company's own log.
    subject: async (c) => {
      const id = str(c.response?.id);
      const actor = c.request.actor;
      return id && actor ? { tenantId: id, actor: { kind: actor.kind, id: actor.id || null } } : undefined;
    },
    only: 'success',
    payload: (c) => ({
      slug: str(body(c).slug) ?? '',
      sector: str(body(c).sector),
      region: str(body(c).region),
    }),
  }),
  'PATCH /api/v1/companies/:id': rule({
    action: 'company.updated',
    target: byParam('company'),
    subject: intoTargetCompany,
    payload: (c) => ({ ...(body(c).name !== undefined ? { name: true } : {}), region: str(body(c).region) }),
  }),
  'DELETE /api/v1/companies/:id': rule({
    action: 'company.deleted',
    target: byParam('company'),
    payload: () => ({}),
  }),
  'PUT /api/v1/sso': rule({
    action: 'policy.sso_updated',
    payload: (c) => ({ issuer: str(body(c).issuer) }),
  }),
  'DELETE /api/v1/sso': rule({ action: 'policy.sso_removed', payload: () => ({}) }),
  'PUT /api/v1/companies/:id/quota': rule({
    action: 'policy.quota_updated',
    target: byParam('company'),
    subject: intoTargetCompany,
    payload: (c) => body(c) as AuditPayload<'policy.quota_updated'>,
  }),
  'PUT /api/v1/companies/:id/policy': rule({
    action: 'policy.updated',
    target: byParam('company'),
    subject: intoTargetCompany,
    only: 'success',
    payload: (c) => {
      const b = body(c);
      return {
        ...(b.allowedRegions !== undefined ? { regions: b.allowedRegions as string[] | null } : {}),
        ...(b.allowedProviders !== undefined ? { providers: b.allowedProviders as string[] | null } : {}),
        ...(typeof b.allowRetaining === 'boolean' ? { allowRetaining: b.allowRetaining } : {}),
        ...(str(b.piiMode) ? { pii: str(b.piiMode) } : {}),
      };
    },
  }),
  // Recorded in the group admin's own company: the group's decision, where the group admin works.
  'PUT /api/v1/groups/:id/budget': rule({
    action: 'policy.group_budget_updated',
    target: byParam('group'),
    only: 'success',
    payload: (c) => ({
      monthlyTokens: typeof body(c).monthlyTokens === 'number' ? (body(c).monthlyTokens as number) : null,
      split: str(body(c).split) === 'fixed' ? 'fixed' : 'shares',
    }),
  }),
  'DELETE /api/v1/groups/:id/budget': rule({
    action: 'policy.group_budget_updated',
    target: byParam('group'),
    only: 'success',
    payload: () => ({ monthlyTokens: null, split: null }),
  }),
  'GET /api/v1/groups/:id/usage': rule({
    action: 'usage.report_generated',
    target: byParam('group'),
    only: 'success',
    payload: (c) => ({ month: str(query(c).month) ?? '', groupId: params(c).id ?? '' }),
  }),
  'POST /api/v1/ask': rule({
    action: 'assistant.ask',
    payload: (c) => ({
      ...pseudonymiseQuery(c.key, str(body(c).question) ?? ''),
      ...(Array.isArray(c.response?.citations)
        ? { citations: (c.response.citations as unknown[]).length }
        : {}),
    }),
  }),
  'GET /api/v1/documents/:id/text': rule({
    action: 'document.downloaded',
    target: byParam('document'),
    payload: () => ({}),
  }),
  'GET /api/v1/audit/export': rule({
    action: 'audit.read',
    only: 'success',
    payload: (c) => ({ format: str(query(c).format) === 'csv' ? 'csv' : 'jsonl' }),
  }),
};
