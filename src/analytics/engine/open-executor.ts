import { withPassword, type DatabaseSettings } from '../../connectors/database/database-settings.js';
import { MysqlExecutor } from './mysql-executor.js';
import { PostgresExecutor } from './postgres-executor.js';
import { DataSourceUnavailableError, type QueryExecutor } from './query-executor.js';
import { SqliteExecutor } from './sqlite-executor.js';

/** Opens a read-only executor on a database source, with the same settings the connector syncs with. */
export async function openExecutor(
  kind: string,
  settings: DatabaseSettings,
  password: string | null,
): Promise<QueryExecutor> {
  if (kind === 'sqlite' && settings.path) return SqliteExecutor.open(settings.path);
  if (kind === 'postgres' && settings.url)
    return PostgresExecutor.connect(withPassword(settings.url, password));
  if (kind === 'mysql' && settings.url) return MysqlExecutor.connect(withPassword(settings.url, password));
  throw new DataSourceUnavailableError(`a ${kind} source cannot be queried as a database`);
}
