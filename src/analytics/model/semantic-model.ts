import { z } from 'zod';

/** A name the compiler writes into SQL: letters, digits, underscore (never quoted user text). */
const ident = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/u, 'letters, digits and _ only, starting with a letter or _');
/** A physical table or column name as the source database spells it (quoted by the dialect). */
const physical = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\0"`\\]+$/u, 'a name without quotes, backslashes or NUL');
const synonyms = z.array(z.string().trim().min(1).max(100)).max(50).default([]);

export const TIME_GRAINS = [
  'day',
  'week',
  'month',
  'quarter',
  'year',
  'fiscal_year',
  'fiscal_quarter',
] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];
export const AGGREGATIONS = ['sum', 'avg', 'count', 'count_distinct', 'min', 'max'] as const;

export const tableSchema = z.object({
  name: ident,
  table: physical.describe('the table as the source names it'),
  schema: physical.optional(),
});

export const joinSchema = z.object({
  from: ident.describe('table (model name) holding the foreign key'),
  fromColumn: physical,
  to: ident,
  toColumn: physical,
});

export const dimensionSchema = z.object({
  name: ident,
  label: z.string().min(1).max(100),
  table: ident,
  column: physical,
  type: z.enum(['category', 'time', 'number']).default('category'),
  synonyms,
  /** Values seen in a sample: the offline parser recognises them as filters (「関東の売上」). */
  values: z.array(z.string().max(200)).max(200).default([]),
  /** Personal data: shown masked unless the caller's role allows. */
  personal: z.boolean().default(false),
});

const aggregateMeasure = z.object({
  name: ident,
  label: z.string().min(1).max(100),
  table: ident,
  aggregation: z.enum(AGGREGATIONS),
  column: physical.optional().describe('omitted only for count (counts rows)'),
  format: z.enum(['yen', 'number', 'percent']).default('number'),
  synonyms,
});
const ratioMeasure = z.object({
  name: ident,
  label: z.string().min(1).max(100),
  ratio: z.object({ numerator: ident, denominator: ident }),
  format: z.enum(['yen', 'number', 'percent']).default('number'),
  synonyms,
});
export const measureSchema = z.union([aggregateMeasure, ratioMeasure]);

export const DERIVATIONS = ['yoy', 'share', 'cumulative'] as const;
export type Derivation = (typeof DERIVATIONS)[number];
export const metricSchema = z.object({
  name: ident,
  label: z.string().min(1).max(100),
  measure: ident,
  derivation: z.enum(DERIVATIONS),
  synonyms,
});

export const semanticModelSchema = z
  .object({
    version: z.literal(1).default(1),
    source: z.string().min(1).max(200).describe('the Kura source (name) whose database is queried'),
    fiscalYearStartMonth: z.number().int().min(1).max(12).default(4),
    /** The time dimension time ranges apply to when a question names none. */
    defaultTimeDimension: ident.optional(),
    tables: z.array(tableSchema).min(1).max(200),
    joins: z.array(joinSchema).max(400).default([]),
    dimensions: z.array(dimensionSchema).max(500).default([]),
    measures: z.array(measureSchema).min(1).max(500),
    metrics: z.array(metricSchema).max(500).default([]),
    /**
     * Pre-aggregated rollups (per day × category dimensions) answering what they can exactly:
     * unset = on for database sources, off for uploaded tables; false turns them off.
     */
    rollups: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    const tables = new Set(m.tables.map((t) => t.name));
    const names = new Map<string, string>();
    const unique = (name: string, path: (string | number)[]) => {
      if (names.has(name))
        ctx.addIssue({ code: 'custom', path, message: `"${name}" is already a ${names.get(name)}` });
      names.set(name, String(path[0]).replace(/s$/, ''));
    };
    m.tables.forEach((t, i) => {
      if (m.tables.findIndex((o) => o.name === t.name) !== i)
        ctx.addIssue({ code: 'custom', path: ['tables', i, 'name'], message: `table "${t.name}" twice` });
    });
    m.joins.forEach((j, i) => {
      for (const key of ['from', 'to'] as const)
        if (!tables.has(j[key]))
          ctx.addIssue({ code: 'custom', path: ['joins', i, key], message: `no table "${j[key]}"` });
    });
    m.dimensions.forEach((d, i) => {
      unique(d.name, ['dimensions', i, 'name']);
      if (!tables.has(d.table))
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'table'], message: `no table "${d.table}"` });
    });
    const measures = new Set(m.measures.map((x) => x.name));
    m.measures.forEach((x, i) => {
      unique(x.name, ['measures', i, 'name']);
      if ('ratio' in x) {
        for (const key of ['numerator', 'denominator'] as const)
          if (!measures.has(x.ratio[key]) || x.ratio[key] === x.name)
            ctx.addIssue({
              code: 'custom',
              path: ['measures', i, 'ratio', key],
              message: `no other measure "${x.ratio[key]}"`,
            });
      } else {
        if (!tables.has(x.table))
          ctx.addIssue({ code: 'custom', path: ['measures', i, 'table'], message: `no table "${x.table}"` });
        if (!x.column && x.aggregation !== 'count')
          ctx.addIssue({
            code: 'custom',
            path: ['measures', i, 'column'],
            message: `${x.aggregation} needs a column`,
          });
      }
    });
    m.metrics.forEach((x, i) => {
      unique(x.name, ['metrics', i, 'name']);
      if (!measures.has(x.measure))
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'measure'],
          message: `no measure "${x.measure}"`,
        });
    });
    const timeDims = m.dimensions.filter((d) => d.type === 'time').map((d) => d.name);
    if (m.defaultTimeDimension && !timeDims.includes(m.defaultTimeDimension))
      ctx.addIssue({
        code: 'custom',
        path: ['defaultTimeDimension'],
        message: `no time dimension "${m.defaultTimeDimension}"`,
      });
  });

export type SemanticModel = z.infer<typeof semanticModelSchema>;
export type Dimension = SemanticModel['dimensions'][number];
export type Measure = SemanticModel['measures'][number];
export type AggregateMeasure = z.infer<typeof aggregateMeasure>;
export type Metric = SemanticModel['metrics'][number];
export type ModelTable = SemanticModel['tables'][number];

export const isRatio = (m: Measure): m is z.infer<typeof ratioMeasure> => 'ratio' in m;

/** The time dimension ranges and time grains apply to: the declared default, else the first. */
export function timeDimensionOf(model: SemanticModel): Dimension | undefined {
  const time = model.dimensions.filter((d) => d.type === 'time');
  return time.find((d) => d.name === model.defaultTimeDimension) ?? time[0];
}
