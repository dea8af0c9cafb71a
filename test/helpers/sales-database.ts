/**
 * A small Japanese company's sales database, generated deterministically: regions, customers,
 * products, orders and order lines from 2023-01 to 2025-03 (fiscal years 2023 and 2024 complete).
 * The same rows load into PostgreSQL, MariaDB and SQLite.
 */
export const REGIONS = ['北海道', '東北', '関東', '中部', '関西', '九州'];
const INDUSTRIES = ['製造', '小売', '金融', '物流'];
const CHANNELS = ['オンライン', '店舗', '代理店'];
const PRODUCTS: [string, string, number][] = [
  ['ソラ5Gルーター', '通信機器', 19800],
  ['ソラWi-Fi中継器', '通信機器', 8800],
  ['法人スマートフォン', '通信機器', 64000],
  ['光回線工事', '工事', 22000],
  ['LAN配線工事', '工事', 45000],
  ['保守サポート', 'サービス', 12000],
  ['クラウドPBX', 'サービス', 30000],
  ['セキュリティ診断', 'サービス', 150000],
];
const SURNAMES = [
  '山田',
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山本',
  '松本',
  '井上',
  '木村',
  '林',
  '斎藤',
  '清水',
  '山口',
  '森',
];
const SUFFIXES = ['商事', '物産', '工業', '食品', '運輸', '銀行'];

export interface SalesRows {
  regions: [number, string][];
  customers: [number, string, number, string][];
  products: [number, string, string, number][];
  orders: [number, number, string, string][];
  orderLines: [number, number, number, number, number][];
}

function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateSales(orders: number, seed = 7): SalesRows {
  const rnd = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const regions = REGIONS.map((name, i): [number, string] => [i + 1, name]);
  const customers: SalesRows['customers'] = [];
  for (let i = 1; i <= 60; i++)
    customers.push([
      i,
      `${SURNAMES[(i - 1) % SURNAMES.length]}${SUFFIXES[Math.floor((i - 1) / SURNAMES.length) % SUFFIXES.length]}`,
      1 + ((i * 7) % 6),
      INDUSTRIES[i % 4]!,
    ]);
  const products = PRODUCTS.map(([name, category, price], i): [number, string, string, number] => [
    i + 1,
    name,
    category,
    price,
  ]);
  const start = Date.UTC(2023, 0, 1);
  const days = (Date.UTC(2025, 3, 1) - start) / 86_400_000;
  const out: SalesRows = { regions, customers, products, orders: [], orderLines: [] };
  for (let id = 1; id <= orders; id++) {
    // Later orders are a little more likely: sales grow year on year.
    const day = Math.floor(Math.sqrt(rnd()) * days);
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    const customer = 1 + Math.floor(rnd() * customers.length);
    out.orders.push([id, customer, date, pick(CHANNELS)]);
    const lines = 1 + Math.floor(rnd() * 3);
    for (let line = 1; line <= lines; line++) {
      const product = products[Math.floor(rnd() * products.length)]!;
      const quantity = 1 + Math.floor(rnd() * 5);
      out.orderLines.push([id, line, product[0], quantity, quantity * product[3]]);
    }
  }
  return out;
}

export type SalesDialect = 'postgres' | 'mysql' | 'sqlite';

export function salesSchema(dialect: SalesDialect): string[] {
  const date = dialect === 'sqlite' ? 'TEXT' : 'DATE';
  const text = dialect === 'mysql' ? 'VARCHAR(200)' : 'TEXT';
  return [
    `CREATE TABLE regions (id INTEGER PRIMARY KEY, name ${text} NOT NULL)`,
    `CREATE TABLE customers (id INTEGER PRIMARY KEY, name ${text} NOT NULL, region_id INTEGER NOT NULL REFERENCES regions (id), industry ${text} NOT NULL)`,
    `CREATE TABLE products (id INTEGER PRIMARY KEY, name ${text} NOT NULL, category ${text} NOT NULL, unit_price INTEGER NOT NULL)`,
    `CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), order_date ${date} NOT NULL, channel ${text} NOT NULL)`,
    `CREATE TABLE order_lines (order_id INTEGER NOT NULL REFERENCES orders (id), line_no INTEGER NOT NULL, product_id INTEGER NOT NULL REFERENCES products (id), quantity INTEGER NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (order_id, line_no))`,
  ];
}

const literal = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

/** INSERT statements in batches (the values are ours: generated above, never user input). */
export function salesInserts(rows: SalesRows, batch = 1000): string[] {
  const out: string[] = [];
  const add = (table: string, list: (string | number)[][]) => {
    for (let i = 0; i < list.length; i += batch)
      out.push(
        `INSERT INTO ${table} VALUES ${list
          .slice(i, i + batch)
          .map((r) => `(${r.map(literal).join(', ')})`)
          .join(', ')}`,
      );
  };
  add('regions', rows.regions);
  add('customers', rows.customers);
  add('products', rows.products);
  add('orders', rows.orders);
  add('order_lines', rows.orderLines);
  return out;
}
