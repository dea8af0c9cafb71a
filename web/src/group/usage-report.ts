/** GET /api/v1/groups/:id/usage: one month's figures per company of the group (never content). */

export interface ModelUsage {
  provider: string;
  model: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
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
  documents: number;
  storageBytes: number;
}

export interface UsageReport {
  groupId: string;
  month: string;
  currency: 'JPY';
  companies: CompanyUsage[];
  totals: Omit<CompanyUsage, 'companyId' | 'slug' | 'name' | 'models'>;
  unpriced: string[];
}

export const USAGE_METRICS = ['costJpy', 'requests', 'tokens', 'documents', 'storageBytes'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export function metricValue(company: CompanyUsage, metric: UsageMetric): number {
  if (metric === 'tokens') return company.tokensIn + company.tokensOut;
  if (metric === 'storageBytes') return Math.round((company.storageBytes / 1024 / 1024) * 100) / 100;
  return company[metric];
}

/** This month, UTC (the report's months are UTC months). */
export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** A horizontal bar per company: the spec vega-embed draws (data, not code). */
export function usageChartSpec(
  report: UsageReport,
  metric: UsageMetric,
  titles: { company: string; metric: string },
): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 'container',
    height: { step: 36 },
    data: {
      values: report.companies.map((c) => ({ company: c.name, value: metricValue(c, metric) })),
    },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'company', type: 'nominal', sort: '-x', title: titles.company },
      x: { field: 'value', type: 'quantitative', title: titles.metric },
    },
  };
}
