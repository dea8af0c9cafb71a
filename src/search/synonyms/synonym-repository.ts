import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { SynonymGroups } from '../analysis/synonyms.js';

/** A company's synonym dictionary (migrations/0009_search_synonyms_filters.sql): one row per group. */
export class SynonymRepository {
  constructor(private readonly db: Database) {}

  list(tenantId: string): Promise<string[][]> {
    return this.db.tenant(tenantId, (tx) => listIn(tx, tenantId));
  }

  /** Replaces the whole dictionary in one transaction. */
  async replace(tenantId: string, groups: SynonymGroups): Promise<string[][]> {
    return this.db.tenant(tenantId, async (tx) => {
      await tx.query('DELETE FROM search_synonyms WHERE tenant_id = $1', [tenantId]);
      if (groups.length > 0) {
        await tx.query(
          `INSERT INTO search_synonyms (tenant_id, id, terms, created_at)
           SELECT $1, g.id, string_to_array(g.terms, chr(31)), clock_timestamp() + g.n * interval '1 microsecond'
             FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS g(id, terms, n)`,
          [tenantId, groups.map(() => randomUUID()), groups.map((g) => g.join('\u001f'))],
        );
      }
      return listIn(tx, tenantId);
    });
  }
}

/** Inside a tenant transaction (search reads the dictionary in its own). */
export async function listIn(tx: Queryable, tenantId: string): Promise<string[][]> {
  const rows = await tx.query<{ terms: string[] }>(
    'SELECT terms FROM search_synonyms WHERE tenant_id = $1 ORDER BY created_at, id',
    [tenantId],
  );
  return rows.map((r) => r.terms);
}
