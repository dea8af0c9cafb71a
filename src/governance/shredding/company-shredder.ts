import { companySchema } from '../../analytics/tables/physical-names.js';
import type { Database } from '../../platform/db/database.js';
import { tenantTablesChildrenFirst } from '../../platform/db/tenant-tables.js';
import { dropOrphanPartitions } from '../../search/lexical/pg-textsearch-index.js';
import type { Logger } from '../../platform/log/logger.js';

export interface ShredReport {
  /** Tables rewritten by VACUUM FULL, so the deleted rows' bytes left their pages. */
  compacted: string[];
  /** Whether a checkpoint (and on a server, a WAL switch) ran after the rewrite. */
  checkpointed: boolean;
}

interface KeyForgetter {
  forget(scope: string): Promise<void>;
}

/**
 * Crypto-shredding after a company's rows are deleted: its data key is destroyed first (every sealed
 * value — source and SSO credentials, conversation content, audit payloads — becomes noise), then the
 * tables it had rows in are rewritten (VACUUM FULL: a plain DELETE only marks tuples dead, their
 * bytes stay in the page) and a checkpoint flushes the rewritten files. The WAL is then switched and
 * checkpointed twice so the segments holding the old inserts fall behind the redo point and are
 * removed; on a server, whether they are deleted or recycled with their bytes is its `wal_recycle`
 * setting (docs/SECURITY.md).
 */
export class CompanyShredder {
  constructor(
    private readonly db: Database,
    private readonly keyring: KeyForgetter,
    private readonly logger?: Logger,
  ) {}

  async shred(companyId: string): Promise<ShredReport> {
    await this.keyring.forget(companyId);
    // Its uploaded tables (analytics: the company's own schema) go whole, files unlinked.
    await this.db.owner((tx) => tx.query(`DROP SCHEMA IF EXISTS "${companySchema(companyId)}" CASCADE`));
    // Its (now empty) search partition and BM25 index go with it.
    await dropOrphanPartitions(this.db);
    return this.reclaim();
  }

  /** Rewrites every company table and checkpoints; a failure is logged, never undoes the deletion. */
  async reclaim(): Promise<ShredReport> {
    const tables = await this.db.owner((tx) => tenantTablesChildrenFirst(tx));
    const compacted: string[] = [];
    let checkpointed = false;
    try {
      for (const table of [...tables, 'data_keys']) {
        await this.db.maintenance(`VACUUM FULL "${table}"`);
        compacted.push(table);
      }
      // Embedded, this process is also the checkpointer: a removed WAL segment is deleted, not
      // renamed for reuse with its old bytes. A server's checkpointer reads its own configuration.
      if (this.db.kind === 'pglite') await this.db.maintenance('SET wal_recycle = off');
      await this.db.maintenance('CHECKPOINT');
      // Two switches and checkpoints: the redo point moves past every segment written before.
      for (let i = 0; i < 2; i += 1) {
        await this.db.maintenance('SELECT pg_switch_wal()');
        await this.db.maintenance('CHECKPOINT');
      }
      checkpointed = true;
    } catch (error) {
      // CHECKPOINT needs a superuser or pg_checkpoint: the rows are gone and the key destroyed;
      // the operator is told what is left to do.
      this.logger?.warn(
        { err: error, compacted },
        'company deleted and its key destroyed, but reclaiming its dead rows failed: run VACUUM FULL and CHECKPOINT as a superuser',
      );
    }
    return { compacted, checkpointed };
  }
}
