import type { Database } from '../../platform/db/database.js';
import { checkTenantId } from './lexical-index.js';
import { FirstLoads } from './first-load.js';
import { bindTenant, rebuildPostings } from './search-triggers.js';

/**
 * The portable path's first load: while a company with no chunks yet loads many files, the postings
 * trigger leaves its chunks alone (a row in search_postings_deferred, migrations/0016), and its
 * postings, term statistics and collection statistics are computed from its chunks once when the
 * load ends: one sorted INSERT instead of a trigger call per batch that also updates every term's
 * statistics. The company's search finds nothing until then (it had nothing before). A crash
 * meanwhile leaves the row: start-up (rebuildLeftovers) and the next first load rebuild it.
 */
export class PostingsDeferral {
  private readonly firstLoads = new FirstLoads();

  constructor(private readonly db: Database) {}

  firstLoad<T>(tenantId: string, load: () => Promise<T>, building?: () => void): Promise<T> {
    const id = checkTenantId(tenantId);
    return this.firstLoads.run(id, {
      defer: () =>
        this.db.owner(async (tx) => {
          await bindTenant(tx, id);
          await tx.query(
            `INSERT INTO search_postings_deferred (tenant_id)
             SELECT $1::uuid WHERE NOT EXISTS (SELECT 1 FROM chunks WHERE tenant_id = $1)
             ON CONFLICT (tenant_id) DO NOTHING`,
            [id],
          );
        }),
      load,
      build: () => this.rebuild(id, building),
    });
  }

  /** Companies a crash left deferred: rebuilt now. Returns their ids. */
  async rebuildLeftovers(): Promise<string[]> {
    const ids = await this.db.owner(async (tx) =>
      (await tx.query<{ id: string }>('SELECT tenant_id::text AS id FROM search_postings_deferred')).map(
        (r) => r.id,
      ),
    );
    for (const id of ids) await this.rebuild(id);
    return ids;
  }

  /**
   * Ends a company's deferral: the row goes first, which waits for writes that skipped their
   * postings to commit (they hold it FOR KEY SHARE); the rebuild after it then sees their chunks.
   * Writes that come later maintain their postings themselves. Nothing when it was not deferred.
   */
  private async rebuild(tenantId: string, building?: () => void): Promise<void> {
    return this.db.owner(async (tx) => {
      await bindTenant(tx, tenantId);
      const ended = await tx.query('DELETE FROM search_postings_deferred WHERE tenant_id = $1 RETURNING 1', [
        tenantId,
      ]);
      if (ended.length === 0) return;
      building?.();
      await rebuildPostings(tx, tenantId);
    });
  }
}
