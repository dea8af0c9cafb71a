import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors/errors.js';
import { OPERATOR, type Actor } from './actor.js';
import { authorize, authorizeOn, scopeFor, type Action, type Target } from './policies.js';
import type { Role } from './roles.js';

type Scope = 'own' | 'group' | 'any';

/**
 * The authorisation policy as the product promises it. Changing a rule means changing this table on
 * purpose; `satisfies Record<Action, …>` makes the type check fail when an action is added without
 * deciding here who may perform it.
 */
const POLICY = {
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
  'data.ask': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'data.query': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'data.model.read': { operator: 'any', admin: 'own', member: 'own' },
  'data.model.update': { operator: 'any', admin: 'own' },
  'data.tables.list': { operator: 'any', admin: 'own' },
  'data.sql': { operator: 'any', admin: 'own' },
  'search.query': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'policy.read': { operator: 'any', group_admin: 'group', admin: 'own' },
  'policy.update': { operator: 'any', group_admin: 'group', admin: 'own' },
  'sector-preset.read': { operator: 'any', group_admin: 'own', admin: 'own' },
  'provider.list': { operator: 'any', group_admin: 'own', admin: 'own' },
  'provider.create': { operator: 'any' },
  'provider.delete': { operator: 'any' },
  'search.synonyms.read': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'search.synonyms.update': { operator: 'any', admin: 'own' },
  'search.embeddings.read': { operator: 'any', admin: 'own' },
  'audit.read': { operator: 'any', admin: 'own' },
  'quota.read': { operator: 'any', group_admin: 'group', admin: 'own' },
  'quota.update': { operator: 'any', group_admin: 'group' },
  'usage.report': { operator: 'any', group_admin: 'group' },
  'group_budget.read': { operator: 'any', group_admin: 'group' },
  'group_budget.update': { operator: 'any', group_admin: 'group' },
  'assistant.ask': { operator: 'any', admin: 'own', member: 'own', viewer: 'own' },
  'conversation.read': { admin: 'own', member: 'own', viewer: 'own' },
  'conversation.update': { admin: 'own', member: 'own', viewer: 'own' },
  'conversation.delete': { admin: 'own', member: 'own', viewer: 'own' },
} as const satisfies Record<Action, Partial<Record<Role, Scope>>>;

const ACTIONS = Object.keys(POLICY) as Action[];
const ROLES: Role[] = ['operator', 'group_admin', 'admin', 'member', 'viewer'];

const OWN = '00000000-0000-4000-8000-000000000001';
const SIBLING = '00000000-0000-4000-8000-000000000002';
const FOREIGN = '00000000-0000-4000-8000-000000000003';
const UNGROUPED = '00000000-0000-4000-8000-000000000004';
const GROUP = '10000000-0000-4000-8000-000000000001';
const OTHER_GROUP = '10000000-0000-4000-8000-000000000002';

const TARGETS: Record<string, Target> = {
  'own company': { tenantId: OWN, groupId: GROUP },
  'a sibling company of the same group': { tenantId: SIBLING, groupId: GROUP },
  "another group's company": { tenantId: FOREIGN, groupId: OTHER_GROUP },
  'a company without a group': { tenantId: UNGROUPED, groupId: null },
  'own group (group-level object)': { tenantId: '', groupId: GROUP },
  'another group (group-level object)': { tenantId: '', groupId: OTHER_GROUP },
};

const actorWith = (role: Role, groupId: string | null = GROUP): Actor =>
  role === 'operator' ? OPERATOR : { kind: 'user', id: 'u1', role, tenantId: OWN, groupId };

type Outcome = 'allowed' | 'forbidden' | 'not_found';

function outcome(fn: () => void): Outcome {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.status === 403 && error.code === 'forbidden') return 'forbidden';
    if (error.status === 404 && error.code === 'not_found') return 'not_found';
    throw error;
  }
}

function expectedOn(actor: Actor, scope: Scope | undefined, target: Target): Outcome {
  const own = actor.tenantId !== null && actor.tenantId === target.tenantId;
  const sameGroup = actor.groupId !== null && actor.groupId === target.groupId;
  if (scope === undefined) return own ? 'forbidden' : 'not_found';
  if (scope === 'any') return 'allowed';
  if (scope === 'own') return own ? 'allowed' : 'not_found';
  return own || sameGroup ? 'allowed' : 'not_found';
}

describe('authorisation policy', () => {
  for (const action of ACTIONS) {
    for (const role of ROLES) {
      const scope = (POLICY[action] as Partial<Record<Role, Scope>>)[role];
      it(`${action} × ${role}: ${scope ?? 'denied'}`, () => {
        const actor = actorWith(role);
        expect(outcome(() => authorize(actor, action))).toBe(scope ? 'allowed' : 'forbidden');
        if (scope) expect(scopeFor(actor, action)).toBe(scope);
        else expect(outcome(() => scopeFor(actor, action))).toBe('forbidden');
        for (const [name, target] of Object.entries(TARGETS)) {
          expect(
            outcome(() => authorizeOn(actor, action, target)),
            `${name}`,
          ).toBe(expectedOn(actor, scope, target));
        }
      });
    }
  }

  it('denies a role the table does not know, answering 404 outside its own company', () => {
    const stranger = { ...actorWith('admin'), role: 'superuser' as Role };
    for (const action of ACTIONS) {
      expect(outcome(() => authorize(stranger, action))).toBe('forbidden');
      expect(outcome(() => authorizeOn(stranger, action, TARGETS["another group's company"]!))).toBe(
        'not_found',
      );
    }
  });

  it('never answers 403 for an object outside the caller’s company (no existence leak)', () => {
    for (const action of ACTIONS) {
      for (const role of ROLES.filter((r) => r !== 'operator')) {
        for (const target of [TARGETS["another group's company"]!, TARGETS['a company without a group']!]) {
          expect(outcome(() => authorizeOn(actorWith(role), action, target))).not.toBe('forbidden');
        }
      }
    }
  });

  it('a group admin of a company without a group reaches its own company but no other ungrouped company', () => {
    const lone = actorWith('group_admin', null);
    expect(outcome(() => authorizeOn(lone, 'company.read', { tenantId: OWN, groupId: null }))).toBe(
      'allowed',
    );
    expect(outcome(() => authorizeOn(lone, 'company.read', { tenantId: UNGROUPED, groupId: null }))).toBe(
      'not_found',
    );
    expect(outcome(() => authorizeOn(lone, 'group.read', { tenantId: '', groupId: GROUP }))).toBe(
      'not_found',
    );
  });

  it('names the missing object in the 404 message', () => {
    expect(() =>
      authorizeOn(actorWith('member'), 'company.read', TARGETS["another group's company"]!, 'Company'),
    ).toThrow('Company not found.');
  });
});
