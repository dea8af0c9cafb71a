import type { Database } from '../../platform/db/database.js';
import type { EgressGuard } from '../../platform/llm/model-gateway.js';
import type { Provider } from '../../platform/llm/providers/provider.js';
import { QuotaExceededError } from './quota-errors.js';
import type { QuotaRepository } from './quota-repository.js';

/**
 * The gateway's guard step, after residency: a company whose monthly token budget is spent (the
 * tokens of its successful calls since the first of the month, UTC) is refused with 429
 * `quota_exceeded` before a byte leaves; Retry-After points at the start of next month.
 */
export class TokenBudgetGuard implements EgressGuard {
  constructor(
    private readonly residency: EgressGuard,
    private readonly db: Database,
    private readonly quotas: QuotaRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The budget does not depend on the provider: which ones residency allows is the answer. */
  allowed(tenantId: string, providers: Provider[]): Promise<Provider[]> {
    return this.residency.allowed(tenantId, providers);
  }

  async check(tenantId: string, provider: Provider): Promise<void> {
    await this.residency.check(tenantId, provider);
    const { monthlyTokens: budget } = await this.quotas.get(tenantId);
    if (budget === null) return;
    const now = this.now();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const rows = await this.db.tenant(tenantId, (tx) =>
      tx.query<{ used: string }>(
        `SELECT coalesce(sum(tokens_in + tokens_out), 0)::text AS used FROM usage_events
          WHERE tenant_id = $1 AND outcome = 'ok' AND occurred_at >= $2`,
        [tenantId, monthStart.toISOString()],
      ),
    );
    const used = Number(rows[0]?.used ?? 0);
    if (used < budget) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((nextMonth.getTime() - now.getTime()) / 1000));
    const error = new QuotaExceededError(
      'monthly_tokens',
      `Your company has used ${used} of its ${budget} model tokens this month; model calls resume on ${nextMonth.toISOString().slice(0, 10)} or when an administrator raises the budget.`,
      { limit: budget, used, retryAfterSeconds },
    );
    error.headers['retry-after'] = String(retryAfterSeconds);
    throw error;
  }
}
