import { AppError } from '../../platform/errors/errors.js';

/** Why a statement was refused; stable codes clients may branch on. */
export const GUARD_CODES = [
  'sql_empty',
  'sql_syntax',
  'sql_multiple_statements',
  'sql_not_select',
  'sql_select_into',
  'sql_locking_clause',
  'sql_table_not_allowed',
  'sql_column_not_allowed',
  'sql_function_not_allowed',
] as const;
export type GuardCode = (typeof GUARD_CODES)[number];

/** The only error the SQL guard ever throws. */
export class SqlGuardError extends AppError {
  constructor(
    readonly guardCode: GuardCode,
    message: string,
  ) {
    super(400, guardCode, message);
  }
}
