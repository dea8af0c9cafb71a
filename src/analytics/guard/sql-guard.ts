import type { DialectName } from '../query/dialects.js';
import type { AllowedObjects } from './allowed-objects.js';
import { guardMysqlLike } from './mysql-guard.js';
import { guardPostgres } from './postgres-guard.js';
import { SqlGuardError } from './sql-guard-error.js';

const MAX_SQL_LENGTH = 100_000;

/**
 * Every SQL statement Kura runs against a company's data passes here first: compiled or typed.
 * It is allowed only as one SELECT over the tables and columns in `allowed`; anything else, and
 * anything the parser cannot read, throws SqlGuardError (and nothing else).
 */
export async function guardSql(sql: string, dialect: DialectName, allowed: AllowedObjects): Promise<void> {
  if (typeof sql !== 'string' || sql.trim() === '')
    throw new SqlGuardError('sql_empty', 'There is no statement.');
  if (sql.length > MAX_SQL_LENGTH) throw new SqlGuardError('sql_syntax', 'The SQL is too long.');
  if (sql.includes('\0')) throw new SqlGuardError('sql_syntax', 'The SQL contains a NUL character.');
  // MySQL runs the text of /*! … */ comments and reads /*+ … */ hints: no parser sees them as code.
  if (dialect === 'mysql' && /\/\*[!+]/u.test(sql))
    throw new SqlGuardError('sql_syntax', 'Executable comments (/*! … */) and hints are not allowed.');
  try {
    if (dialect === 'postgres') await guardPostgres(sql, allowed);
    else await guardMysqlLike(sql, allowed, dialect);
  } catch (error) {
    if (error instanceof SqlGuardError) throw error;
    // A parser that fails in an unexpected way fails closed, with the same typed error.
    throw new SqlGuardError(
      'sql_syntax',
      `The SQL could not be checked: ${(error as Error).message?.slice(0, 200)}`,
    );
  }
}
