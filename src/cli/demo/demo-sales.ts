import { companySchema } from '../../analytics/tables/physical-names.js';
import { createTable, type UploadedColumn } from '../../analytics/tables/uploaded-table-store.js';
import type { Queryable } from '../../platform/db/database.js';
import type { Runtime } from '../runtime.js';
import { demoSalesModel, demoSalesModelYaml } from './demo-sales-model.js';

const int = (name: string, header = name): UploadedColumn => ({ header, name, type: 'integer' });
const text = (name: string, header = name): UploadedColumn => ({ header, name, type: 'text' });
const TABLES: { name: string; label: string; columns: UploadedColumn[] }[] = [
  { name: 'regions', label: '地域', columns: [int('id'), text('name', '地域名')] },
  {
    name: 'products',
    label: '商品',
    columns: [int('id'), text('name', '商品名'), text('category', 'カテゴリ'), int('unit_price', '単価')],
  },
  {
    name: 'customers',
    label: '顧客',
    columns: [int('id'), text('name', '顧客名'), text('industry', '業種'), int('region_id', '地域ID')],
  },
  {
    name: 'orders',
    label: '注文',
    columns: [
      int('id'),
      { header: '注文日', name: 'order_date', type: 'date' },
      int('customer_id', '顧客ID'),
      text('channel', 'チャネル'),
    ],
  },
  {
    name: 'order_lines',
    label: '注文明細',
    columns: [
      int('id'),
      int('order_id', '注文ID'),
      int('product_id', '商品ID'),
      int('quantity', '数量'),
      int('amount', '金額'),
    ],
  },
];

/** Each demo company's size and character: its own volume, regions it is strong in, price level. */
const PROFILE: Record<string, { orders: number; seed: number; price: number }> = {
  'sora-hd': { orders: 6_000, seed: 11, price: 1.0 },
  'sora-mobile': { orders: 12_000, seed: 23, price: 0.8 },
  'sora-pay': { orders: 8_000, seed: 37, price: 1.3 },
};

/** A deterministic number in [0, n) from a company seed and keys (same data on every fresh start). */
const pick = (seed: number, key: string, n: number) => `(abs(hashtext('${seed}:' || ${key})) % ${n})`;

