/** A table or view as the source database describes it (kept in the source's state for analytics). */
export interface TableInfo {
  schema: string | null;
  name: string;
  kind: 'table' | 'view';
  columns: { name: string; type: string; nullable: boolean }[];
  primaryKey: string[];
}

export type Row = Record<string, unknown>;

/**
 * A read-only connection to a company's database. Identifiers given to it are always ones that
 * `describe` returned (never raw input), quoted by the dialect.
 */
export interface SqlSource {
  describe(): Promise<TableInfo[]>;
  count(table: TableInfo, since?: { column: string; value: unknown }): Promise<number>;
  /** Rows in batches, optionally only those whose `since.column` is greater than `since.value`. */
  scan(
    table: TableInfo,
    columns: string[],
    since?: { column: string; value: unknown },
    batch?: number,
  ): AsyncIterable<Row[]>;
  close(): Promise<void>;
}

export const qualifiedName = (table: TableInfo) =>
  table.schema ? `${table.schema}.${table.name}` : table.name;

/** Finds a table named `orders` or `public.orders` (case-insensitively when unambiguous). */
export function findTable(tables: TableInfo[], name: string): TableInfo | undefined {
  const exact = tables.find((t) => qualifiedName(t) === name || t.name === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const matches = tables.filter(
    (t) => qualifiedName(t).toLowerCase() === lower || t.name.toLowerCase() === lower,
  );
  return matches.length === 1 ? matches[0] : undefined;
}

/** The error a connector raises when it cannot reach or read its database: the sync fails, nothing is deleted. */
export class SourceUnavailableError extends Error {
  readonly code = 'source_unavailable';
}
