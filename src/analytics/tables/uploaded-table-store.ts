import { randomUUID } from 'node:crypto';
import type { TableInfo } from '../../connectors/database/sql-source.js';
import type { TableCell } from '../../ingest/parsers/parsed-document.js';
import { APP_ROLE, type Database, type Queryable } from '../../platform/db/database.js';
import { convertCell, inferColumnType, type ColumnType } from './infer-column-type.js';
import { columnNames, companySchema, tableNameFor } from './physical-names.js';

/** The model's `source` for uploaded tables (a reserved name: it shadows a database source so named). */
export const UPLOADED_SOURCE = 'kura:uploaded';

/** Rows one uploaded table may hold: beyond it the sheet is refused with the reason, not cut. */
export const MAX_UPLOADED_ROWS = 1_000_000;

export interface UploadedColumn {
  header: string;
  name: string;
  type: ColumnType;
}

export interface SheetToLoad {
  documentId: string | null;
  ordinal: number;
  name: string;
  columns: string[];
  rows: TableCell[][];
}

export type LoadOutcome =
  | {
      status: 'loaded';
      schema: string;
      table: string;
      columns: UploadedColumn[];
      rowCount: number;
      notes: string[];
    }
  | { status: 'refused'; message: string };

const SQL_TYPE: Record<ColumnType, string> = {
  integer: 'bigint',
  decimal: 'numeric',
  date: 'date',
  text: 'text',
};
const BATCH = 5_000;
const q = (name: string) => `"${name.replace(/"/gu, '""')}"`;

interface RegistryRow {
  id: string;
  name: string;
  schema_name: string;
  table_name: string;
  columns: UploadedColumn[];
  row_count: string | number;
  status: 'loaded' | 'refused';
  message: string | null;
  document_id: string | null;
}

/**
 * Loads sheets as typed tables into the company's schema of Kura's database and keeps the registry
 * (analytics_tables). Creating a table is DDL, so it runs as the owner; every identifier is one
 * Kura made (slugs or col_<n>), the headers the user wrote stay data in the registry.
 */
export class UploadedTableStore {
  constructor(
    private readonly db: Database,
    private readonly maxRows = MAX_UPLOADED_ROWS,
  ) {}

  async load(tenantId: string, sheet: SheetToLoad): Promise<LoadOutcome> {
    const refuse = (message: string) => this.recordRefusal(tenantId, sheet, message);
    if (sheet.rows.length > this.maxRows)
      return refuse(
        `The sheet "${sheet.name}" has ${sheet.rows.length.toLocaleString('en')} rows; analytics loads at most ${this.maxRows.toLocaleString('en')} rows per table. Split it or load it as a database source.`,
      );
    const headers = sheet.columns.map((h, i) => (h.trim() === '' ? `列${i + 1}` : h.trim()));
    if (headers.length === 0 || sheet.rows.length === 0)
      return refuse(`The sheet "${sheet.name}" has no header row or no data rows.`);
    const names = columnNames(headers);
    const columns: UploadedColumn[] = headers.map((header, i) => ({
      header: header.slice(0, 100),
      name: names[i]!,
      type: inferColumnType(sheet.rows.map((r) => r[i] ?? null)),
    }));
    const ragged = sheet.rows.filter((r) => r.length > headers.length).length;
    const notes =
      ragged > 0 ? [`${ragged} row(s) had more cells than the header; the extra cells were not loaded.`] : [];
    const schema = companySchema(tenantId);
    return this.db.owner(async (tx) => {
      await bindTenant(tx, tenantId);
      const previous = await this.previous(tx, tenantId, sheet);
      const taken = new Set(
        (
          await tx.query<{ table_name: string }>(
            'SELECT table_name FROM analytics_tables WHERE tenant_id = $1',
            [tenantId],
          )
        ).map((r) => r.table_name),
      );
      if (previous) taken.delete(previous.table_name);
      const table = previous?.table_name ?? tableNameFor(sheet.name, taken);
      await createTable(tx, tenantId, schema, table, columns);
      for (let at = 0; at < sheet.rows.length; at += BATCH)
        await insertRows(tx, tenantId, schema, table, columns, sheet.rows.slice(at, at + BATCH), at);
      // Statistics now: without them the planner takes the fresh table for empty.
      await tx.query(`ANALYZE ${q(schema)}.${q(table)}`);
      await tx.query(
        `INSERT INTO analytics_tables (tenant_id, id, document_id, ordinal, name, schema_name, table_name, columns, row_count, status, message)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'loaded', $10)`,
        [
          tenantId,
          randomUUID(),
          sheet.documentId,
          sheet.ordinal,
          sheet.name,
          schema,
          table,
          JSON.stringify(columns),
          sheet.rows.length,
          notes.join(' ') || null,
        ],
      );
      return { status: 'loaded' as const, schema, table, columns, rowCount: sheet.rows.length, notes };
    });
  }

  /** The loaded tables, described like a database source's (physical names and SQL types). */
  async describe(tenantId: string): Promise<(TableInfo & { label: string; uploaded: UploadedColumn[] })[]> {
    const rows = await this.list(tenantId);
    return rows
      .filter((r) => r.status === 'loaded')
      .map((r) => ({
        schema: r.schema_name,
        name: r.table_name,
        kind: 'table' as const,
        label: r.name,
        uploaded: r.columns,
        columns: r.columns.map((c) => ({ name: c.name, type: SQL_TYPE[c.type], nullable: true })),
        primaryKey: r.columns.some((c) => c.name === 'id') ? ['id'] : [],
      }));
  }

