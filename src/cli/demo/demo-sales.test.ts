import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedAnalyzer } from '../../../test/helpers/connectors-harness.js';
import { createTestDatabase, ENGINES } from '../../../test/helpers/test-database.js';
import { createAnalytics, type Analytics } from '../../analytics/analytics-module.js';
import { createKnowledge } from '../../ingest/knowledge-module.js';
import type { Database } from '../../platform/db/database.js';
import { OPERATOR } from '../../tenancy/actor.js';
import { createTenancy, type Tenancy } from '../../tenancy/tenancy-module.js';
import type { Runtime } from '../runtime.js';
import { seedDemoSales } from './demo-sales.js';

describe.each(ENGINES)('the demo sales database on %s', (engine) => {
  let db: Database;
  let tenancy: Tenancy;
  let analytics: Analytics;
  let rt: Runtime;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    analytics = createAnalytics(db, { ...createKnowledge(db), analyzer: sharedAnalyzer });
    rt = { db, tenancy, analytics } as unknown as Runtime;
  }, 120_000);
  afterAll(() => db.close());

  it('answers 「2024年度の月別売上」 per company with the numbers its own rows add up to', async () => {
    for (const slug of ['sora-mobile', 'sora-pay'])
      await tenancy.companies.create(OPERATOR, { slug, name: slug });
    const started = performance.now();
    expect(await seedDemoSales(rt, ['sora-mobile', 'sora-pay'])).toEqual(['sora-mobile', 'sora-pay']);
    const seconds = (performance.now() - started) / 1000;
    expect(await seedDemoSales(rt, ['sora-mobile', 'sora-pay'])).toEqual([]);
    const monthly: Record<string, unknown[]> = {};
    for (const slug of ['sora-mobile', 'sora-pay']) {
      const company = (await tenancy.repos.companies.findBySlug(slug))!;
      const answer = await analytics.service.ask(OPERATOR, company.id, '2024年度の月別売上');
      if (answer.kind !== 'answer') throw new Error(JSON.stringify(answer));
      // Independently: the same sums written by hand over the company's own tables.
      const expected = await db.tenant(company.id, (tx) =>
        tx.query<{ month: string; total: string }>(
          `SELECT to_char(o.order_date, 'YYYY-MM') AS month, sum(l.amount)::text AS total
             FROM "${answer.sql[0]!.sql.match(/"(kura_data_[0-9a-f]+)"/u)![1]}".order_lines l
             JOIN "${answer.sql[0]!.sql.match(/"(kura_data_[0-9a-f]+)"/u)![1]}".orders o ON o.id = l.order_id
            WHERE o.order_date >= '2024-04-01' AND o.order_date < '2025-04-01'
            GROUP BY 1 ORDER BY 1`,
        ),
      );
      expect(expected).toHaveLength(12);
      expect(answer.rows).toEqual(
        expected.map((r) => ({ order_date_month: r.month, sales: Number(r.total) })),
      );
      monthly[slug] = answer.rows;
    }
    // Each demo company has its own data.
    expect(monthly['sora-mobile']).not.toEqual(monthly['sora-pay']);
    console.log(`demo sales for two companies seeded in ${seconds.toFixed(1)} s on ${engine}`);
  }, 300_000);
});