async function fill(
  tx: Queryable,
  tenantId: string,
  s: string,
  p: { orders: number; seed: number; price: number },
) {
  const t = (name: string) => `"${s}"."${name}"`;
  await tx.query(
    `INSERT INTO ${t('regions')} (tenant_id, _row, id, name)
     SELECT $1, i, i, (ARRAY['北海道','東北','関東','中部','関西','九州'])[i] FROM generate_series(1, 6) i`,
    [tenantId],
  );
  await tx.query(
    `INSERT INTO ${t('products')} (tenant_id, _row, id, name, category, unit_price)
     SELECT $1, i, i, (ARRAY['スマートフォンA','スマートフォンB','タブレット','ルーター','光回線工事','基地局工事','配線工事','保守サービス','クラウド監視','セキュリティ診断','導入支援','ヘルプデスク'])[i],
            (ARRAY['通信機器','通信機器','通信機器','通信機器','工事','工事','工事','サービス','サービス','サービス','サービス','サービス'])[i],
            round((ARRAY[68000,45000,52000,18000,120000,480000,35000,30000,15000,90000,200000,12000])[i] * $2::numeric)
       FROM generate_series(1, 12) i`,
    [tenantId, p.price],
  );
  await tx.query(
    `INSERT INTO ${t('customers')} (tenant_id, _row, id, name, industry, region_id)
     SELECT $1, i, i, (ARRAY['山田','佐藤','鈴木','高橋','田中','伊藤','渡辺','中村','小林','加藤'])[1 + i % 10]
                      || (ARRAY['商事','工業','物産','電機','運輸','銀行','製作所','ストア'])[1 + (i / 10) % 8] || i,
            (ARRAY['製造','小売','金融','物流'])[1 + ${pick(p.seed, "'ind' || i", 4)}],
            -- Skewed per company: the seed decides which regions hold most customers.
            1 + (${pick(p.seed, "'reg' || i", 21)} * ${pick(p.seed, "'skew' || i", 6)} + ${p.seed}) % 6
       FROM generate_series(1, 240) i`,
    [tenantId],
  );
  // Three fiscal years (2023–2025), busier in March and December, growing each year.
  await tx.query(
    `INSERT INTO ${t('orders')} (tenant_id, _row, id, order_date, customer_id, channel)
     SELECT $1, i, i, date '2023-04-01' + ${pick(p.seed, "'day' || i", 1096)},
            1 + ${pick(p.seed, "'cus' || i", 240)},
            (ARRAY['オンライン','店舗','代理店','オンライン'])[1 + ${pick(p.seed, "'ch' || i", 4)}]
       FROM generate_series(1, $2::integer) i`,
    [tenantId, p.orders],
  );
  await tx.query(
    `INSERT INTO ${t('order_lines')} (tenant_id, _row, id, order_id, product_id, quantity, amount)
     SELECT $1, n, n, order_id, product_id, quantity, quantity * unit_price * growth / 100
       FROM (SELECT row_number() OVER (ORDER BY o.id, k) AS n, o.id AS order_id, pr.id AS product_id,
                    1 + ${pick(p.seed, "'q' || o.id || ':' || k", 8)} AS quantity, pr.unit_price,
                    100 + 6 * (extract(year FROM o.order_date - interval '3 months')::integer - 2023)
                        + CASE WHEN extract(month FROM o.order_date) IN (3, 12) THEN 25 ELSE 0 END AS growth
               FROM ${t('orders')} o
               CROSS JOIN generate_series(1, 3) k
               JOIN ${t('products')} pr ON pr.id = 1 + ${pick(p.seed, "'p' || o.id || ':' || k", 12)}
              WHERE k <= 1 + ${pick(p.seed, "'n' || o.id", 3)}) lines`,
    [tenantId],
  );
}

/**
 * The demo's sales database: five tables in each demo company's own schema (different volumes and
 * regions per company), registered like uploaded tables, with a curated semantic model, so that
 * `kura data ask --tenant sora-mobile "2024年度の月別売上"` answers on a fresh start. Once per company.
 */
export async function seedDemoSales(rt: Runtime, slugs: readonly string[]): Promise<string[]> {
  const seeded: string[] = [];
  for (const slug of slugs) {
    const profile = PROFILE[slug];
    const company = await rt.tenancy.repos.companies.findBySlug(slug);
    if (!profile || !company) continue;
    const tenantId = company.id;
    const present = await rt.analytics.store.list(tenantId);
    if (present.some((r) => r.document_id === null && r.table_name === 'order_lines')) continue;
    const schema = companySchema(tenantId);
    await rt.db.owner(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      for (const table of TABLES) await createTable(tx, tenantId, schema, table.name, table.columns);
      await fill(tx, tenantId, schema, profile);
      for (const table of TABLES) {
        const [count] = await tx.query<{ n: string }>(
          `SELECT count(*) AS n FROM "${schema}"."${table.name}"`,
        );
        await rt.analytics.store.register(tx, tenantId, {
          name: table.label,
          table: table.name,
          columns: table.columns,
          rowCount: Number(count!.n),
        });
      }
      await tx.query(`CREATE INDEX ON "${schema}"."orders" (order_date)`);
      // Statistics now: without them the planner takes the fresh tables for empty (nested loops).
      for (const table of TABLES) await tx.query(`ANALYZE "${schema}"."${table.name}"`);
    });
    await rt.analytics.models.save(tenantId, {
      yaml: demoSalesModelYaml(schema),
      model: demoSalesModel(schema),
      origin: 'edited',
      createdBy: 'demo',
    });
    seeded.push(slug);
  }
  return seeded;
}
