import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedFromTables, type AllowedObjects } from './allowed-objects.js';
import { guardSql } from './sql-guard.js';
import { GUARD_CODES, SqlGuardError } from './sql-guard-error.js';
import type { DialectName } from '../query/dialects.js';

const allowed: AllowedObjects = allowedFromTables([
  {
    schema: 'public',
    name: 'orders',
    columns: [{ name: 'id' }, { name: 'amount' }, { name: 'order_date' }, { name: 'region_id' }],
  },
  { schema: 'public', name: 'regions', columns: [{ name: 'id' }, { name: 'name' }] },
]);
const DIALECTS: DialectName[] = ['postgres', 'mysql', 'sqlite'];

async function verdict(sql: string, dialect: DialectName): Promise<string> {
  try {
    await guardSql(sql, dialect, allowed);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(SqlGuardError);
    return (error as SqlGuardError).code;
  }
}

describe('the SQL guard', () => {
  it.each(DIALECTS)('allows one SELECT over readable tables and columns (%s)', async (dialect) => {
    const q = dialect === 'mysql' ? '`' : '"';
    for (const sql of [
      'SELECT sum(o.amount) AS total FROM orders o JOIN regions r ON r.id = o.region_id GROUP BY r.name',
      `SELECT ${q}r${q}.${q}name${q}, count(*) FROM ${q}orders${q} AS ${q}o${q} JOIN regions AS r ON r.id = o.region_id WHERE o.order_date >= '2024-04-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
      'WITH t AS (SELECT amount FROM orders) SELECT max(amount) FROM t',
      'SELECT name FROM regions WHERE id IN (SELECT region_id FROM orders)',
    ])
      expect(await verdict(sql, dialect), sql).toBe('ok');
  });

  const refused: [string, string, DialectName[]][] = [
    ['', 'sql_empty', DIALECTS],
    ['SELECT amount FROM orders; DELETE FROM orders', 'sql_multiple_statements', DIALECTS],
    ['SELECT amount FROM orders; -- harmless\nDROP TABLE orders', 'sql_multiple_statements', DIALECTS],
    ['SELECT amount FROM orders /* ; */ ; UPDATE orders SET amount = 0', 'sql_multiple_statements', DIALECTS],
    ['DELETE FROM orders', 'sql_not_select', DIALECTS],
    ['UPDATE orders SET amount = 0', 'sql_not_select', DIALECTS],
    ['INSERT INTO orders (id) VALUES (1)', 'sql_not_select', DIALECTS],
    ['DROP TABLE orders', 'sql_not_select', DIALECTS],
    ['CREATE TABLE x (id int)', 'sql_not_select', DIALECTS],
    ['TRUNCATE orders', 'sql_not_select', ['postgres']],
    ["COPY orders TO PROGRAM 'sh'", 'sql_not_select', ['postgres']],
    ['DO $$ BEGIN PERFORM 1; END $$', 'sql_not_select', ['postgres']],
    ['WITH d AS (DELETE FROM orders RETURNING id) SELECT id FROM d', 'sql_not_select', ['postgres']],
    ['SELECT * INTO copy FROM orders', 'sql_select_into', ['postgres']],
    ["SELECT amount FROM orders INTO OUTFILE '/tmp/x'", 'sql_select_into', ['mysql']],
    ['SELECT amount FROM orders FOR UPDATE', 'sql_locking_clause', ['postgres', 'mysql']],
    ['SELECT pg_sleep(10)', 'sql_function_not_allowed', ['postgres']],
    ["SELECT pg_read_file('/etc/passwd')", 'sql_function_not_allowed', ['postgres']],
    ["SELECT set_config('role', 'postgres', false)", 'sql_function_not_allowed', ['postgres']],
    ["SELECT nextval('s')", 'sql_function_not_allowed', ['postgres']],
    ["SELECT lo_import('/etc/passwd')", 'sql_function_not_allowed', ['postgres']],
    ["SELECT * FROM dblink('host=x', 'select 1') AS t(a int)", 'sql_function_not_allowed', ['postgres']],
    [
      'SELECT amount FROM orders WHERE pg_catalog.pg_sleep(1) IS NULL',
      'sql_function_not_allowed',
      ['postgres'],
    ],
    ['SELECT sleep(5) FROM orders', 'sql_function_not_allowed', ['mysql']],
    ["SELECT load_file('/etc/passwd') FROM orders", 'sql_function_not_allowed', ['mysql']],
    ["SELECT load_extension('x') FROM orders", 'sql_function_not_allowed', ['sqlite']],
    ['SELECT amount FROM orders /*!50000 UNION SELECT password FROM mysql.user */', 'sql_syntax', ['mysql']],
    ['SELECT * FROM pg_shadow', 'sql_table_not_allowed', ['postgres']],
    ['SELECT * FROM information_schema.tables', 'sql_table_not_allowed', DIALECTS],
    ['SELECT secret FROM orders', 'sql_column_not_allowed', DIALECTS],
    ['SELECT amount FROM salaries', 'sql_table_not_allowed', DIALECTS],
    ['SELEC amount FROM orders', 'sql_syntax', DIALECTS],
  ];
  it.each(refused)('refuses %j with %s', async (sql, code, dialects) => {
    for (const dialect of dialects) expect(await verdict(sql, dialect), `${dialect}: ${sql}`).toBe(code);
  });

  it('never throws anything but its typed error and never lets a write through (fuzzed)', async () => {
    const fragments = [
      'SELECT',
      'amount',
      'FROM',
      'orders',
      'regions',
      'WHERE',
      'id',
      '=',
      '1',
      ';',
      'DELETE',
      'UPDATE',
      'SET',
      'INSERT',
      'INTO',
      'VALUES',
      '(',
      ')',
      ',',
      "'x'",
      "'; DROP TABLE orders; --'",
      '--',
      '/*',
      '*/',
      '/*!',
      'DROP',
      'TABLE',
      'UNION',
      'ALL',
      'WITH',
      't',
      'AS',
      'pg_sleep(1)',
      'sleep(1)',
      'FOR UPDATE',
      'ORDER BY',
      'LIMIT',
      'count(*)',
      'sum(amount)',
      'JOIN',
      'ON',
      '$$',
      '"',
      '`',
      '\\',
      '\n',
      'CREATE',
      'GRANT',
      'ALTER',
      'COPY',
      'RETURNING',
      "lo_export(1, '/tmp/x')",
      "set_config('a','b',false)",
      'ATTACH',
      'PRAGMA',
      'REPLACE',
    ];
    const statement = fc.oneof(
      fc
        .array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 14 })
        .map((parts) => parts.join(' ')),
      fc
        .tuple(fc.array(fc.constantFrom(...fragments), { maxLength: 6 }), fc.string({ maxLength: 30 }))
        .map(([p, s]) => `${p.join(' ')} ${s}`),
      fc.string({ maxLength: 60 }),
    );
    const write =
      /\b(insert|update|delete|drop|create|alter|truncate|grant|copy|attach|pragma|replace|into|set_config|lo_export|sleep|pg_sleep)\b/iu;
    const stripStrings = (sql: string) =>
      sql
        .replace(/'(?:[^']|'')*'/gu, "''")
        .replace(/"(?:[^"]|"")*"/gu, '""')
        .replace(/`[^`]*`/gu, '``');
    await fc.assert(
      fc.asyncProperty(statement, fc.constantFrom(...DIALECTS), async (sql, dialect) => {
        let ok = true;
        try {
          await guardSql(sql, dialect, allowed);
        } catch (error) {
          if (!(error instanceof SqlGuardError) || !GUARD_CODES.includes(error.guardCode)) throw error;
          ok = false;
        }
        if (ok) expect(stripStrings(sql), `${dialect}: ${sql}`).not.toMatch(write);
      }),
      { numRuns: 1500 },
    );
  });

  it('fuzzed statements it allows leave a SQLite database unchanged', async () => {
    const db = new Database(':memory:');
    db.exec(
      'CREATE TABLE orders (id INTEGER PRIMARY KEY, amount INTEGER, order_date TEXT, region_id INTEGER); CREATE TABLE regions (id INTEGER, name TEXT);',
    );
    db.exec("INSERT INTO orders VALUES (1, 100, '2024-04-01', 1); INSERT INTO regions VALUES (1, '関東')");
    const parts = [
      'SELECT',
      'amount',
      'id',
      'FROM',
      'orders',
      'WHERE',
      '=',
      '1',
      ';',
      'DELETE',
      'UPDATE',
      'SET',
      'amount = 0',
      'DROP TABLE orders',
      '--',
      '/*',
      '*/',
      'UNION',
      'SELECT name FROM regions',
      ',',
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 10 }), async (list) => {
        const sql = list.join(' ');
        try {
          await guardSql(sql, 'sqlite', allowed);
        } catch (error) {
          expect(error).toBeInstanceOf(SqlGuardError);
          return;
        }
        try {
          db.prepare(sql).all();
        } catch {
          // An allowed statement may still fail to run (e.g. a type error); it must not write.
        }
        expect(db.prepare('SELECT count(*) AS n, sum(amount) AS s FROM orders').get()).toEqual({
          n: 1,
          s: 100,
        });
      }),
      { numRuns: 500 },
    );
    db.close();
  });
});
