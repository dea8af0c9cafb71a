import type { QueryResult, ResultColumn } from '../engine/run-query.js';

/** A Vega-Lite v5 spec (data inline), or null when a table says it better (one number, many columns). */
export type ChartSpec = Record<string, unknown> | null;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

function axisFormat(column: ResultColumn): Record<string, unknown> {
  if (column.format === 'percent') return { format: '.1%' };
  if (column.format === 'yen') return { format: ',.0f', title: `${column.label} (円)` };
  return { format: ',.0f' };
}

const field = (column: ResultColumn, type: 'quantitative' | 'nominal' | 'ordinal') => ({
  field: column.name,
  type,
  title: column.label,
  ...(type === 'quantitative' ? { axis: axisFormat(column) } : {}),
});

/**
 * Picks the chart by the result's shape: a period → a line per series; one category and a share →
 * an arc (pie); categories → bars, longest first; a second dimension → colour.
 */
export function chartFor(result: QueryResult): ChartSpec {
  const dims = result.columns.filter((c) => c.role === 'dimension');
  const values = result.columns.filter((c) => c.role !== 'dimension');
  if (result.rows.length === 0 || dims.length === 0 || dims.length > 2) return null;
  const data = { values: result.rows };
  const time = dims.find((d) => d.format === 'time');
  const other = dims.find((d) => d !== time);
  const share = values.find(
    (v) => result.query.metrics.includes(v.name) && v.format === 'percent' && v.name.endsWith('share'),
  );
  const primary = values.find((v) => v.role === 'measure') ?? values[0]!;
  const base = { $schema: SCHEMA, data, width: 'container', height: 300 };
  if (time) {
    const series = values.filter((v) => v.format !== 'percent');
    const plotted = series.length > 0 ? series : [primary];
    if (plotted.length > 1 && !other)
      return {
        ...base,
        transform: [{ fold: plotted.map((p) => p.name), as: ['metric', 'value'] }],
        mark: { type: 'line', point: true },
        encoding: {
          x: field(time, 'ordinal'),
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'metric', type: 'nominal' },
        },
      };
    return {
      ...base,
      mark: { type: 'line', point: true },
      encoding: {
        x: field(time, 'ordinal'),
        y: field(plotted[0]!, 'quantitative'),
        ...(other ? { color: field(other, 'nominal') } : {}),
        tooltip: result.columns.map((c) => ({ field: c.name, title: c.label })),
      },
    };
  }
  if (share && dims.length === 1)
    return {
      ...base,
      mark: { type: 'arc', innerRadius: 50 },
      encoding: {
        theta: field(share, 'quantitative'),
        color: field(dims[0]!, 'nominal'),
        tooltip: result.columns.map((c) => ({ field: c.name, title: c.label })),
      },
    };
  return {
    ...base,
    mark: 'bar',
    encoding: {
      y: { ...field(dims[0]!, 'nominal'), sort: '-x' },
      x: field(primary, 'quantitative'),
      ...(other ? { color: field(other, 'nominal') } : {}),
      tooltip: result.columns.map((c) => ({ field: c.name, title: c.label })),
    },
  };
}
