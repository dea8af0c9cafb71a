import type { Parser } from 'node-sql-parser';
import { ALLOWED_FUNCTIONS } from './allowed-functions.js';
import { columnAllowed, type AllowedObjects } from './allowed-objects.js';
import { SqlGuardError } from './sql-guard-error.js';

// Loaded on first use: the grammar takes over a second to import, which no other CLI command should pay.
let loading: Promise<Parser> | undefined;
const loadParser = () => (loading ??= import('node-sql-parser').then((m) => new (m.default ?? m).Parser()));
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(node: unknown, visit: (value: Json) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (isObject(node)) {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

function functionName(node: Json): string | undefined {
  if (node.type === 'aggr_func' && typeof node.name === 'string') return node.name.toLowerCase();
  if (node.type !== 'function') return undefined;
  const name = node.name as { name?: { value: string }[] } | string | undefined;
  if (typeof name === 'string') return name.toLowerCase();
  return (name?.name ?? [])
    .map((p) => p.value)
    .join('.')
    .toLowerCase();
}

/** Parses with node-sql-parser (MySQL/MariaDB or SQLite grammar) and allows one SELECT over readable objects. */
export async function guardMysqlLike(
  sql: string,
  allowed: AllowedObjects,
  dialect: 'mysql' | 'sqlite',
): Promise<void> {
  const parser = await loadParser();
  const options = { database: dialect === 'mysql' ? 'MariaDB' : 'SQLite' };
  let ast: unknown;
  let tables: string[];
  let columns: string[];
  try {
    ast = parser.astify(sql, options);
    tables = parser.tableList(sql, options);
    columns = parser.columnList(sql, options);
  } catch (error) {
    throw new SqlGuardError(
      'sql_syntax',
      `The SQL does not parse: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const statements = (Array.isArray(ast) ? ast : [ast]).filter(Boolean) as Json[];
  if (statements.length === 0) throw new SqlGuardError('sql_empty', 'There is no statement.');
  if (statements.length > 1)
    throw new SqlGuardError('sql_multiple_statements', 'Only one statement may run.');
  const top = statements[0]!;
  if (top.type !== 'select')
    throw new SqlGuardError('sql_not_select', `Only SELECT may run (this is ${String(top.type)}).`);

  const ctes = new Set<string>();
  const aliases = new Set<string>();
  walk(top, (node) => {
    if (
      node.type &&
      node.type !== 'select' &&
      /^(insert|update|delete|replace|create|alter|drop|truncate|set|call|load)/iu.test(String(node.type))
    )
      throw new SqlGuardError('sql_not_select', `Only SELECT may run (found ${String(node.type)}).`);
    if (isObject(node.into) && (node.into.expr || node.into.keyword))
      throw new SqlGuardError('sql_select_into', 'SELECT INTO writes a table or file: not allowed.');
    if (node.locking_read || node.for_update)
      throw new SqlGuardError('sql_locking_clause', 'Locking clauses (FOR UPDATE …) are not allowed.');
    const name = functionName(node);
    if (name !== undefined && !ALLOWED_FUNCTIONS[dialect].has(name))
      throw new SqlGuardError('sql_function_not_allowed', `The function "${name}" is not allowed.`);
    if (Array.isArray(node.with))
      for (const w of node.with as Json[]) {
        const n = isObject(w.name) ? w.name.value : w.name;
        ctes.add(String(n).toLowerCase());
      }
    if (typeof node.as === 'string') aliases.add(node.as.toLowerCase());
    if (isObject(node.as) && typeof node.as.value === 'string') aliases.add(node.as.value.toLowerCase());
  });
  for (const entry of tables) {
    const [kind, db, table] = entry.split('::') as [string, string, string];
    if (kind !== 'select') throw new SqlGuardError('sql_not_select', `Only SELECT may run (found ${kind}).`);
    const name = (db !== 'null' ? `${db}.${table}` : table).toLowerCase();
    if (db === 'null' && ctes.has(name)) continue;
    if (!allowed.tables.has(name))
      throw new SqlGuardError('sql_table_not_allowed', `You may not read "${name}".`);
  }
  for (const entry of columns) {
    const [kind, table, column] = entry.split('::') as [string, string, string];
    if (kind !== 'select') throw new SqlGuardError('sql_not_select', `Only SELECT may run (found ${kind}).`);
    if (column === '*' || column === '(.*)') continue;
    const set = table !== 'null' ? allowed.tables.get(table.toLowerCase()) : undefined;
    const ok =
      set !== undefined
        ? set === '*' || set.has(column.toLowerCase()) || aliases.has(column.toLowerCase())
        : columnAllowed(allowed, aliases, column);
    if (!ok) throw new SqlGuardError('sql_column_not_allowed', `You may not read the column "${column}".`);
  }
}
