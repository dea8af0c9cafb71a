import type * as LibPgQuery from 'libpg-query';
import { ALLOWED_FUNCTIONS } from './allowed-functions.js';
import { columnAllowed, type AllowedObjects } from './allowed-objects.js';
import { SqlGuardError } from './sql-guard-error.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const sval = (v: unknown): string | undefined =>
  isObject(v) && isObject(v.String) ? (v.String.sval as string | undefined) : undefined;

type PgParser = typeof LibPgQuery;
let loaded: Promise<PgParser> | undefined;
// Loaded on first use, like the MySQL grammar: CLI commands that never check SQL do not pay for it.
const loadParser = () =>
  (loaded ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    return m;
  }));

/** Visits every node of the parse tree: (key, value) for each object property. */
function walk(node: unknown, visit: (key: string, value: Json) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (isObject(node))
    for (const [key, value] of Object.entries(node)) {
      if (isObject(value)) visit(key, value);
      walk(value, visit);
    }
}

/** Parses with PostgreSQL's own parser (libpg-query) and allows one SELECT over readable objects. */
export async function guardPostgres(sql: string, allowed: AllowedObjects): Promise<void> {
  const { parse } = await loadParser();
  let tree: { stmts?: { stmt: Json }[] };
  try {
    tree = (await parse(sql)) as typeof tree;
  } catch (error) {
    throw new SqlGuardError('sql_syntax', `The SQL does not parse: ${(error as Error).message}`);
  }
  const statements = tree.stmts ?? [];
  if (statements.length === 0) throw new SqlGuardError('sql_empty', 'There is no statement.');
  if (statements.length > 1)
    throw new SqlGuardError('sql_multiple_statements', 'Only one statement may run.');
  const top = Object.keys(statements[0]!.stmt)[0];
  if (top !== 'SelectStmt')
    throw new SqlGuardError('sql_not_select', `Only SELECT may run (this is ${top}).`);

  // First pass: names the statement defines itself (CTEs, aliases of tables and output columns).
  const ctes = new Set<string>();
  const aliases = new Set<string>();
  const tableOfAlias = new Map<string, string>();
  walk(statements, (key, value) => {
    if (key === 'CommonTableExpr') {
      ctes.add(String(value.ctename).toLowerCase());
      for (const c of (value.aliascolnames as unknown[] | undefined) ?? [])
        aliases.add(String(sval(c)).toLowerCase());
    }
    if (key === 'ResTarget' && typeof value.name === 'string') aliases.add(value.name.toLowerCase());
    if (key === 'Alias') {
      aliases.add(String(value.aliasname).toLowerCase());
      for (const c of (value.colnames as unknown[] | undefined) ?? [])
        aliases.add(String(sval(c)).toLowerCase());
    }
    if (key === 'RangeVar') {
      const table = [value.schemaname, value.relname].filter(Boolean).join('.').toLowerCase();
      const alias = isObject(value.alias)
        ? String(value.alias.aliasname).toLowerCase()
        : String(value.relname).toLowerCase();
      tableOfAlias.set(alias, table);
    }
  });

  walk(statements, (key, value) => {
    if (key.endsWith('Stmt') && key !== 'SelectStmt')
      throw new SqlGuardError('sql_not_select', `Only SELECT may run (found ${key}).`);
    if (key === 'SelectStmt') {
      if (value.intoClause)
        throw new SqlGuardError('sql_select_into', 'SELECT INTO writes a table: not allowed.');
      if (value.lockingClause)
        throw new SqlGuardError('sql_locking_clause', 'Locking clauses (FOR UPDATE …) are not allowed.');
    }
    if (key === 'RangeFunction' || key === 'RangeTableFunc' || key === 'RangeTableSample')
      throw new SqlGuardError('sql_function_not_allowed', 'Functions in FROM are not allowed.');
    if (key === 'RangeVar') {
      const table = [value.schemaname, value.relname].filter(Boolean).join('.').toLowerCase();
      if (!value.schemaname && ctes.has(table)) return;
      if (!allowed.tables.has(table))
        throw new SqlGuardError('sql_table_not_allowed', `You may not read "${table}".`);
    }
    if (key === 'FuncCall') {
      const parts = ((value.funcname as unknown[]) ?? []).map((p) => String(sval(p)).toLowerCase());
      const name = parts[parts.length - 1] ?? '';
      const schemaOk = parts.length === 1 || (parts.length === 2 && parts[0] === 'pg_catalog');
      if (!schemaOk || !ALLOWED_FUNCTIONS.postgres.has(name))
        throw new SqlGuardError(
          'sql_function_not_allowed',
          `The function "${parts.join('.')}" is not allowed.`,
        );
    }
    if (key === 'ColumnRef') {
      const fields = (value.fields as unknown[]) ?? [];
      const names = fields.map(sval);
      const column = names[names.length - 1];
      if (column === undefined) return; // * or t.*
      const qualifier = names.length >= 2 ? names[names.length - 2]?.toLowerCase() : undefined;
      const table = qualifier !== undefined ? tableOfAlias.get(qualifier) : undefined;
      const columns = table !== undefined ? allowed.tables.get(table) : undefined;
      const ok =
        columns !== undefined
          ? columns === '*' || columns.has(column.toLowerCase()) || aliases.has(column.toLowerCase())
          : columnAllowed(allowed, aliases, column);
      if (!ok)
        throw new SqlGuardError(
          'sql_column_not_allowed',
          `You may not read the column "${names.join('.')}".`,
        );
    }
  });
}