  /** Every sheet handed to analytics, loaded or refused with its reason. */
  async list(tenantId: string): Promise<RegistryRow[]> {
    return this.db.tenant(tenantId, (tx) =>
      tx.query<RegistryRow>(
        `SELECT id, name, schema_name, table_name, columns, row_count, status, message, document_id
           FROM analytics_tables WHERE tenant_id = $1 ORDER BY created_at, ordinal`,
        [tenantId],
      ),
    );
  }

  /** Registers a table Kura created itself in the company's schema (the demo's sales database). */
  async register(
    tx: Queryable,
    tenantId: string,
    table: { name: string; table: string; columns: UploadedColumn[]; rowCount: number },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO analytics_tables (tenant_id, id, document_id, name, schema_name, table_name, columns, row_count, status)
       VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, 'loaded')`,
      [
        tenantId,
        randomUUID(),
        table.name,
        companySchema(tenantId),
        table.table,
        JSON.stringify(table.columns),
        table.rowCount,
      ],
    );
  }

  /** The previous load of the same sheet (a re-upload replaces it), dropped with its table. */
  private async previous(tx: Queryable, tenantId: string, sheet: SheetToLoad) {
    if (!sheet.documentId) return undefined;
    const [row] = await tx.query<RegistryRow>(
      `DELETE FROM analytics_tables WHERE tenant_id = $1 AND document_id = $2 AND ordinal = $3
       RETURNING schema_name, table_name, status`,
      [tenantId, sheet.documentId, sheet.ordinal],
    );
    if (row?.status === 'loaded')
      await tx.query(`DROP TABLE IF EXISTS ${q(row.schema_name)}.${q(row.table_name)}`);
    return row?.status === 'loaded' ? row : undefined;
  }

  private async recordRefusal(tenantId: string, sheet: SheetToLoad, message: string): Promise<LoadOutcome> {
    await this.db.owner(async (tx) => {
      await bindTenant(tx, tenantId);
      await this.previous(tx, tenantId, sheet);
      await tx.query(
        `INSERT INTO analytics_tables (tenant_id, id, document_id, ordinal, name, schema_name, table_name, columns, status, message)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', 'refused', $8)`,
        [
          tenantId,
          randomUUID(),
          sheet.documentId,
          sheet.ordinal,
          sheet.name,
          companySchema(tenantId),
          `refused_${randomUUID()}`,
          message,
        ],
      );
    });
    return { status: 'refused', message };
  }
}

/** The owner's transaction acts for one company: row-level security holds even for the owner. */
const bindTenant = (tx: Queryable, tenantId: string) =>
  tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);

/** The table, its tenant policy, and read access for the application role only. */
export async function createTable(
  tx: Queryable,
  tenantId: string,
  schema: string,
  table: string,
  columns: UploadedColumn[],
): Promise<void> {
  const ref = `${q(schema)}.${q(table)}`;
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
  await tx.query(`GRANT USAGE ON SCHEMA ${q(schema)} TO ${APP_ROLE}`);
  await tx.query(`DROP TABLE IF EXISTS ${ref}`);
  const defs = columns.map((c) => `${q(c.name)} ${SQL_TYPE[c.type]}`).join(', ');
  await tx.query(
    `CREATE TABLE ${ref} (tenant_id uuid NOT NULL DEFAULT '${tenantId}' CHECK (tenant_id = '${tenantId}'), _row integer NOT NULL, ${defs}, PRIMARY KEY (tenant_id, _row))`,
  );
  await tx.query(`ALTER TABLE ${ref} ENABLE ROW LEVEL SECURITY`);
  await tx.query(`ALTER TABLE ${ref} FORCE ROW LEVEL SECURITY`);
  await tx.query(
    `CREATE POLICY tenant_isolation ON ${ref} USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
  );
  await tx.query(`GRANT SELECT ON ${ref} TO ${APP_ROLE}`);
}

async function insertRows(
  tx: Queryable,
  tenantId: string,
  schema: string,
  table: string,
  columns: UploadedColumn[],
  rows: TableCell[][],
  offset: number,
): Promise<void> {
  const records = rows.map((row, i) => {
    const record: Record<string, unknown> = { _row: offset + i + 1 };
    columns.forEach((c, j) => (record[c.name] = convertCell(row[j] ?? null, c.type)));
    return record;
  });
  await insertRecords(tx, tenantId, schema, table, columns, records);
}

/**
 * Inserts records ({_row, <column>: value}) into a table createTable made. One parameter per batch:
 * the rows as JSON, typed by jsonb_to_recordset (a numeric given as text keeps every digit).
 */
export async function insertRecords(
  tx: Queryable,
  tenantId: string,
  schema: string,
  table: string,
  columns: UploadedColumn[],
  records: Record<string, unknown>[],
): Promise<void> {
  const names = columns.map((c) => q(c.name)).join(', ');
  const types = columns.map((c) => `${q(c.name)} ${SQL_TYPE[c.type]}`).join(', ');
  await tx.query(
    `INSERT INTO ${q(schema)}.${q(table)} (tenant_id, _row, ${names})
     SELECT $1, r._row, ${columns.map((c) => `r.${q(c.name)}`).join(', ')}
       FROM jsonb_to_recordset($2::jsonb) AS r(_row integer, ${types})`,
    [tenantId, JSON.stringify(records)],
  );
}
