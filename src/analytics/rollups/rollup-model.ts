import {
  isRatio,
  type AggregateMeasure,
  type Dimension,
  type Measure,
  type SemanticModel,
} from '../model/semantic-model.js';

/** Aggregations a day's value can be re-aggregated from exactly (avg through its sum and count). */
const ROLLABLE = new Set(['sum', 'count', 'avg', 'min', 'max']);

/** What one rollup holds: the fact table's rollable measures per day × these category dimensions. */
export interface RollupSpec {
  fact: string;
  time: Dimension;
  dimensions: Dimension[];
  measures: AggregateMeasure[];
}

/** One stored column and the source aggregate that fills it. */
export interface RollupColumn {
  /** The column in the rollup table (t, d1…, m1…). */
  column: string;
  /** The build query's result column. */
  source: string;
  kind: 'time' | 'dimension' | 'measure';
}

/**
 * The fact tables and their measures a rollup can hold: every aggregate measure but count distinct
 * (a day's distinct values do not add up to a month's). One rollup reads one fact table, as the
 * compiler's FROM does: measures of two tables in one query stay with the source.
 */
export function rollableMeasures(model: SemanticModel): Map<string, AggregateMeasure[]> {
  const byTable = new Map<string, AggregateMeasure[]>();
  for (const m of model.measures)
    if (!isRatio(m) && ROLLABLE.has(m.aggregation))
      byTable.set(m.table, [...(byTable.get(m.table) ?? []), m]);
  return byTable;
}

/** Category dimensions a rollup may group by (time and number dimensions are not). */
export const categoryDimensions = (model: SemanticModel): Dimension[] =>
  model.dimensions.filter((d) => d.type === 'category');

/**
 * The source model plus the aggregates the build query needs, named `__…` so they never meet a
 * model's own names: per measure its aggregate (an average as sum and count), and `__rows`, the
 * fact rows, which proves the joins to the dimensions neither dropped nor repeated a row.
 */
export function buildModel(model: SemanticModel, spec: RollupSpec): SemanticModel {
  const measures: AggregateMeasure[] = [];
  spec.measures.forEach((m, i) => {
    const base = { label: m.label, table: m.table, format: m.format, synonyms: [] };
    if (m.aggregation === 'avg') {
      measures.push({ ...base, name: `__s${i}`, aggregation: 'sum', column: m.column });
      measures.push({ ...base, name: `__c${i}`, aggregation: 'count', column: m.column });
    } else measures.push({ ...m, name: `__m${i}`, synonyms: [] });
  });
  measures.push({
    name: '__rows',
    label: 'rows',
    table: spec.fact,
    aggregation: 'count',
    format: 'number',
    synonyms: [],
  });
  return { ...model, measures: [...measures, ...model.measures] };
}

/** The build query's measure names, in order (the stored columns m0, m1… follow it). */
export const buildMeasureNames = (model: SemanticModel): string[] =>
  model.measures.filter((m) => m.name.startsWith('__')).map((m) => m.name);

/**
 * The semantic model describing a stored rollup table: the same dimension, measure and metric
 * names and labels as the source model, so a query resolves and compiles against it unchanged
 * (compiler, guard and dialect reused). A sum or count becomes a sum of the daily values, min and
 * max stay min and max, an average becomes the ratio of the summed sums and counts; ratios and
 * derived metrics of those measures carry over.
 */
export function storedModel(
  model: SemanticModel,
  spec: RollupSpec,
  table: { schema: string; table: string },
): SemanticModel {
  const R = 'rollup';
  const dimensions: Dimension[] = [
    { ...spec.time, table: R, column: 't' },
    ...spec.dimensions.map((d, i) => ({ ...d, table: R, column: `d${i}` })),
  ];
  const measures: Measure[] = [];
  const built = buildMeasureNames(buildModel(model, spec));
  const columnOf = (name: string) => `m${built.indexOf(name)}`;
  spec.measures.forEach((m, i) => {
    const base = { name: m.name, label: m.label, format: m.format, synonyms: m.synonyms };
    if (m.aggregation === 'avg') {
      const parts = { table: R, format: m.format, synonyms: [], label: m.label };
      measures.push({ ...parts, name: `__s${i}`, aggregation: 'sum', column: columnOf(`__s${i}`) });
      measures.push({ ...parts, name: `__c${i}`, aggregation: 'sum', column: columnOf(`__c${i}`) });
      measures.push({ ...base, ratio: { numerator: `__s${i}`, denominator: `__c${i}` } });
    } else
      measures.push({
        ...base,
        table: R,
        aggregation: m.aggregation === 'count' ? 'sum' : m.aggregation,
        column: columnOf(`__m${i}`),
      });
  });
  // Ratios whose parts the rollup holds (to any depth) answer from it too.
  const held = new Set(measures.map((m) => m.name));
  for (let grew = true; grew;) {
    grew = false;
    for (const m of model.measures)
      if (isRatio(m) && !held.has(m.name) && held.has(m.ratio.numerator) && held.has(m.ratio.denominator)) {
        measures.push(m);
        held.add(m.name);
        grew = true;
      }
  }
  return {
    version: 1,
    source: model.source,
    fiscalYearStartMonth: model.fiscalYearStartMonth,
    defaultTimeDimension: spec.time.name,
    tables: [{ name: R, table: table.table, schema: table.schema }],
    joins: [],
    dimensions,
    measures,
    metrics: model.metrics.filter((x) => held.has(x.measure)),
  };
}

/** The model's measures a stored rollup answers (its own, hidden `__` parts left out). */
export const answeredMeasures = (rollup: SemanticModel): string[] =>
  rollup.measures.filter((m) => !m.name.startsWith('__')).map((m) => m.name);

/** Measures that were counts in the source: an empty period sums to NULL where COUNT says 0. */
export const countMeasures = (spec: RollupSpec): string[] =>
  spec.measures.filter((m) => m.aggregation === 'count').map((m) => m.name);
