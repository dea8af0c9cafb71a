import {
  isRatio,
  timeDimensionOf,
  type Derivation,
  type Dimension,
  type Measure,
  type SemanticModel,
  type TimeGrain,
} from '../model/semantic-model.js';
import { InvalidQueryError } from './query-errors.js';
import type { SemanticQuery } from './semantic-query.js';

export interface ResolvedDimension {
  column: string;
  label: string;
  dimension: Dimension;
  grain: TimeGrain | undefined;
}
export interface ResolvedDerived {
  column: string;
  label: string;
  derivation: Derivation;
  measure: string;
}

/** A query checked against the model: every name known, derivations mapped onto their measures. */
export interface ResolvedQuery {
  query: SemanticQuery;
  dimensions: ResolvedDimension[];
  measures: Measure[];
  derived: ResolvedDerived[];
  timeDimension: Dimension | undefined;
}

const GRAIN_LABELS: Record<TimeGrain, string> = {
  day: '日',
  week: '週',
  month: '月',
  quarter: '四半期',
  year: '年',
  fiscal_year: '年度',
  fiscal_quarter: '年度四半期',
};

export function resolveQuery(model: SemanticModel, query: SemanticQuery): ResolvedQuery {
  const measureByName = new Map(model.measures.map((m) => [m.name, m]));
  const dimensionByName = new Map(model.dimensions.map((d) => [d.name, d]));
  const measures: Measure[] = [];
  const derived: ResolvedDerived[] = [];
  const addMeasure = (m: Measure) => {
    if (!measures.includes(m)) measures.push(m);
  };
  for (const name of query.metrics) {
    const measure = measureByName.get(name);
    if (measure) {
      addMeasure(measure);
      continue;
    }
    const metric = model.metrics.find((x) => x.name === name);
    if (!metric)
      throw new InvalidQueryError(`The model has no metric or measure "${name}".`, 'unknown_metric');
    addMeasure(measureByName.get(metric.measure)!);
    derived.push({
      column: metric.name,
      label: metric.label,
      derivation: metric.derivation,
      measure: metric.measure,
    });
  }
  const dimensions = query.dimensions.map((d): ResolvedDimension => {
    const dimension = dimensionByName.get(d.name);
    if (!dimension)
      throw new InvalidQueryError(`The model has no dimension "${d.name}".`, 'unknown_dimension');
    if (d.grain && dimension.type !== 'time')
      throw new InvalidQueryError(`"${d.name}" is not a time dimension: it has no ${d.grain} grain.`);
    const grain = dimension.type === 'time' ? (d.grain ?? 'day') : undefined;
    return {
      column: grain ? `${d.name}_${grain}` : d.name,
      label: grain ? `${dimension.label}(${GRAIN_LABELS[grain]})` : dimension.label,
      dimension,
      grain,
    };
  });
  if (new Set(dimensions.map((d) => d.column)).size !== dimensions.length)
    throw new InvalidQueryError('A dimension is named twice.');
  for (const f of query.filters)
    if (!dimensionByName.has(f.dimension))
      throw new InvalidQueryError(
        `The model has no dimension "${f.dimension}" to filter on.`,
        'unknown_dimension',
      );
  const timeDimension = query.timeRange?.dimension
    ? dimensionByName.get(query.timeRange.dimension)
    : timeDimensionOf(model);
  if (query.timeRange && timeDimension?.type !== 'time')
    throw new InvalidQueryError('The time range needs a time dimension in the model.', 'unknown_dimension');
  const columns = new Set([
    ...dimensions.map((d) => d.column),
    ...measures.map((m) => m.name),
    ...derived.map((d) => d.column),
  ]);
  for (const o of query.order)
    if (!columns.has(o.by) && !dimensionByName.has(o.by))
      throw new InvalidQueryError(`Cannot order by "${o.by}": it is not in the result.`);
  for (const d of derived) {
    if (d.derivation === 'yoy' && !query.timeRange)
      throw new InvalidQueryError(
        '前年比 (year over year) needs a period, e.g. 2024年度.',
        'period_required',
      );
    if (d.derivation === 'cumulative' && !dimensions.some((x) => x.grain))
      throw new InvalidQueryError('累計 (a running total) needs a time grain, e.g. 月別.', 'grain_required');
  }
  for (const m of measures) if (isRatio(m)) checkRatioDepth(m, measureByName, 0);
  return { query, dimensions, measures, derived, timeDimension };
}

function checkRatioDepth(m: Measure, byName: Map<string, Measure>, depth: number): void {
  if (depth > 5) throw new InvalidQueryError(`The ratio "${m.name}" refers to itself.`, 'invalid_model');
  if (!isRatio(m)) return;
  checkRatioDepth(byName.get(m.ratio.numerator)!, byName, depth + 1);
  checkRatioDepth(byName.get(m.ratio.denominator)!, byName, depth + 1);
}
