import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { createTestDatabase } from '../../../test/helpers/test-database.js';
import { GLOBAL_TABLES } from './global-tables.js';

/**
 * The rules that keep the door to Citus open (docs/SCALING.md), read from the live catalog after
 * all migrations: a table is either global (a small reference table, listed in global-tables.ts) or
 * tenant-owned, and every tenant table has tenant_id leading its primary key, in every unique
 * constraint, and in every foreign key to another tenant table.
 */

describe('Citus distribution rules', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db.close());

  const query = <T>(sql: string) => db.owner((tx) => tx.query<T>(sql));

  it('every table is either a listed global table or carries tenant_id', async () => {
    const rows = await query<{ table_name: string; has_tenant: boolean }>(`
      SELECT t.table_name,
             EXISTS (SELECT 1 FROM information_schema.columns c
                      WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'tenant_id') AS has_tenant
        FROM information_schema.tables t
       WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'`);
    const offenders = rows
      .filter((r) => !r.has_tenant && !GLOBAL_TABLES.has(r.table_name))
      .map((r) => r.table_name);
    expect(offenders, 'tables without tenant_id that are not declared global').toEqual([]);
    expect(rows.some((r) => r.has_tenant)).toBe(true);
  });

  it('tenant tables have tenant_id in the primary key and in every unique constraint', async () => {
    const rows = await query<{
      table_name: string;
      constraint_name: string;
      contype: string;
      columns: string[];
    }>(`
      SELECT rel.relname AS table_name, con.conname AS constraint_name, con.contype::text AS contype,
             array_agg(att.attname::text ORDER BY att.attnum) AS columns
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_attribute att ON att.attrelid = rel.oid AND att.attnum = ANY (con.conkey)
       WHERE rel.relnamespace = 'public'::regnamespace AND con.contype IN ('p', 'u')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
       GROUP BY rel.relname, con.conname, con.contype`);
    const tenantTables = await query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'`,
    );
    for (const { table_name } of tenantTables.filter((t) => !GLOBAL_TABLES.has(t.table_name))) {
      expect(
        rows.some((r) => r.table_name === table_name && r.contype === 'p'),
        `${table_name} has a primary key`,
      ).toBe(true);
    }
    const offenders = rows
      .filter((r) => !GLOBAL_TABLES.has(r.table_name) && !r.columns.includes('tenant_id'))
      .map((r) => `${r.table_name}.${r.constraint_name}`);
    expect(offenders, 'primary keys or unique constraints without tenant_id').toEqual([]);
  });

  it('foreign keys between tenant tables include tenant_id on both sides', async () => {
    const rows = await query<{
      name: string;
      child: string;
      parent: string;
      child_cols: string[];
      parent_cols: string[];
    }>(`
      SELECT con.conname AS name, child.relname AS child, parent.relname AS parent,
             (SELECT array_agg(a.attname::text) FROM pg_attribute a WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)) AS child_cols,
             (SELECT array_agg(a.attname::text) FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attnum = ANY (con.confkey)) AS parent_cols
        FROM pg_constraint con
        JOIN pg_class child ON child.oid = con.conrelid
        JOIN pg_class parent ON parent.oid = con.confrelid
       WHERE con.contype = 'f' AND child.relnamespace = 'public'::regnamespace`);
    const betweenTenantTables = rows.filter(
      (r) => !GLOBAL_TABLES.has(r.child) && !GLOBAL_TABLES.has(r.parent),
    );
    expect(betweenTenantTables.length).toBeGreaterThan(0);
    const offenders = betweenTenantTables
      .filter((r) => !r.child_cols.includes('tenant_id') || !r.parent_cols.includes('tenant_id'))
      .map((r) => `${r.child}.${r.name} → ${r.parent}`);
    expect(offenders, 'foreign keys between tenant tables without tenant_id').toEqual([]);
    // Global tables are never referenced from global tables by tenant rows the other way round.
    const globalToTenant = rows.filter((r) => GLOBAL_TABLES.has(r.child) && !GLOBAL_TABLES.has(r.parent));
    expect(globalToTenant.map((r) => r.name)).toEqual([]);
  });
});
