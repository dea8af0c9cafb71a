import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { SourceUnavailableError, type Row, type SqlSource, type TableInfo } from './sql-source.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A SQLite file opened read-only (it must exist: nothing is ever created or written). */
export class SqliteSource implements SqlSource {
  private constructor(private readonly db: BetterSqlite3.Database) {}

  static open(file: string): SqliteSource {
    // The native module loads when a SQLite file is first opened, not with every command.
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('query_only = ON');
      // Touch the schema now: a file that is not a database fails here, not in the middle of a sync.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return new SqliteSource(db);
    } catch (error) {
      throw new SourceUnavailableError(
        `cannot open the SQLite database ${file}: ${(error as Error).message}`,
      );
    }
  }

  async describe(): Promise<TableInfo[]> {
    const objects = this.db
      .prepare(
        `SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .all() as { name: string; type: 'table' | 'view' }[];
    return objects.map((object) => {
      const info = this.db.prepare(`PRAGMA table_info(${quote(object.name)})`).all() as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }[];
      return {
        schema: null,
        name: object.name,
        kind: object.type,
        columns: info.map((c) => ({ name: c.name, type: c.type, nullable: c.notnull === 0 })),
        primaryKey: info
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
      };
    });
  }

  async count(table: TableInfo, since?: { column: string; value: unknown }): Promise<number> {
    const where = since ? ` WHERE ${quote(since.column)} >= ?` : '';
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM ${quote(table.name)}${where}`)
      .get(...(since ? [since.value] : [])) as { n: number };
    return row.n;
  }

  async *scan(
    table: TableInfo,
    columns: string[],
    since?: { column: string; value: unknown },
    batch = 500,
  ): AsyncIterable<Row[]> {
    const where = since ? ` WHERE ${quote(since.column)} >= ?` : '';
    const statement = this.db.prepare(
      `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table.name)}${where}`,
    );
    let rows: Row[] = [];
    for (const row of statement.iterate(...(since ? [since.value] : []))) {
      rows.push(row as Row);
      if (rows.length >= batch) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length > 0) yield rows;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
