import { parseModelYaml } from '../../analytics/model/model-yaml.js';
import type { SemanticModel } from '../../analytics/model/semantic-model.js';
import { UPLOADED_SOURCE } from '../../analytics/tables/uploaded-table-store.js';

/** The demo sales database's semantic model, as an admin would curate Kura's proposal. */
export function demoSalesModelYaml(schema: string): string {
  const t = (name: string) => `{ name: ${name}, table: ${name}, schema: ${schema} }`;
  return `# デモ販売データベースの意味モデル (Kura のデモが作成)。
version: 1
source: "${UPLOADED_SOURCE}"
fiscalYearStartMonth: 4
defaultTimeDimension: order_date
tables:
  - ${t('order_lines')}
  - ${t('orders')}
  - ${t('customers')}
  - ${t('products')}
  - ${t('regions')}
joins:
  - { from: order_lines, fromColumn: order_id, to: orders, toColumn: id }
  - { from: order_lines, fromColumn: product_id, to: products, toColumn: id }
  - { from: orders, fromColumn: customer_id, to: customers, toColumn: id }
  - { from: customers, fromColumn: region_id, to: regions, toColumn: id }
dimensions:
  - { name: order_date, label: 注文日, table: orders, column: order_date, type: time, synonyms: [受注日, order date] }
  - name: region
    label: 地域
    table: regions
    column: name
    synonyms: [エリア, 地方, 地区, area, region]
    values: [北海道, 東北, 関東, 中部, 関西, 九州]
  - { name: customer, label: 顧客, table: customers, column: name, synonyms: [取引先, 得意先, customer, client] }
  - name: industry
    label: 業種
    table: customers
    column: industry
    synonyms: [業界, industry, sector]
    values: [製造, 小売, 金融, 物流]
  - { name: product, label: 商品, table: products, column: name, synonyms: [製品, 品目, product, item] }
  - name: category
    label: カテゴリ
    table: products
    column: category
    synonyms: [商品カテゴリ, 分類, category]
    values: [通信機器, 工事, サービス]
  - name: channel
    label: チャネル
    table: orders
    column: channel
    synonyms: [販路, 販売チャネル, channel, sales channel]
    values: [オンライン, 店舗, 代理店]
measures:
  - { name: sales, label: 売上, table: order_lines, aggregation: sum, column: amount, format: yen, synonyms: [売上高, 売り上げ, 販売額, sales, revenue] }
  - { name: quantity, label: 数量, table: order_lines, aggregation: sum, column: quantity, synonyms: [販売数量, 個数, quantity, units] }
  - { name: order_count, label: 注文数, table: orders, aggregation: count_distinct, column: id, synonyms: [注文件数, 受注件数, 件数, orders, number of orders] }
  - { name: customer_count, label: 顧客数, table: orders, aggregation: count_distinct, column: customer_id, synonyms: [取引先数, customer count] }
  - { name: average_order_value, label: 客単価, ratio: { numerator: sales, denominator: order_count }, format: yen, synonyms: [注文単価, average order value] }
metrics:
  - { name: sales_yoy, label: 売上前年比, measure: sales, derivation: yoy }
  - { name: sales_share, label: 売上構成比, measure: sales, derivation: share }
  - { name: sales_cumulative, label: 売上累計, measure: sales, derivation: cumulative }
  - { name: order_count_yoy, label: 注文数前年比, measure: order_count, derivation: yoy }
`;
}

export const demoSalesModel = (schema: string): SemanticModel => parseModelYaml(demoSalesModelYaml(schema));
