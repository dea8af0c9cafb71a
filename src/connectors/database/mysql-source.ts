import type { Connection } from 'mysql2/promise';
import { redactUrl } from './database-settings.js';
import { SourceUnavailableError, type Row, type SqlSource, type TableInfo } from './sql-source.js';

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** A MySQL or MariaDB database read through one connection in read-only transaction mode. */
export class MysqlSource implements SqlSource {
  private constructor(private readonly connection: Connection) {}

  static async connect(url: string): Promise<MysqlSource> {
    // mysql2 loads when a MariaDB/MySQL database is first reached, not with every command.
    const { default: mysql } = await import('mysql2/promise');
    let connection: Connection | undefined;
    try {
      connection = await mysql.createConnection({
        uri: url,
        connectTimeout: 10_000,
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
      await connection.query('SET SESSION TRANSACTION READ ONLY');
    } catch (error) {
      await connection?.end().catch(() => undefined);
      throw new SourceUnavailableError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
    }
    return new MysqlSource(connection);
  }

  async describe(): Promise<TableInfo[]> {
    const [columns] = await this.connection.query(
      `SELECT c.TABLE_NAME AS table_name, t.TABLE_TYPE AS table_type, c.COLUMN_NAME AS column_name, c.DATA_TYPE AS data_type,
              c.IS_NULLABLE AS is_nullable
         FROM information_schema.COLUMNS c
         JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
        WHERE c.TABLE_SCHEMA = DATABASE()
        ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
    );
    const [keys] = await this.connection.query(
      `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    );
    const tables = new Map<string, TableInfo>();
    for (const c of columns as {
      table_name: string;
      table_type: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }[]) {
      let table = tables.get(c.table_name);
      if (!table) {
        table = {
          schema: null,
          name: c.table_name,
          kind: c.table_type === 'VIEW' ? 'view' : 'table',
          columns: [],
          primaryKey: [],
        };
        tables.set(c.table_name, table);
      }
      table.columns.push({ name: c.column_name, type: c.data_type, nullable: c.is_nullable === 'YES' });
    }
    for (const k of keys as { table_name: string; column_name: string }[])
      tables.get(k.table_name)?.primaryKey.push(k.column_name);
    return [...tables.values()];
  }

  async count(table: TableInfo, since?: { column: string; value: unknown }): Promise<number> {
    const where = since ? ` WHERE ${quote(since.column)} >= ?` : '';
    const [rows] = await this.connection.query(
      `SELECT count(*) AS n FROM ${quote(table.name)}${where}`,
      since ? [since.value] : [],
    );
    return Number((rows as { n: number | string }[])[0]?.n ?? 0);
  }

  async *scan(
    table: TableInfo,
    columns: string[],
    since?: { column: string; value: unknown },
    batch = 500,
  ): AsyncIterable<Row[]> {
    const key = table.primaryKey;
    if (key.length === 0) {
      yield* this.scanByOffset(table, columns, since, batch);
      return;
    }
    // Keyset pagination: each batch starts after the last key seen, so a large table costs the
    // same per batch at the end as at the start (OFFSET would re-read every skipped row).
    const selected = [...new Set([...columns, ...key])];
    const keyList = key.map(quote).join(', ');
    let after: unknown[] | undefined;
    for (;;) {
      const conditions = [
        ...(since ? [`${quote(since.column)} >= ?`] : []),
        ...(after ? [`(${keyList}) > (${key.map(() => '?').join(', ')})`] : []),
      ];
      const [rows] = await this.connection.query(
        `SELECT ${selected.map(quote).join(', ')} FROM ${quote(table.name)}${
          conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
        } ORDER BY ${keyList} LIMIT ${batch}`,
        [...(since ? [since.value] : []), ...(after ?? [])],
      );
      const list = rows as Row[];
      if (list.length === 0) break;
      yield list;
      if (list.length < batch) break;
      const last = list[list.length - 1]!;
      after = key.map((column) => last[column]);
    }
  }

  /** A table without a primary key has no stable order to resume from: pages by OFFSET, ordered by every column. */
  private async *scanByOffset(
    table: TableInfo,
    columns: string[],
    since: { column: string; value: unknown } | undefined,
    batch: number,
  ): AsyncIterable<Row[]> {
    const where = since ? ` WHERE ${quote(since.column)} >= ?` : '';
    const order = columns.map(quote).join(', ');
    for (let offset = 0; ; offset += batch) {
      const [rows] = await this.connection.query(
        `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table.name)}${where} ORDER BY ${order} LIMIT ${batch} OFFSET ${offset}`,
        since ? [since.value] : [],
      );
      const list = rows as Row[];
      if (list.length === 0) break;
      yield list;
      if (list.length < batch) break;
    }
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => undefined);
  }
}
