import pg from 'pg';
import { redactUrl } from '../../connectors/database/database-settings.js';
import {
  DataSourceUnavailableError,
  SourceQueryError,
  QueryTimeoutError,
  type QueryExecutor,
  type ResultRow,
  type RunLimits,
} from './query-executor.js';

/** PostgreSQL: every statement inside BEGIN READ ONLY with a statement timeout. */
export class PostgresExecutor implements QueryExecutor {
  readonly dialect = 'postgres' as const;
  private constructor(private readonly client: pg.Client) {}

  static async connect(url: string): Promise<PostgresExecutor> {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 10_000,
      application_name: 'kura-analytics',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new DataSourceUnavailableError(
        `cannot connect to ${redactUrl(url)}: ${(error as Error).message}`,
      );
    }
    return new PostgresExecutor(client);
  }

  async run(sql: string, params: (string | number)[], limits: RunLimits): Promise<ResultRow[]> {
    await this.client.query('BEGIN READ ONLY');
    try {
      await this.client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(limits.timeoutMs))}`);
      // The extended protocol (bound parameters) runs exactly one statement.
      const result = await this.client.query<ResultRow>({ text: sql, values: params });
      await this.client.query('COMMIT');
      return result.rows.slice(0, limits.maxRows + 1);
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      if ((error as { code?: string }).code === '57014') throw new QueryTimeoutError(limits.timeoutMs);
      throw new SourceQueryError((error as Error).message);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
