import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { NotFoundError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import type { CompanyRepository } from '../../tenancy/companies/company-repository.js';
import type { GroupRepository } from '../../tenancy/groups/group-repository.js';
import { authorizeOn } from '../../tenancy/policies.js';
import type { PriceTable } from './price-table.js';

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must look like 2026-11');

export interface ModelUsage {
  provider: string;
  model: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  /** Yen; null when the model has no price (see `unpriced`). */
  costJpy: number | null;
}

export interface CompanyUsage {
  companyId: string;
  slug: string;
  name: string;
  models: ModelUsage[];
  requests: number;
  tokensIn: number;
  tokensOut: number;
  costJpy: number;
  /** Indexed documents and their bytes now (storage is a level, not a monthly flow). */
  documents: number;
  storageBytes: number;
}

export interface UsageReport {
  groupId: string;
  month: string;
  currency: 'JPY';
  companies: CompanyUsage[];
  totals: {
    requests: number;
    tokensIn: number;
    tokensOut: number;
    costJpy: number;
    documents: number;
    storageBytes: number;
  };
  /** provider/model pairs used without a price: their cost counts as 0 in the totals. */
  unpriced: string[];
}

/**
 * Chargeback for a group: per company and model, the successful model calls of the month (usage
 * events with outcome ok; refusals and failures cost nothing), their tokens and cost in yen, plus the
 * company's documents and storage. Figures only — never content — for the group admin or operator.
 */
export class UsageReportService {
  constructor(
    private readonly db: Database,
    private readonly groups: GroupRepository,
    private readonly companies: CompanyRepository,
    private readonly prices: PriceTable,
  ) {}

  async report(actor: Actor, groupId: string, month: string): Promise<UsageReport> {
    const group = await this.groups.findById(groupId);
    if (!group) throw new NotFoundError('Group');
    authorizeOn(actor, 'usage.report', { tenantId: '', groupId: group.id }, 'Group');
    const parsedMonth = monthSchema.parse(month);
    const from = `${parsedMonth}-01T00:00:00Z`;
    const companies = await this.companies.listByGroup(group.id);
    const unpriced = new Set<string>();
    const rows: CompanyUsage[] = [];
    for (const company of companies) {
      const { models, docs } = await this.db.tenant(company.id, async (tx) => ({
        models: await tx.query<{
          provider: string;
          model: string;
          requests: string;
          tin: string;
          tout: string;
        }>(
          `SELECT provider, model, count(*)::text AS requests, sum(tokens_in)::text AS tin, sum(tokens_out)::text AS tout
             FROM usage_events
            WHERE tenant_id = $1 AND outcome = 'ok'
              AND occurred_at >= $2::timestamptz AND occurred_at < $2::timestamptz + interval '1 month'
            GROUP BY provider, model ORDER BY provider, model`,
          [company.id, from],
        ),
        docs: await tx.query<{ n: string; bytes: string }>(
          `SELECT count(*)::text AS n, coalesce(sum(size_bytes), 0)::text AS bytes
             FROM documents WHERE tenant_id = $1 AND status = 'indexed'`,
          [company.id],
        ),
      }));
      const usage = models.map((m): ModelUsage => {
        const tokensIn = Number(m.tin);
        const tokensOut = Number(m.tout);
        const cost = this.prices.cost(m.provider, m.model, tokensIn, tokensOut);
        if (cost === undefined) unpriced.add(`${m.provider}/${m.model}`);
        return {
          provider: m.provider,
          model: m.model,
          requests: Number(m.requests),
          tokensIn,
          tokensOut,
          costJpy: cost ?? null,
        };
      });
      rows.push({
        companyId: company.id,
        slug: company.slug,
        name: company.name,
        models: usage,
        requests: sum(usage.map((u) => u.requests)),
        tokensIn: sum(usage.map((u) => u.tokensIn)),
        tokensOut: sum(usage.map((u) => u.tokensOut)),
        costJpy: yen(sum(usage.map((u) => u.costJpy ?? 0))),
        documents: Number(docs[0]?.n ?? 0),
        storageBytes: Number(docs[0]?.bytes ?? 0),
      });
    }
    return {
      groupId: group.id,
      month: parsedMonth,
      currency: 'JPY',
      companies: rows,
      totals: {
        requests: sum(rows.map((r) => r.requests)),
        tokensIn: sum(rows.map((r) => r.tokensIn)),
        tokensOut: sum(rows.map((r) => r.tokensOut)),
        costJpy: yen(sum(rows.map((r) => r.costJpy))),
        documents: sum(rows.map((r) => r.documents)),
        storageBytes: sum(rows.map((r) => r.storageBytes)),
      },
      unpriced: [...unpriced].sort(),
    };
  }
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const yen = (value: number): number => Math.round(value * 100) / 100;

/** One CSV line per company and model (companies without calls: one line with empty model). */
export function usageReportCsv(report: UsageReport): string {
  const header =
    'month,company,provider,model,requests,tokens_in,tokens_out,cost_jpy,documents,storage_bytes';
  const lines = [header];
  for (const c of report.companies) {
    const models = c.models.length > 0 ? c.models : [undefined];
    for (const m of models)
      lines.push(
        [
          report.month,
          c.slug,
          m?.provider ?? '',
          m?.model ?? '',
          m?.requests ?? 0,
          m?.tokensIn ?? 0,
          m?.tokensOut ?? 0,
          m ? (m.costJpy ?? '') : 0,
          c.documents,
          c.storageBytes,
        ].join(','),
      );
  }
  const t = report.totals;
  lines.push(
    [
      report.month,
      'TOTAL',
      '',
      '',
      t.requests,
      t.tokensIn,
      t.tokensOut,
      t.costJpy,
      t.documents,
      t.storageBytes,
    ].join(','),
  );
  return `${lines.join('\n')}\n`;
}
