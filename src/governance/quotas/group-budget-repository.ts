import type { Database } from '../../platform/db/database.js';

export type BudgetSplit = 'shares' | 'fixed';

export interface GroupBudget {
  groupId: string;
  /** Model tokens (in + out) the whole group may use in a calendar month (UTC). */
  monthlyTokens: number;
  split: BudgetSplit;
  /** Company id → its share (split 'shares') or its tokens (split 'fixed'). */
  allocations: Record<string, number>;
  updatedAt: string;
}

interface Row {
  group_id: string;
  monthly_tokens: string | number;
  split: BudgetSplit;
  allocations: Record<string, number>;
  updated_at: Date | string;
}

const toBudget = (row: Row): GroupBudget => ({
  groupId: row.group_id,
  monthlyTokens: Number(row.monthly_tokens),
  split: row.split,
  allocations: row.allocations,
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** Group budgets: a global table, like groups (migrations/0013_group_budgets.sql). */
export class GroupBudgetRepository {
  constructor(private readonly db: Database) {}

  async get(groupId: string): Promise<GroupBudget | undefined> {
    const [row] = await this.db.global((tx) =>
      tx.query<Row>('SELECT * FROM group_budgets WHERE group_id = $1', [groupId]),
    );
    return row && toBudget(row);
  }

  async set(budget: Omit<GroupBudget, 'updatedAt'>): Promise<GroupBudget> {
    const [row] = await this.db.global((tx) =>
      tx.query<Row>(
        `INSERT INTO group_budgets (group_id, monthly_tokens, split, allocations, updated_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (group_id) DO UPDATE SET monthly_tokens = EXCLUDED.monthly_tokens,
           split = EXCLUDED.split, allocations = EXCLUDED.allocations, updated_at = now()
         RETURNING *`,
        [budget.groupId, budget.monthlyTokens, budget.split, JSON.stringify(budget.allocations)],
      ),
    );
    return toBudget(row!);
  }

  async remove(groupId: string): Promise<boolean> {
    const rows = await this.db.global((tx) =>
      tx.query('DELETE FROM group_budgets WHERE group_id = $1 RETURNING group_id', [groupId]),
    );
    return rows.length > 0;
  }
}

/** Model tokens (in + out) of a company's successful calls since `since`. */
export async function tokensUsedSince(db: Database, tenantId: string, since: Date): Promise<number> {
  const rows = await db.tenant(tenantId, (tx) =>
    tx.query<{ used: string }>(
      `SELECT coalesce(sum(tokens_in + tokens_out), 0)::text AS used FROM usage_events
        WHERE tenant_id = $1 AND outcome = 'ok' AND occurred_at >= $2`,
      [tenantId, since.toISOString()],
    ),
  );
  return Number(rows[0]?.used ?? 0);
}

/** The first instant of `now`'s month and of the next one (UTC). */
export function monthBounds(now: Date): { start: Date; next: Date } {
  return {
    start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    next: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

/** A company's part of the group budget, in tokens (rounded down). */
export function allowanceOf(budget: GroupBudget, companyId: string): number {
  const value = budget.allocations[companyId] ?? 0;
  if (budget.split === 'fixed') return Math.floor(value);
  const total = Object.values(budget.allocations).reduce((sum, share) => sum + share, 0);
  return total > 0 ? Math.floor((budget.monthlyTokens * value) / total) : 0;
}
