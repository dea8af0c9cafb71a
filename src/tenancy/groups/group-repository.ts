import type { Database } from '../../platform/db/database.js';

export interface Group {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
}

interface GroupRow {
  id: string;
  slug: string;
  name: string;
  created_at: Date;
}

const toGroup = (row: GroupRow): Group => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  createdAt: row.created_at.toISOString(),
});

/** Groups are a global table (a Citus reference table): no tenant scope applies. */
export class GroupRepository {
  constructor(private readonly db: Database) {}

  async insert(group: { id: string; slug: string; name: string }): Promise<Group> {
    const rows = await this.db.global((tx) =>
      tx.query<GroupRow>('INSERT INTO groups (id, slug, name) VALUES ($1, $2, $3) RETURNING *', [
        group.id,
        group.slug,
        group.name,
      ]),
    );
    return toGroup(rows[0]!);
  }

  async findById(id: string): Promise<Group | undefined> {
    const rows = await this.db.global((tx) => tx.query<GroupRow>('SELECT * FROM groups WHERE id = $1', [id]));
    return rows[0] && toGroup(rows[0]);
  }

  async findBySlug(slug: string): Promise<Group | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<GroupRow>('SELECT * FROM groups WHERE slug = $1', [slug]),
    );
    return rows[0] && toGroup(rows[0]);
  }

  async list(): Promise<Group[]> {
    const rows = await this.db.global((tx) => tx.query<GroupRow>('SELECT * FROM groups ORDER BY slug'));
    return rows.map(toGroup);
  }

  async rename(id: string, name: string): Promise<Group | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<GroupRow>('UPDATE groups SET name = $2 WHERE id = $1 RETURNING *', [id, name]),
    );
    return rows[0] && toGroup(rows[0]);
  }

  /** Slugs of groups and companies share one namespace: both are typed at sign-in. */
  async slugTaken(slug: string): Promise<boolean> {
    const rows = await this.db.global((tx) =>
      tx.query(
        'SELECT 1 FROM groups WHERE slug = $1 UNION ALL SELECT 1 FROM tenants WHERE slug = $1 LIMIT 1',
        [slug],
      ),
    );
    return rows.length > 0;
  }
}
