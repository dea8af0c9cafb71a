import type { Database } from '../../platform/db/database.js';
import {
  QueryTimeoutError,
  SourceQueryError,
  type QueryExecutor,
  type ResultRow,
  type RunLimits,
} from './query-executor.js';

/**
 * Tables the company uploaded, in its schema of Kura's own database: each statement runs in a
 * read-only transaction bound to the company (role kura_app, row-level security), with a timeout.
 */
export class KuraExecutor implements QueryExecutor {
  readonly dialect = 'postgres' as const;
  /** Server PostgreSQL has a pool: 前年比's statements run alongside; embedded PGlite has one connection. */
  readonly concurrent: boolean;
  constructor(
    private readonly db: Database,
    private readonly tenantId: string,
  ) {
    this.concurrent = db.kind === 'postgres';
  }

  async run(sql: string, params: (string | number)[], limits: RunLimits): Promise<ResultRow[]> {
    try {
      return await this.db.tenant(this.tenantId, async (tx) => {
        await tx.query(
          `SELECT set_config('transaction_read_only', 'on', true), set_config('statement_timeout', $1, true)`,
          [String(Math.max(1, Math.floor(limits.timeoutMs)))],
        );
        const rows = await tx.query<ResultRow>(sql, params);
        return rows.slice(0, limits.maxRows + 1);
      });
    } catch (error) {
      if ((error as { code?: string }).code === '57014') throw new QueryTimeoutError(limits.timeoutMs);
      throw new SourceQueryError((error as Error).message);
    }
  }

  async close(): Promise<void> {}
}
