import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { GLOBAL_TABLES } from './global-tables.js';
import { ENGINES, createTestDatabase } from '../../../test/helpers/test-database.js';
import { createTenancy, type Tenancy } from '../../tenancy/tenancy-module.js';
import { createCompany, createUser } from '../../../test/helpers/factories.js';

describe.each(ENGINES)('row-level security on %s', (engine) => {
  let db: Database;
  let tenancy: Tenancy;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
  });
  afterAll(() => db.close());

  it('a query that forgets its tenant filter still sees only its own company', async () => {
    const a = await createCompany(tenancy);
    const b = await createCompany(tenancy);
    await createUser(tenancy, a.id);
    await createUser(tenancy, b.id);
    await createUser(tenancy, b.id);

    const seenByA = await db.tenant(a.id, (tx) =>
      tx.query<{ tenant_id: string }>('SELECT tenant_id FROM users'),
    );
    expect(seenByA.map((r) => r.tenant_id)).toEqual([a.id]);
    const seenByB = await db.tenant(b.id, (tx) =>
      tx.query<{ tenant_id: string }>('SELECT tenant_id FROM users'),
    );
    expect(seenByB).toHaveLength(2);
    expect(new Set(seenByB.map((r) => r.tenant_id))).toEqual(new Set([b.id]));
  });

  it('refuses to write a row for another company inside a tenant transaction', async () => {
    const a = await createCompany(tenancy);
    const b = await createCompany(tenancy);
    await expect(
      db.tenant(a.id, (tx) =>
        tx.query(
          `INSERT INTO users (tenant_id, id, email, name, role) VALUES ($1, gen_random_uuid(), 'x@example.com', 'x', 'admin')`,
          [b.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('an unscoped update or delete cannot touch another company', async () => {
    const a = await createCompany(tenancy);
    const b = await createCompany(tenancy);
    const victim = await createUser(tenancy, b.id);
    await db.tenant(a.id, (tx) => tx.query(`UPDATE users SET name = 'hacked'`));
    await db.tenant(a.id, (tx) => tx.query('DELETE FROM users'));
    const still = await tenancy.repos.users.findById(b.id, victim.id);
    expect(still?.name).not.toBe('hacked');
  });

  it('the global role sees no tenant rows at all', async () => {
    const a = await createCompany(tenancy);
    await createUser(tenancy, a.id);
    const rows = await db.global((tx) => tx.query('SELECT * FROM users'));
    expect(rows).toEqual([]);
  });

  it('every tenant table forces row-level security', async () => {
    const rows = await db.owner((tx) =>
      tx.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
           JOIN information_schema.columns col ON col.table_name = c.relname AND col.table_schema = 'public'
          WHERE c.relkind = 'r' AND col.column_name = 'tenant_id' AND c.relnamespace = 'public'::regnamespace`,
      ),
    );
    const tenantTables = rows.filter((row) => !GLOBAL_TABLES.has(row.relname));
    expect(tenantTables.length).toBeGreaterThan(0);
    for (const row of tenantTables)
      expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });
});
