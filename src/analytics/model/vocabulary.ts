/**
 * Japanese labels and synonyms for column and table names that business databases commonly use,
 * so that a proposed model understands 「地域別売上」 before anyone edits it.
 */
export const VOCABULARY: Record<string, { label: string; synonyms: string[] }> = {
  order: { label: '注文', synonyms: ['受注', 'order'] },
  order_line: { label: '注文明細', synonyms: ['明細', 'order line'] },
  customer: { label: '顧客', synonyms: ['取引先', '得意先', 'お客様', 'client', 'customer'] },
  product: { label: '商品', synonyms: ['製品', '品目', 'item', 'product'] },
  region: { label: '地域', synonyms: ['エリア', '地方', 'area', 'region'] },
  category: { label: 'カテゴリ', synonyms: ['分類', '区分', 'category'] },
  prefecture: { label: '都道府県', synonyms: ['県', 'prefecture'] },
  channel: { label: 'チャネル', synonyms: ['販路', 'channel'] },
  status: { label: 'ステータス', synonyms: ['状態', 'status'] },
  store: { label: '店舗', synonyms: ['店', 'store', 'shop'] },
  department: { label: '部署', synonyms: ['部門', 'department'] },
  employee: { label: '社員', synonyms: ['従業員', 'employee', 'staff'] },
  amount: { label: '売上', synonyms: ['売上高', '売り上げ', '金額', '販売額', 'sales', 'revenue', 'amount'] },
  sales: { label: '売上', synonyms: ['売上高', '売り上げ', '販売額', 'sales', 'revenue'] },
  revenue: { label: '売上', synonyms: ['売上高', 'sales', 'revenue'] },
  quantity: { label: '数量', synonyms: ['個数', '販売数', 'units', 'quantity', 'qty'] },
  price: { label: '単価', synonyms: ['価格', 'price'] },
  unit_price: { label: '単価', synonyms: ['価格', 'unit price', 'price'] },
  cost: { label: '原価', synonyms: ['コスト', 'cost'] },
  profit: { label: '利益', synonyms: ['粗利', 'profit', 'margin'] },
  order_date: { label: '注文日', synonyms: ['受注日', 'order date', 'date'] },
  created_at: { label: '作成日', synonyms: ['created'] },
};

export const singular = (name: string) =>
  name.endsWith('ies')
    ? `${name.slice(0, -3)}y`
    : name.endsWith('ses')
      ? name.slice(0, -2)
      : name.endsWith('s')
        ? name.slice(0, -1)
        : name;
