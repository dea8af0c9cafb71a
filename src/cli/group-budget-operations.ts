import { z } from 'zod';
import { setGroupBudgetInput } from '../governance/quotas/group-budget-service.js';
import { OPERATOR } from '../tenancy/actor.js';
import type { Runtime } from './runtime.js';

const groupId = async (rt: Runtime, slug: string) => (await rt.tenancy.groups.requireBySlug(slug)).id;

/** `kura group budget …` (merged into operations.ts): a group's monthly token budget and its split. */
export const groupBudgetOperations = {
  'group.budget.get': {
    args: z.object({ group: z.string() }),
    run: async (rt: Runtime, a: { group: string }) =>
      rt.governance.groupBudgets.get(OPERATOR, await groupId(rt, a.group)),
  },
  'group.budget.set': {
    args: setGroupBudgetInput.extend({ group: z.string() }),
    run: async (rt: Runtime, { group, ...input }: z.infer<typeof setGroupBudgetInput> & { group: string }) =>
      rt.governance.groupBudgets.set(OPERATOR, await groupId(rt, group), input),
  },
  'group.budget.remove': {
    args: z.object({ group: z.string() }),
    run: async (rt: Runtime, a: { group: string }) =>
      rt.governance.groupBudgets.remove(OPERATOR, await groupId(rt, a.group)),
  },
};
