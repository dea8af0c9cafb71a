import type { SemanticModel } from '../model/semantic-model.js';
import { isRatio } from '../model/semantic-model.js';

/**
 * What a caller may read: tables (physical name, lower case, also `schema.table`) and their
 * columns (`*` = every column). Built from the semantic model, or from a source's description.
 */
export interface AllowedObjects {
  tables: Map<string, Set<string> | '*'>;
}

export function allowedFromModel(model: SemanticModel): AllowedObjects {
  const tables = new Map<string, Set<string>>();
  const byName = new Map(model.tables.map((t) => [t.name, t]));
  const add = (table: string, column: string | undefined) => {
    const t = byName.get(table);
    if (!t) return;
    for (const key of [
      t.table.toLowerCase(),
      ...(t.schema ? [`${t.schema}.${t.table}`.toLowerCase()] : []),
    ]) {
      const set = tables.get(key) ?? new Set<string>();
      if (column) set.add(column.toLowerCase());
      tables.set(key, set);
    }
  };
  for (const t of model.tables) add(t.name, undefined);
  for (const j of model.joins) {
    add(j.from, j.fromColumn);
    add(j.to, j.toColumn);
  }
  for (const d of model.dimensions) add(d.table, d.column);
  for (const m of model.measures) if (!isRatio(m)) add(m.table, m.column);
  return { tables };
}

export function allowedFromTables(
  tables: { schema: string | null; name: string; columns: { name: string }[] }[],
): AllowedObjects {
  const map = new Map<string, Set<string>>();
  for (const t of tables) {
    const columns = new Set(t.columns.map((c) => c.name.toLowerCase()));
    map.set(t.name.toLowerCase(), columns);
    if (t.schema) map.set(`${t.schema}.${t.name}`.toLowerCase(), columns);
  }
  return { tables: map };
}

/** The check shared by both parsers: is this column of some readable table (or an alias)? */
export function columnAllowed(allowed: AllowedObjects, aliases: Set<string>, column: string): boolean {
  const name = column.toLowerCase();
  if (aliases.has(name)) return true;
  for (const columns of allowed.tables.values()) if (columns === '*' || columns.has(name)) return true;
  return false;
}
