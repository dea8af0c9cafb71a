import type pg from 'pg';
import { redactUrl } from './database-settings.js';
import { SourceUnavailableError, type Row, type SqlSource, type TableInfo } from './sql-source.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const tableRef = (t: TableInfo) => (t.schema ? `${quote(t.schema)}.${quote(t.name)}` : quote(t.name));

/** A PostgreSQL database read through one connection whose transactions are all read-only. */
export class PostgresSource implements SqlSource {
  private constructor(private readonly client: pg.Client) {}

  static async connect(url: string): Promise<PostgresSource> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 10_000,
      application_name: 'kura-source',
    });
    client.on('error', () => undefined); // a dropped connection surfaces on the next query
    try {
      await client.connect();
      await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new SourceUnavailableError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
    }
    return new PostgresSource(client);
  }

  async describe(): Promise<TableInfo[]> {
    const columns = await this.client.query<{
      table_schema: string;
      table_name: string;
      table_type: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
    );
    // From the catalogue, not information_schema: its constraint views show only the tables the
    // role may write to, and Kura's role should only read.
    const keys = await this.client.query<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT n.nspname AS table_schema, c.relname AS table_name, a.attname AS column_name
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, position) ON true
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
        WHERE k.contype = 'p' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY n.nspname, c.relname, u.position`,
    );
    const tables = new Map<string, TableInfo>();
    for (const c of columns.rows) {
      const id = `${c.table_schema}.${c.table_name}`;
      let table = tables.get(id);
      if (!table) {
        table = {
          schema: c.table_schema,
          name: c.table_name,
          kind: c.table_type === 'VIEW' ? 'view' : 'table',
          columns: [],
          primaryKey: [],
        };
        tables.set(id, table);
      }
      table.columns.push({ name: c.column_name, type: c.data_type, nullable: c.is_nullable === 'YES' });
    }
    for (const k of keys.rows)
      tables.get(`${k.table_schema}.${k.table_name}`)?.primaryKey.push(k.column_name);
    return [...tables.values()];
  }

  async count(table: TableInfo, since?: { column: string; value: unknown }): Promise<number> {
    const where = since ? ` WHERE ${quote(since.column)} >= $1` : '';
    const result = await this.client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${tableRef(table)}${where}`,
      since ? [since.value] : [],
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async *scan(
    table: TableInfo,
    columns: string[],
    since?: { column: string; value: unknown },
    batch = 500,
  ): AsyncIterable<Row[]> {
    const where = since ? ` WHERE ${quote(since.column)} >= $1` : '';
    await this.client.query('BEGIN READ ONLY');
    try {
      await this.client.query(
        `DECLARE kura_scan NO SCROLL CURSOR FOR SELECT ${columns.map(quote).join(', ')} FROM ${tableRef(table)}${where}`,
        since ? [since.value] : [],
      );
      for (;;) {
        const rows = await this.client.query<Row>(`FETCH ${batch} FROM kura_scan`);
        if (rows.rows.length === 0) break;
        yield rows.rows;
      }
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
