import type { Database } from '../../platform/db/database.js';
import { APPEND_ONLY_TABLES, tenantTablesChildrenFirst } from '../../platform/db/tenant-tables.js';
import type { Sector } from '../roles.js';

export interface Company {
  id: string;
  slug: string;
  name: string;
  groupId: string | null;
  region: string;
  sector: Sector;
  createdAt: string;
}

interface CompanyRow {
  id: string;
  slug: string;
  name: string;
  group_id: string | null;
  region: string;
  sector: Sector;
  created_at: Date;
}

const toCompany = (row: CompanyRow): Company => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  groupId: row.group_id,
  region: row.region,
  sector: row.sector,
  createdAt: row.created_at.toISOString(),
});

/** Companies (tenants) are a global reference table; the rows they own live in tenant tables. */
export class CompanyRepository {
  constructor(private readonly db: Database) {}

  async insert(company: Omit<Company, 'createdAt'>): Promise<Company> {
    const rows = await this.db.global((tx) =>
      tx.query<CompanyRow>(
        `INSERT INTO tenants (id, slug, name, group_id, region, sector) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [company.id, company.slug, company.name, company.groupId, company.region, company.sector],
      ),
    );
    return toCompany(rows[0]!);
  }

  async findById(id: string): Promise<Company | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<CompanyRow>('SELECT * FROM tenants WHERE id = $1', [id]),
    );
    return rows[0] && toCompany(rows[0]);
  }

  async findBySlug(slug: string): Promise<Company | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<CompanyRow>('SELECT * FROM tenants WHERE slug = $1', [slug]),
    );
    return rows[0] && toCompany(rows[0]);
  }

  async listAll(): Promise<Company[]> {
    const rows = await this.db.global((tx) => tx.query<CompanyRow>('SELECT * FROM tenants ORDER BY slug'));
    return rows.map(toCompany);
  }

  async listByGroup(groupId: string): Promise<Company[]> {
    const rows = await this.db.global((tx) =>
      tx.query<CompanyRow>('SELECT * FROM tenants WHERE group_id = $1 ORDER BY slug', [groupId]),
    );
    return rows.map(toCompany);
  }

  async update(
    id: string,
    patch: { name?: string | undefined; region?: string | undefined },
  ): Promise<Company | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<CompanyRow>(
        `UPDATE tenants SET name = coalesce($2, name), region = coalesce($3, region), updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, patch.name ?? null, patch.region ?? null],
      ),
    );
    return rows[0] && toCompany(rows[0]);
  }

  /** Removes everything the company owns, table by table inside its own RLS scope, then the company. */
  async purge(id: string): Promise<void> {
    const tables = await this.db.owner((tx) => tenantTablesChildrenFirst(tx));
    const appendOnly = tables.filter((table) => APPEND_ONLY_TABLES.includes(table));
    await this.db.tenant(id, async (tx) => {
      for (const table of tables) {
        if (!appendOnly.includes(table)) await tx.query(`DELETE FROM "${table}" WHERE tenant_id = $1`, [id]);
      }
    });
    // The application role cannot delete audit rows; the owner erases them with the company.
    await this.db.owner(async (tx) => {
      await tx.query(
        `SELECT set_config('kura.audit_erase', 'on', true), set_config('app.tenant_id', $1, true)`,
        [id],
      );
      for (const table of appendOnly) await tx.query(`DELETE FROM "${table}" WHERE tenant_id = $1`, [id]);
    });
    await this.db.global((tx) => tx.query('DELETE FROM tenants WHERE id = $1', [id]));
  }
}
