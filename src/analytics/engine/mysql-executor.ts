import type { Connection } from 'mysql2/promise';
import { redactUrl } from '../../connectors/database/database-settings.js';
import {
  DataSourceUnavailableError,
  SourceQueryError,
  QueryTimeoutError,
  type QueryExecutor,
  type ResultRow,
  type RunLimits,
} from './query-executor.js';

const TIMEOUT_CODES = new Set(['ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'PROTOCOL_SEQUENCE_TIMEOUT']);

/** MySQL / MariaDB: a read-only session and transaction, one statement per call, a statement timeout. */
export class MysqlExecutor implements QueryExecutor {
  readonly dialect = 'mysql' as const;
  private constructor(
    private readonly connection: Connection,
    private readonly mariadb: boolean,
  ) {}

  static async connect(url: string): Promise<MysqlExecutor> {
    // mysql2 loads when a MariaDB/MySQL database is first reached, not with every command.
    const { default: mysql } = await import('mysql2/promise');
    let connection: Connection | undefined;
    try {
      connection = await mysql.createConnection({
        uri: url,
        connectTimeout: 10_000,
        multipleStatements: false,
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
      });
      await connection.query('SET SESSION TRANSACTION READ ONLY');
      const [rows] = await connection.query('SELECT VERSION() AS v');
      const mariadb = /mariadb/iu.test(String((rows as { v: string }[])[0]?.v));
      return new MysqlExecutor(connection, mariadb);
    } catch (error) {
      await connection?.end().catch(() => undefined);
      throw new DataSourceUnavailableError(
        `cannot connect to ${redactUrl(url)}: ${(error as Error).message}`,
      );
    }
  }

  async run(sql: string, params: (string | number)[], limits: RunLimits): Promise<ResultRow[]> {
    const ms = Math.max(1, Math.floor(limits.timeoutMs));
    await this.connection.query(
      this.mariadb
        ? `SET SESSION max_statement_time = ${ms / 1000}`
        : `SET SESSION max_execution_time = ${ms}`,
    );
    await this.connection.query('START TRANSACTION READ ONLY');
    try {
      const [rows] = await this.connection.query({ sql, values: params, timeout: ms + 1000 });
      await this.connection.query('COMMIT');
      return (rows as ResultRow[]).slice(0, limits.maxRows + 1);
    } catch (error) {
      await this.connection.query('ROLLBACK').catch(() => undefined);
      const e = error as { code?: string; errno?: number };
      if (TIMEOUT_CODES.has(e.code ?? '') || e.errno === 1969 || e.errno === 3024)
        throw new QueryTimeoutError(ms);
      throw new SourceQueryError((error as Error).message);
    }
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => undefined);
  }
}
