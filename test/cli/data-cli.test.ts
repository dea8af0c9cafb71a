import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/connectors-harness.js';
import { runCli, TEST_MASTER_KEY } from '../helpers/run-cli.js';
import { generateSales } from '../helpers/sales-database.js';
import { SALES_MODEL_YAML, writeSalesSqlite } from '../helpers/sales-fixture-files.js';
import { createServerDatabase } from '../helpers/test-database.js';

const rows = generateSales(1500, 3);
const folder = tempFolder('kura-data-cli-');
const dbFile = path.join(folder, 'sales.db');
let env: Record<string, string>;
const kura = (args: string[], stdin = '') => runCli(args, env, stdin);

/** Monthly sales of fiscal 2024, computed here from the generated rows. */
function monthlySales2024(): Map<string, number> {
  const dates = new Map(rows.orders.map(([id, , date]) => [id, date]));
  const totals = new Map<string, number>();
  for (const [orderId, , , , amount] of rows.orderLines) {
    const date = dates.get(orderId)!;
    if (date < '2024-04-01' || date >= '2025-04-01') continue;
    totals.set(date.slice(0, 7), (totals.get(date.slice(0, 7)) ?? 0) + amount);
  }
  return totals;
}

describe('kura data', () => {
  beforeAll(async () => {
    writeSalesSqlite(dbFile, rows);
    env = { DATABASE_URL: await createServerDatabase(), KURA_MASTER_KEY: TEST_MASTER_KEY };
    expect((await kura(['tenant', 'create', 'demo-sales', '--name', 'デモ販売'])).code).toBe(0);
    const added = await kura([
      'source',
      'add',
      'sqlite',
      '--tenant',
      'demo-sales',
      '--path',
      dbFile,
      '--name',
      '基幹DB',
    ]);
    expect(added.code, added.stderr).toBe(0);
  }, 120_000);

  it('sets the model from a file, refuses a broken one with its line, and prints it back', async () => {
    const broken = path.join(folder, 'broken.yaml');
    writeFileSync(broken, SALES_MODEL_YAML.replace('fiscalYearStartMonth: 4', 'fiscalYearStartMonth: 0'));
    const refused = await kura(['data', 'model', 'set', '--tenant', 'demo-sales', broken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 4');
    const file = path.join(folder, 'model.yaml');
    writeFileSync(file, SALES_MODEL_YAML);
    const saved = await kura(['data', 'model', 'set', '--tenant', 'demo-sales', file]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/version \d+/u);
    const got = await kura(['data', 'model', 'get', '--tenant', 'demo-sales']);
    expect(got.stdout).toContain('fiscalYearStartMonth: 4');
  });

  it('answers 「2024年度の月別売上」 with the right numbers and the SQL', async () => {
    const answer = await kura(['data', 'ask', '--tenant', 'demo-sales', '2024年度の月別売上']);
    expect(answer.code, answer.stderr).toBe(0);
    for (const [month, total] of monthlySales2024()) {
      const line = answer.stdout.split('\n').find((l) => l.startsWith(month));
      expect(line, month).toContain(`¥${total.toLocaleString('ja-JP')}`);
    }
    expect(answer.stdout).toContain('SQL: SELECT strftime');
    expect(answer.stdout).toContain('["2024-04-01","2025-04-01"]');

    const json = await kura(['data', 'ask', '--tenant', 'demo-sales', '--json', '2024年度の月別売上']);
    const body = JSON.parse(json.stdout);
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['query', 'sql', 'columns', 'rows', 'chart', 'narrative']),
    );
    expect(body.rows).toHaveLength(12);
    expect(body.chart.mark).toMatchObject({ type: 'line' });
    expect(body.rows.map((r: { sales: number }) => r.sales)).toEqual(
      [...monthlySales2024().entries()].sort().map(([, v]) => v),
    );
  });

  it('exports the table as CSV', async () => {
    const csv = await kura(['data', 'ask', '--tenant', 'demo-sales', '--csv', '2024年度の月別売上']);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe('\uFEFF注文日(月),売上');
    expect(lines).toHaveLength(13);
    expect(lines[1]).toBe(`2024-04,${monthlySales2024().get('2024-04')}`);
  });

  it('asks back instead of guessing', async () => {
    const answer = await kura(['data', 'ask', '--tenant', 'demo-sales', '天気はどう？']);
    expect(answer.code).toBe(0);
    expect(answer.stdout).toContain('どの数字');
    expect(answer.stdout).toContain('売上 (sales)');
  });
});
