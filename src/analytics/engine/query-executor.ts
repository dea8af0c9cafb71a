import { AppError } from '../../platform/errors/errors.js';
import type { DialectName } from '../query/dialects.js';

export type ResultRow = Record<string, unknown>;

export interface RunLimits {
  /** The database stops the statement after this long (PostgreSQL, MySQL/MariaDB). */
  timeoutMs: number;
  /** At most this many rows are read; the caller learns that the result was cut. */
  maxRows: number;
}

/** A read-only connection to a company's database, for SQL the guard has already allowed. */
export interface QueryExecutor {
  readonly dialect: DialectName;
  /** Statements may run at the same time (each on its own connection): 前年比 and 構成比 run theirs alongside. */
  readonly concurrent?: boolean;
  run(sql: string, params: (string | number)[], limits: RunLimits): Promise<ResultRow[]>;
  close(): Promise<void>;
}

export class QueryTimeoutError extends AppError {
  constructor(timeoutMs: number) {
    super(
      504,
      'query_timeout',
      `The query took longer than ${timeoutMs} ms and was stopped. Narrow the period or the groups.`,
    );
  }
}

/** The company's database cannot be reached (it moved, went away, or refused the credentials). */
export class DataSourceUnavailableError extends AppError {
  constructor(message: string) {
    super(502, 'source_unavailable', message);
  }
}

/** The database refused a statement the guard allowed: a table or column the model names is gone. */
export class SourceQueryError extends AppError {
  constructor(message: string) {
    super(
      502,
      'source_query_failed',
      `The company database refused the query (is the semantic model out of date?): ${message}`,
    );
  }
}
