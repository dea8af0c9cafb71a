import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseModelYaml } from '../../src/analytics/model/model-yaml.js';
import { generateSales, salesInserts, salesSchema, type SalesRows } from './sales-database.js';

export const SALES_MODEL_YAML = readFileSync(
  path.join(import.meta.dirname, '../fixtures/analytics/sales-model.yaml'),
  'utf8',
);
export const salesModel = () => parseModelYaml(SALES_MODEL_YAML);

/** Writes the sales fixture into a new SQLite file. */
export function writeSalesSqlite(file: string, rows: SalesRows = generateSales(4000)): void {
  const db = new Database(file);
  db.transaction(() => {
    for (const sql of [...salesSchema('sqlite'), ...salesInserts(rows)]) db.exec(sql);
  })();
  db.close();
}
