import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import {
  DataSourceUnavailableError,
  SourceQueryError,
  type QueryExecutor,
  type ResultRow,
  type RunLimits,
} from './query-executor.js';

/**
 * SQLite: the file opened read-only with query_only on. better-sqlite3 runs synchronously and
 * cannot interrupt a statement, so the row limit is enforced while iterating; there is no timeout.
 */
export class SqliteExecutor implements QueryExecutor {
  readonly dialect = 'sqlite' as const;
  private constructor(private readonly db: BetterSqlite3.Database) {}

  static open(file: string): SqliteExecutor {
    // The native module loads when a SQLite file is first opened, not with every command.
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('query_only = ON');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return new SqliteExecutor(db);
    } catch (error) {
      throw new DataSourceUnavailableError(`cannot open the SQLite database: ${(error as Error).message}`);
    }
  }

  async run(sql: string, params: (string | number)[], limits: RunLimits): Promise<ResultRow[]> {
    try {
      // prepare() compiles exactly one statement and refuses a second one.
      const statement = this.db.prepare(sql);
      if (!statement.reader || !statement.readonly) throw new Error('not a read-only statement');
      const rows: ResultRow[] = [];
      for (const row of statement.iterate(...params)) {
        rows.push(row as ResultRow);
        if (rows.length > limits.maxRows) break;
      }
      return rows;
    } catch (error) {
      throw new SourceQueryError((error as Error).message);
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
