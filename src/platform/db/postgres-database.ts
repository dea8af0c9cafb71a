import type pg from 'pg';
import { BaseDatabase, type Queryable } from './database.js';
import { ConfigError } from '../errors/errors.js';

/** Server PostgreSQL (≥ 15) through a connection pool. */
export class PostgresDatabase extends BaseDatabase {
  readonly kind = 'postgres' as const;

  private constructor(private readonly pool: pg.Pool) {
    super();
  }

  static async connect(url: string, poolSize = 10): Promise<PostgresDatabase> {
    // pg loads when a PostgreSQL server is first reached: the embedded database never needs it.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
    // An idle client's network error must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new ConfigError(
        `cannot connect to DATABASE_URL (${redactUrl(url)}): ${(error as Error).message}`,
        'database_unreachable',
      );
    }
    return new PostgresDatabase(pool);
  }

  async owner<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        query: async <R>(sql: string, params?: readonly unknown[]) =>
          (await client.query(sql, params ? [...params] : undefined)).rows as R[],
        exec: async (sql: string) => {
          await client.query(sql);
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async maintenance(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** A connection string without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
