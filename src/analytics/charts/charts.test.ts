import { describe, expect, it } from 'vitest';
import type { QueryResult } from '../engine/run-query.js';
import { chartFor } from './chart-spec.js';
import { formatValue, narrativeFor } from './narrative.js';
import { resultToCsv } from './result-csv.js';

const base = { sql: [], truncated: false, notes: [], from: 'source' as const };
const monthly: QueryResult = {
  ...base,
  query: { metrics: ['sales'], dimensions: [{ name: 'order_date', grain: 'month' }], filters: [], order: [] },
  columns: [
    { name: 'order_date_month', label: '注文日(月)', role: 'dimension', format: 'time', grain: 'month' },
    { name: 'sales', label: '売上', role: 'measure', format: 'yen' },
  ],
  rows: [
    { order_date_month: '2024-04', sales: 1000 },
    { order_date_month: '2024-05', sales: 1500 },
  ],
};
const shares: QueryResult = {
  ...base,
  query: { metrics: ['sales_share'], dimensions: [{ name: 'channel' }], filters: [], order: [] },
  columns: [
    { name: 'channel', label: 'チャネル', role: 'dimension', format: 'category' },
    { name: 'sales', label: '売上', role: 'measure', format: 'yen' },
    { name: 'sales_share', label: '売上構成比', role: 'metric', format: 'percent' },
  ],
  rows: [
    { channel: '=HYPERLINK("x")', sales: 300, sales_share: 0.75 },
    { channel: '店舗, 本店', sales: 100, sales_share: 0.25 },
  ],
};

describe('charts, narrative and CSV', () => {
  it('draws time as a line, shares as an arc, categories as bars, one number as no chart', () => {
    expect(chartFor(monthly)).toMatchObject({
      mark: { type: 'line' },
      encoding: { x: { field: 'order_date_month' } },
    });
    expect(chartFor(shares)).toMatchObject({
      mark: { type: 'arc' },
      encoding: { theta: { field: 'sales_share', axis: { format: '.1%' } } },
    });
    const bars = {
      ...shares,
      query: { ...shares.query, metrics: ['sales'] },
      columns: shares.columns.slice(0, 2),
    };
    expect(chartFor(bars)).toMatchObject({
      mark: 'bar',
      encoding: { y: { sort: '-x' }, x: { field: 'sales' } },
    });
    expect(chartFor({ ...monthly, columns: [monthly.columns[1]!], rows: [{ sales: 5 }] })).toBeNull();
  });

  it('writes the narrative from the numbers only', () => {
    expect(narrativeFor(monthly)).toBe(
      '2件の売上の合計は¥2,500です。2024-04の¥1,000から2024-05の¥1,500へ増加しました(50.0%)。',
    );
    expect(formatValue(0.1234, shares.columns[2]!)).toBe('12.3%');
  });

  it('exports CSV that Excel reads and that cannot smuggle a formula', () => {
    expect(resultToCsv(shares)).toBe(
      '\uFEFFチャネル,売上,売上構成比\r\n"\'=HYPERLINK(""x"")",300,0.75\r\n"店舗, 本店",100,0.25\r\n',
    );
  });
});
