import { ForbiddenError, NotFoundError } from '../platform/errors/errors.js';
import type { Actor } from './actor.js';
import type { Role } from './roles.js';

/**
 * Every authorisation rule in one table. An action not listed, or a role not named for it, is denied.
 * Scope says which objects the role may reach: `own` (the caller's company), `group` (companies of the
 * caller's group), `any` (operator). Objects outside the scope answer 404, so their existence never leaks.
 */
type Scope = 'own' | 'group' | 'any';

const RULES = {
  'me.read': { group_admin: 'own', admin: 'own', member: 'own', viewer: 'own' },
  'group.create': { operator: 'any' },
  'group.read': { operator: 'any', group_admin: 'group' },
  'group.update': { operator: 'any', group_admin: 'group' },
  'company.list': { operator: 'any', group_admin: 'group', admin: 'own', member: 'own', viewer: 'own' },
  'company.read': { operator: 'any', group_admin: 'group', admin: 'own', member: 'own', viewer: 'own' },
  'company.create': { operator: 'any', group_admin: 'group' },
  'company.update': { operator: 'any', group_admin: 'group', admin: 'own' },
  'company.delete': { operator: 'any', group_admin: 'group' },
  'user.list': { operator: 'any', group_admin: 'own', admin: 'own' },
  'user.read': { operator: 'any', group_admin: 'own', admin: 'own' },
  'user.create': { operator: 'any', group_admin: 'own', admin: 'own' },
  'user.update': { operator: 'any', group_admin: 'own', admin: 'own' },
  'user.delete': { operator: 'any', group_admin: 'own', admin: 'own' },
  'apikey.list': { operator: 'any', admin: 'own' },
  'apikey.create': { operator: 'any', admin: 'own' },
  'apikey.revoke': { operator: 'any', admin: 'own' },
  'sso.read': { operator: 'any', admin: 'own' },
  'sso.update': { operator: 'any', admin: 'own' },
  // Searching a company's documents (document ACLs then filter what each caller sees). Never
  // group_admin: a holding company's admin administers companies, it does not read their content.
  'search.query': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'search.synonyms.read': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'search.synonyms.update': { operator: 'any', admin: 'own' },
  'search.embeddings.read': { operator: 'any', admin: 'own' },
  'source.list': { operator: 'any', admin: 'own' },
  'source.read': { operator: 'any', admin: 'own' },
  'source.create': { operator: 'any', admin: 'own' },
  'source.update': { operator: 'any', admin: 'own' },
  'source.delete': { operator: 'any', admin: 'own' },
  'source.sync': { operator: 'any', admin: 'own' },
  'job.read': { operator: 'any', admin: 'own' },
  'document.list': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'document.read': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'document.create': { operator: 'any', admin: 'own' },
  'document.delete': { operator: 'any', admin: 'own' },
  // Residency policy (src/governance/residency): where the company's data may go for model calls.
  'policy.read': { operator: 'any', group_admin: 'group', admin: 'own' },
  'policy.update': { operator: 'any', group_admin: 'group', admin: 'own' },
  // The sector presets are global and hold no company data: who sets policies or creates companies reads them.
  'sector-preset.read': { operator: 'any', group_admin: 'own', admin: 'own' },
  // Model providers are the operator's (global, with credentials); admins may see names and regions.
  'provider.list': { operator: 'any', group_admin: 'own', admin: 'own' },
  'provider.create': { operator: 'any' },
  'provider.delete': { operator: 'any' },
  // Analytics on the company's own databases. Never group_admin (content, not administration).
  'data.ask': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'data.query': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'data.model.read': { operator: 'any', admin: 'own', member: 'own' },
  'data.model.update': { operator: 'any', admin: 'own' },
  'data.tables.list': { operator: 'any', admin: 'own' },
  'data.sql': { operator: 'any', admin: 'own' },
  // Governance: the company's audit log is its admins' (a group admin sees usage, not activity).
  'audit.read': { operator: 'any', admin: 'own' },
  'quota.read': { operator: 'any', group_admin: 'group', admin: 'own' },
  'quota.update': { operator: 'any', group_admin: 'group' },
  'usage.report': { operator: 'any', group_admin: 'group' },
  // The group's monthly token budget and its split across companies (governance/quotas).
  'group_budget.read': { operator: 'any', group_admin: 'group' },
  'group_budget.update': { operator: 'any', group_admin: 'group' },
  // The assistant reads company content (never group_admin, as for search); a conversation is its
  // owner's alone (the service matches the owner; the operator keeps none).
  'assistant.ask': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'conversation.read': { admin: 'own', member: 'own', viewer: 'own' },
  'conversation.update': { admin: 'own', member: 'own', viewer: 'own' },
  'conversation.delete': { admin: 'own', member: 'own', viewer: 'own' },
} as const satisfies Record<string, Partial<Record<Role, Scope>>>;

export type Action = keyof typeof RULES;

/** What an action touches: the company it belongs to (and that company's group). */
export interface Target {
  tenantId: string;
  groupId: string | null;
}

function scopeOf(actor: Actor, action: Action): Scope | undefined {
  const rule: Partial<Record<Role, Scope>> = RULES[action];
  return rule[actor.role];
}

/** Does any rule give the actor's role this action (on some object)? */
export function mayEver(actor: Actor, action: Action): boolean {
  return scopeOf(actor, action) !== undefined;
}

/** May the actor perform this action at all (before any object is known)? Throws 403 when not. */
export function authorize(actor: Actor, action: Action): void {
  if (!scopeOf(actor, action)) throw new ForbiddenError();
}

/** May the actor perform the action on this object? Out of scope answers 404, not 403. */
export function authorizeOn(actor: Actor, action: Action, target: Target, what = 'Resource'): void {
  const scope = scopeOf(actor, action);
  if (!scope) {
    if (!inReach(actor, target)) throw new NotFoundError(what);
    throw new ForbiddenError();
  }
  if (!withinScope(actor, scope, target)) throw new NotFoundError(what);
}

export function withinScope(actor: Actor, scope: Scope, target: Target): boolean {
  if (scope === 'any') return true;
  const own = actor.tenantId !== null && actor.tenantId === target.tenantId;
  if (scope === 'own') return own;
  // The group scope includes the caller's own company, also when that company belongs to no group.
  return own || (actor.groupId !== null && actor.groupId === target.groupId);
}

/** Could the actor see that this object exists under any rule? Decides between 403 and 404. */
function inReach(actor: Actor, target: Target): boolean {
  return actor.tenantId === target.tenantId;
}

/** The scope granted, for services that list (own company vs. the whole group). */
export function scopeFor(actor: Actor, action: Action): Scope {
  const scope = scopeOf(actor, action);
  if (!scope) throw new ForbiddenError();
  return scope;
}
