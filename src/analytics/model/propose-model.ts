import type { TableInfo } from '../../connectors/database/sql-source.js';
import type { SemanticModel } from './semantic-model.js';
import { semanticModelSchema } from './semantic-model.js';
import { singular, VOCABULARY } from './vocabulary.js';

const NUMERIC = /int|numeric|decimal|real|double|float|money|number/iu;
const TEMPORAL = /date|time/iu;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/u;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/u;

const identOf = (name: string) => {
  const cleaned = name
    .replace(/[^A-Za-z0-9_]/gu, '_')
    .replace(/^(\d)/u, '_$1')
    .slice(0, 63);
  return IDENT.test(cleaned) ? cleaned : 't';
};

/**
 * Drafts a semantic model from a database's tables and a sample of their rows: `x_id` columns
 * that name another table's key become joins, date columns time dimensions, short text columns
 * categories (their sampled values recognised in questions), numbers sums with 前年比・構成比・累計.
 */
export function proposeModel(
  sourceName: string,
  tables: TableInfo[],
  samples: Map<string, Record<string, unknown>[]>,
): SemanticModel {
  const modelTables = tables.map((t) => ({
    name: identOf(t.name),
    table: t.name,
    ...(t.schema && t.schema !== 'public' ? { schema: t.schema } : {}),
  }));
  const byEntity = new Map(tables.map((t) => [singular(t.name.toLowerCase()), t]));
  const joins: SemanticModel['joins'] = [];
  const dimensions: SemanticModel['dimensions'] = [];
  const measures: SemanticModel['measures'] = [];
  const metrics: SemanticModel['metrics'] = [];
  const used = new Set<string>();
  const claim = (name: string) => {
    let n = identOf(name);
    for (let i = 2; used.has(n); i++) n = `${identOf(name)}_${i}`;
    used.add(n);
    return n;
  };

  for (const t of tables) {
    const entity = singular(t.name.toLowerCase());
    const words = VOCABULARY[entity];
    const rows = samples.get(t.name) ?? [];
    for (const c of t.columns) {
      const lower = c.name.toLowerCase();
      const ref = lower.match(/^(.+?)_(id|code|no|cd)$/u);
      const target = ref ? byEntity.get(ref[1]!) : undefined;
      if (target && target !== t && target.primaryKey.length === 1) {
        joins.push({
          from: identOf(t.name),
          fromColumn: c.name,
          to: identOf(target.name),
          toColumn: target.primaryKey[0]!,
        });
        continue;
      }
      if (t.primaryKey.includes(c.name) || lower === 'id' || /_id$/u.test(lower)) continue;
      const values = rows.map((r) => r[c.name]).filter((v) => v !== null && v !== undefined);
      const temporal =
        TEMPORAL.test(c.type) ||
        (values.length > 0 && values.every((v) => v instanceof Date || ISO_DATE.test(String(v))));
      const vocab = VOCABULARY[lower];
      if (temporal) {
        dimensions.push({
          name: claim(lower),
          label: vocab?.label ?? c.name,
          table: identOf(t.name),
          column: c.name,
          type: 'time',
          synonyms: vocab?.synonyms ?? [],
          values: [],
          personal: false,
        });
      } else if (NUMERIC.test(c.type)) {
        const name = claim(lower === 'amount' ? 'sales' : lower);
        const label = vocab?.label ?? c.name;
        measures.push({
          name,
          label,
          table: identOf(t.name),
          aggregation: 'sum',
          column: c.name,
          format: /amount|sales|revenue|price|cost|profit/u.test(lower) ? 'yen' : 'number',
          synonyms: vocab?.synonyms ?? [],
        });
        for (const [derivation, suffix, ja, en] of [
          ['yoy', 'yoy', '前年比', 'year over year'],
          ['share', 'share', '構成比', 'share'],
          ['cumulative', 'cumulative', '累計', 'cumulative'],
        ] as const)
          metrics.push({
            name: claim(`${name}_${suffix}`),
            label: `${label}${ja}`,
            measure: name,
            derivation,
            synonyms: [`${name} ${en}`],
          });
      } else {
        const distinct = [...new Set(values.map(String))];
        // The entity's name column stands for the entity (customers.name → 顧客).
        const isName = lower === 'name' || lower === `${entity}_name` || lower === 'title';
        const dimName = isName ? entity : vocab ? lower : `${entity}_${lower}`;
        const label = isName ? (words?.label ?? t.name) : (vocab?.label ?? c.name);
        dimensions.push({
          name: claim(dimName),
          label,
          table: identOf(t.name),
          column: c.name,
          type: 'category',
          synonyms: isName ? (words?.synonyms ?? []) : (vocab?.synonyms ?? []),
          values: distinct.length > 0 && distinct.length <= 60 ? distinct.filter((v) => v.length <= 200) : [],
          personal: /mail|phone|tel|address|住所|電話/iu.test(lower),
        });
      }
    }
    if (t.primaryKey.length > 0 && t.kind === 'table') {
      const name = claim(`${entity}_count`);
      const label = `${words?.label ?? t.name}数`;
      measures.push({
        name,
        label,
        table: identOf(t.name),
        aggregation: 'count',
        format: 'number',
        synonyms: [`${entity} count`, `number of ${t.name}`, `${words?.label ?? t.name}件数`],
      });
    }
  }
  const time = dimensions.find((d) => d.type === 'time');
  return semanticModelSchema.parse({
    version: 1,
    source: sourceName,
    fiscalYearStartMonth: 4,
    ...(time ? { defaultTimeDimension: time.name } : {}),
    tables: modelTables,
    joins,
    dimensions,
    measures,
    metrics,
  });
}
