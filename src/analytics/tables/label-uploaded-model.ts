import type { SemanticModel } from '../model/semantic-model.js';
import type { UploadedColumn } from './uploaded-table-store.js';

interface Described {
  name: string;
  label: string;
  uploaded: UploadedColumn[];
}

const DERIVED_SUFFIX = { yoy: '前年比', share: '構成比', cumulative: '累計' } as const;

/**
 * A model proposed from uploaded sheets speaks the sheets' words: each dimension and measure is
 * labelled with the header the user wrote (「売上」, not col_3), which also becomes a synonym, so
 * 「月別売上」 finds it; derived metrics and row counts follow.
 */
export function labelUploadedModel(model: SemanticModel, tables: Described[]): SemanticModel {
  const header = new Map<string, string>();
  const sheet = new Map<string, string>();
  for (const t of tables) {
    sheet.set(t.name, t.label);
    for (const c of t.uploaded) header.set(`${t.name}.${c.name}`, c.header);
  }
  const physical = new Map(model.tables.map((t) => [t.name, t.table]));
  const headerOf = (table: string, column: string | undefined) =>
    column ? header.get(`${physical.get(table)}.${column}`) : undefined;
  const withHeader = <T extends { label: string; synonyms: string[] }>(item: T, h: string | undefined): T =>
    h ? { ...item, label: h, synonyms: [...new Set([...item.synonyms, item.label, h])] } : item;

  const dimensions = model.dimensions.map((d) => withHeader(d, headerOf(d.table, d.column)));
  const measures = model.measures.map((m) => {
    if ('ratio' in m) return m;
    if (m.aggregation === 'count' && !m.column) {
      const s = sheet.get(physical.get(m.table) ?? '');
      return s ? { ...m, label: `${s}の件数`.slice(0, 100), synonyms: [...m.synonyms, `${s}件数`] } : m;
    }
    return withHeader(m, headerOf(m.table, m.column));
  });
  const labels = new Map(measures.map((m) => [m.name, m.label]));
  const metrics = model.metrics.map((x) => ({
    ...x,
    label: `${labels.get(x.measure) ?? x.measure}${DERIVED_SUFFIX[x.derivation]}`.slice(0, 100),
  }));
  return { ...model, dimensions, measures, metrics };
}
