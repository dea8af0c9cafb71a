import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_SET, EVAL_TODAY } from '../../../test/fixtures/analytics/nl-eval-set.js';
import { tempFolder } from '../../../test/helpers/connectors-harness.js';
import { startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js';
import { generateSales, REGIONS } from '../../../test/helpers/sales-database.js';
import { salesModel, writeSalesSqlite } from '../../../test/helpers/sales-fixture-files.js';
import { loadSalesMariaDb, loadSalesPostgres } from '../../../test/helpers/sales-servers.js';
import { parseQuestion } from '../nl/parse-question.js';
import { compareTables } from '../nl/compare-tables.js';
import { MysqlExecutor } from './mysql-executor.js';
import { PostgresExecutor } from './postgres-executor.js';
import { QueryTimeoutError, type QueryExecutor } from './query-executor.js';
import { runSemanticQuery } from './run-query.js';
import { SqliteExecutor } from './sqlite-executor.js';

const rows = generateSales(3000, 11);
const model = salesModel();
const limits = { maxRows: 10_000, timeoutMs: 20_000 };
let maria: MariaDbServer;
const executors: Record<'sqlite' | 'postgres' | 'mysql', QueryExecutor> = {} as never;

beforeAll(async () => {
  const file = path.join(tempFolder('kura-sales-'), 'sales.db');
  writeSalesSqlite(file, rows);
  maria = await startMariaDb();
  const [pgUrl, mariaUrl] = await Promise.all([loadSalesPostgres(rows), loadSalesMariaDb(maria, rows)]);
  executors.sqlite = SqliteExecutor.open(file);
  executors.postgres = await PostgresExecutor.connect(pgUrl);
  executors.mysql = await MysqlExecutor.connect(mariaUrl);
}, 120_000);
afterAll(async () => {
  for (const e of Object.values(executors)) await e?.close();
  await maria?.stop();
});

/** Sales per region and fiscal year (April start), computed here in JavaScript from the generated rows. */
function salesByRegion(fiscalYear: number): Map<string, number> {
  const orders = new Map(rows.orders.map(([id, customer, date]) => [id, { customer, date }]));
  const regionOf = new Map(rows.customers.map(([id, , region]) => [id, REGIONS[region - 1]!]));
  const totals = new Map<string, number>();
  for (const [orderId, , , , amount] of rows.orderLines) {
    const order = orders.get(orderId)!;
    if (order.date < `${fiscalYear}-04-01` || order.date >= `${fiscalYear + 1}-04-01`) continue;
    const region = regionOf.get(order.customer)!;
    totals.set(region, (totals.get(region) ?? 0) + amount);
  }
  return totals;
}

describe.each(['sqlite', 'postgres', 'mysql'] as const)('semantic queries on %s', (kind) => {
  it('answers 「2024年度の地域別売上と前年比は？」 with the numbers computed independently', async () => {
    const parsed = parseQuestion('2024年度の地域別売上と前年比は？', model, EVAL_TODAY);
    expect(parsed.kind).toBe('query');
    if (parsed.kind !== 'query') return;
    const result = await runSemanticQuery(model, parsed.query, executors[kind], limits);
    const now = salesByRegion(2024);
    const before = salesByRegion(2023);
    const expected = REGIONS.map((region) => ({
      region,
      sales: now.get(region)!,
      sales_previous_year: before.get(region)!,
      sales_yoy: now.get(region)! / before.get(region)!,
    }));
    expect(compareTables(result.rows, expected, false)).toBeNull();
    expect(result.columns.map((c) => c.label)).toEqual(['地域', '売上', '前年売上', '売上前年比']);
    expect(result.sql).toHaveLength(2);
    expect(result.sql[0]!.params).toEqual(['2024-04-01', '2025-04-01']);
    expect(result.sql[1]!.params).toEqual(['2023-04-01', '2024-04-01']);
  });

  it('groups by fiscal quarter and reads 2024年度第1四半期 / "Q1 FY2024" as April–June 2024', async () => {
    const dates = new Map(rows.orders.map(([id, , date]) => [id, date]));
    const byQuarter = new Map<string, number>();
    for (const [orderId, , , , amount] of rows.orderLines) {
      const date = dates.get(orderId)!;
      if (date < '2024-04-01' || date >= '2025-04-01') continue;
      const month = Number(date.slice(5, 7));
      const key = `FY2024-Q${month >= 4 ? Math.floor((month - 4) / 3) + 1 : 4}`;
      byQuarter.set(key, (byQuarter.get(key) ?? 0) + amount);
    }
    const expected = [...byQuarter.entries()]
      .sort()
      .map(([k, v]) => ({ order_date_fiscal_quarter: k, sales: v }));
    const parsed = parseQuestion('2024年度の四半期別売上と前年比', model, EVAL_TODAY);
    if (parsed.kind !== 'query') throw new Error(JSON.stringify(parsed));
    const result = await runSemanticQuery(model, parsed.query, executors[kind], limits);
    expect(result.rows.map((r) => r.order_date_fiscal_quarter)).toEqual([
      'FY2024-Q1',
      'FY2024-Q2',
      'FY2024-Q3',
      'FY2024-Q4',
    ]);
    expect(
      compareTables(
        result.rows.map((r) => ({ order_date_fiscal_quarter: r.order_date_fiscal_quarter, sales: r.sales })),
        expected,
        true,
      ),
    ).toBeNull();
    // 前年比 matches FY2023-Q1 with FY2024-Q1.
    expect(result.rows.every((r) => typeof r.sales_previous_year === 'number')).toBe(true);
    for (const q of ['2024年度第1四半期の売上', 'sales in Q1 FY2024', 'FY2024 Q1 revenue']) {
      const one = parseQuestion(q, model, EVAL_TODAY);
      if (one.kind !== 'query') throw new Error(q);
      expect(one.query.timeRange).toEqual({ start: '2024-04-01', end: '2024-07-01' });
      const answer = await runSemanticQuery(model, one.query, executors[kind], limits);
      expect(answer.rows).toEqual([{ sales: byQuarter.get('FY2024-Q1') }]);
    }
  });

  it('gives the same table as SQLite for every question of the evaluation set', async () => {
    if (kind === 'sqlite') return;
    let compared = 0;
    for (const c of EVAL_SET) {
      const parsed = parseQuestion(c.q, model, EVAL_TODAY);
      if (parsed.kind !== 'query') continue;
      const [here, reference] = await Promise.all([
        runSemanticQuery(model, parsed.query, executors[kind], limits),
        runSemanticQuery(model, parsed.query, executors.sqlite, limits),
      ]);
      expect(compareTables(here.rows, reference.rows, c.ordered ?? false), `${kind}: ${c.q}`).toBeNull();
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(85);
  });

  it('treats filter values as data: an injection attempt matches nothing and runs nothing', async () => {
    for (const value of [
      "関東' OR '1'='1",
      '関東"; DROP TABLE orders; --',
      "x' UNION SELECT 1 --",
      "\\' OR 1=1 #",
    ]) {
      const result = await runSemanticQuery(
        model,
        {
          metrics: ['sales'],
          dimensions: [],
          filters: [{ dimension: 'region', op: 'eq', values: [value] }],
          order: [],
        },
        executors[kind],
        limits,
      );
      expect(result.rows).toEqual([{ sales: null }]);
    }
    const still = await runSemanticQuery(
      model,
      { metrics: ['order_count'], dimensions: [], filters: [], order: [] },
      executors[kind],
      limits,
    );
    expect(still.rows).toEqual([{ order_count: rows.orders.length }]);
  });

  it('limits a result that would be too large, and says so', async () => {
    const result = await runSemanticQuery(
      model,
      { metrics: ['sales'], dimensions: [{ name: 'order_date', grain: 'day' }], filters: [], order: [] },
      executors[kind],
      { ...limits, maxRows: 25 },
    );
    expect(result.rows).toHaveLength(25);
    expect(result.truncated).toBe(true);
    expect(result.notes.join()).toContain('25');
  });

  it('runs read-only even when a statement gets past the guard, and stops a slow statement', async () => {
    await expect(executors[kind].run('DELETE FROM orders', [], limits)).rejects.toMatchObject({
      code: 'source_query_failed',
    });
    if (kind === 'sqlite') return; // better-sqlite3 cannot interrupt a statement: no timeout there
    const slow = 'SELECT count(*) AS n FROM order_lines a, order_lines b, order_lines c';
    await expect(executors[kind].run(slow, [], { ...limits, timeoutMs: 200 })).rejects.toBeInstanceOf(
      QueryTimeoutError,
    );
    // The connection is usable afterwards.
    expect(await executors[kind].run('SELECT count(*) AS n FROM regions', [], limits)).toEqual([
      { n: expect.anything() },
    ]);
  });
});
