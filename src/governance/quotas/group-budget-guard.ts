import type { Database } from '../../platform/db/database.js';
import type { EgressGuard } from '../../platform/llm/model-gateway.js';
import type { Provider } from '../../platform/llm/providers/provider.js';
import type { CompanyRepository } from '../../tenancy/companies/company-repository.js';
import type { GroupRepository } from '../../tenancy/groups/group-repository.js';
import {
  allowanceOf,
  monthBounds,
  tokensUsedSince,
  type GroupBudgetRepository,
} from './group-budget-repository.js';
import { QuotaExceededError } from './quota-errors.js';

/**
 * After residency and the company's own budget: when the company's group has a monthly token budget,
 * the company may use its part of it (its share or fixed amount), and the group as a whole no more
 * than the budget. Over either: 429 `quota_exceeded`, reason `group_monthly_tokens`, the message
 * naming the group budget, Retry-After at the start of next month (UTC).
 */
export class GroupBudgetGuard implements EgressGuard {
  constructor(
    private readonly inner: EgressGuard,
    private readonly db: Database,
    private readonly budgets: GroupBudgetRepository,
    private readonly companies: CompanyRepository,
    private readonly groups: GroupRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  allowed(tenantId: string, providers: Provider[]): Promise<Provider[]> {
    return this.inner.allowed(tenantId, providers);
  }

  async check(tenantId: string, provider: Provider): Promise<void> {
    await this.inner.check(tenantId, provider);
    const company = await this.companies.findById(tenantId);
    if (!company?.groupId) return;
    const budget = await this.budgets.get(company.groupId);
    if (!budget) return;
    const now = this.now();
    const { start, next } = monthBounds(now);
    const allowance = allowanceOf(budget, tenantId);
    const used = await tokensUsedSince(this.db, tenantId, start);
    const groupName = (await this.groups.findById(company.groupId))?.name ?? 'your group';
    const resume = `model calls resume on ${next.toISOString().slice(0, 10)} or when the group administrator changes the group budget.`;
    if (used >= allowance) {
      throw refusal(
        `Your company has used ${used} of the ${allowance} model tokens the group budget of ${groupName} gives it this month (${budget.monthlyTokens} for the group); ${resume}`,
        { limit: allowance, used, groupLimit: budget.monthlyTokens },
        now,
        next,
      );
    }
    let groupUsed = 0;
    for (const member of await this.companies.listByGroup(company.groupId))
      groupUsed += await tokensUsedSince(this.db, member.id, start);
    if (groupUsed >= budget.monthlyTokens) {
      throw refusal(
        `The group ${groupName} has used ${groupUsed} of its ${budget.monthlyTokens} model tokens this month (the group budget); ${resume}`,
        { limit: allowance, used, groupLimit: budget.monthlyTokens, groupUsed },
        now,
        next,
      );
    }
  }
}

function refusal(message: string, facts: Record<string, number>, now: Date, next: Date): QuotaExceededError {
  const retryAfterSeconds = Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000));
  const error = new QuotaExceededError('group_monthly_tokens', message, { ...facts, retryAfterSeconds });
  error.headers['retry-after'] = String(retryAfterSeconds);
  return error;
}
