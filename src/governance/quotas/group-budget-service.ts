import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { InvalidRequestError, NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import type { CompanyRepository } from '../../tenancy/companies/company-repository.js';
import type { GroupRepository } from '../../tenancy/groups/group-repository.js';
import { authorizeOn, type Action } from '../../tenancy/policies.js';
import {
  allowanceOf,
  monthBounds,
  tokensUsedSince,
  type GroupBudget,
  type GroupBudgetRepository,
} from './group-budget-repository.js';

export const setGroupBudgetInput = z
  .object({
    monthlyTokens: z.number().int().min(0).max(1e15),
    split: z.enum(['shares', 'fixed']),
    /** Per company (id or slug): a share (split 'shares') or tokens (split 'fixed'). */
    allocations: z
      .array(z.object({ company: z.string().min(1), value: z.number().min(0).max(1e15) }).strict())
      .max(1000),
  })
  .strict();

export interface GroupBudgetView {
  groupId: string;
  month: string;
  /** null: the group has no budget (only each company's own limits apply). */
  monthlyTokens: number | null;
  split: GroupBudget['split'] | null;
  usedTokens: number;
  companies: {
    companyId: string;
    slug: string;
    name: string;
    /** The share or fixed amount as set; 0 when the company is not in the split. */
    value: number;
    allowanceTokens: number | null;
    usedTokens: number;
  }[];
  updatedAt: string | null;
}

/** The group admin's budget for the whole group: read, set (with its split), remove. */
export class GroupBudgetService {
  constructor(
    private readonly db: Database,
    private readonly budgets: GroupBudgetRepository,
    private readonly groups: GroupRepository,
    private readonly companies: CompanyRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(actor: Actor, groupId: string): Promise<GroupBudgetView> {
    await this.authorize(actor, 'group_budget.read', groupId);
    return this.view(groupId, await this.budgets.get(groupId));
  }

  async set(
    actor: Actor,
    groupId: string,
    input: z.input<typeof setGroupBudgetInput>,
  ): Promise<GroupBudgetView> {
    await this.authorize(actor, 'group_budget.update', groupId);
    const parsed = setGroupBudgetInput.parse(input);
    const members = await this.companies.listByGroup(groupId);
    const allocations: Record<string, number> = {};
    for (const { company, value } of parsed.allocations) {
      const member = members.find((m) => m.id === company || m.slug === company);
      if (!member)
        throw new InvalidRequestError(`${company} is not a company of this group`, 'company_not_in_group');
      if (allocations[member.id] !== undefined)
        throw new InvalidRequestError(`${company} appears twice in the split`, 'duplicate_allocation');
      allocations[member.id] = value;
    }
    const sum = Object.values(allocations).reduce((total, value) => total + value, 0);
    if (parsed.split === 'fixed' && sum > parsed.monthlyTokens) {
      throw new InvalidRequestError(
        `the fixed amounts add up to ${sum} tokens, more than the group budget of ${parsed.monthlyTokens}`,
        'allocation_exceeds_budget',
      );
    }
    if (parsed.split === 'shares' && parsed.monthlyTokens > 0 && sum === 0) {
      throw new InvalidRequestError('give at least one company a share above 0', 'allocation_empty');
    }
    const budget = await this.budgets.set({
      groupId,
      monthlyTokens: parsed.monthlyTokens,
      split: parsed.split,
      allocations,
    });
    return this.view(groupId, budget);
  }

  async remove(actor: Actor, groupId: string): Promise<GroupBudgetView> {
    await this.authorize(actor, 'group_budget.update', groupId);
    await this.budgets.remove(groupId);
    return this.view(groupId, undefined);
  }

  private async authorize(actor: Actor, action: Action, groupId: string): Promise<void> {
    const group = await this.groups.findById(groupId);
    if (!group) throw new NotFoundError('Group');
    authorizeOn(actor, action, { tenantId: '', groupId: group.id }, 'Group');
  }

  private async view(groupId: string, budget: GroupBudget | undefined): Promise<GroupBudgetView> {
    const now = this.now();
    const { start } = monthBounds(now);
    const companies = [];
    let usedTokens = 0;
    for (const company of await this.companies.listByGroup(groupId)) {
      const used = await tokensUsedSince(this.db, company.id, start);
      usedTokens += used;
      companies.push({
        companyId: company.id,
        slug: company.slug,
        name: company.name,
        value: budget?.allocations[company.id] ?? 0,
        allowanceTokens: budget ? allowanceOf(budget, company.id) : null,
        usedTokens: used,
      });
    }
    return {
      groupId,
      month: start.toISOString().slice(0, 7),
      monthlyTokens: budget?.monthlyTokens ?? null,
      split: budget?.split ?? null,
      usedTokens,
      companies,
      updatedAt: budget?.updatedAt ?? null,
    };
  }
}
