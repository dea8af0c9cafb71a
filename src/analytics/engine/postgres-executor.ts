import type pg from 'pg';
import { redactUrl } from '../../connectors/database/database-settings.js';
import {
  DataSourceUnavailableError,
  SourceQueryError,
  QueryTimeoutError,
  type QueryExecutor,
  type ResultRow,
  type RunLimits,
} from './query-executor.js';

/**
 * PostgreSQL: every statement inside BEGIN READ ONLY with a statement timeout, on a connection of
 * its own (up to three: a question's 前年比 and 構成比 statements run alongside its main one).
 */
export class PostgresExecutor implements QueryExecutor {
  readonly dialect = 'postgres' as const;
  readonly concurrent = true;
  private constructor(private readonly pool: pg.Pool) {}

  static async connect(url: string): Promise<PostgresExecutor> {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: url,
      connectionTimeoutMillis: 10_000,
      application_name: 'kura-analytics',
      max: 3,
      options: '-c default_transaction_read_only=on',
    });
    pool.on('error', () => undefined);
    try {
      // Connects now, so that a source that went away says so before any question.
      (await pool.connect()).release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DataSourceUnavailableError(
        `cannot connect to ${redactUrl(url)}: ${(error as Error).message}`,
      );
    }
    return new PostgresExecutor(pool);
  }

  async run(sql: string, params: (string | number)[], limits: RunLimits): Promise<ResultRow[]> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new DataSourceUnavailableError(`the database cannot be reached: ${(error as Error).message}`);
    }
    try {
      return await this.runOn(client, sql, params, limits);
    } finally {
      client.release();
    }
  }

  private async runOn(
    client: pg.PoolClient,
    sql: string,
    params: (string | number)[],
    limits: RunLimits,
  ): Promise<ResultRow[]> {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(limits.timeoutMs))}`);
      // The extended protocol (bound parameters) runs exactly one statement.
      const result = await client.query<ResultRow>({ text: sql, values: params });
      await client.query('COMMIT');
      return result.rows.slice(0, limits.maxRows + 1);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if ((error as { code?: string }).code === '57014') throw new QueryTimeoutError(limits.timeoutMs);
      throw new SourceQueryError((error as Error).message);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
