import mysql from 'mysql2/promise';
import pg from 'pg';
import { salesInserts, salesSchema, type SalesRows } from './sales-database.js';
import type { MariaDbServer } from './mariadb-server.js';
import { createServerDatabase } from './test-database.js';

/** The sales fixture in a new database on the test run's PostgreSQL server; returns its URL. */
export async function loadSalesPostgres(rows: SalesRows): Promise<string> {
  const url = await createServerDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of [...salesSchema('postgres'), ...salesInserts(rows)]) await client.query(sql);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return url;
}

/** The sales fixture in a new database on a MariaDB server; returns its URL. */
export async function loadSalesMariaDb(server: MariaDbServer, rows: SalesRows): Promise<string> {
  const url = server.createDatabase(`sales_${Math.random().toString(36).slice(2, 10)}`);
  const connection = await mysql.createConnection({ uri: url });
  try {
    for (const sql of [...salesSchema('mysql'), ...salesInserts(rows)]) await connection.query(sql);
  } finally {
    await connection.end();
  }
  return url;
}
