import { APP_ROLE, type Database, type Queryable } from '../../platform/db/database.js';
import {
  BM25,
  checkTenantId,
  chunkFilters,
  type LexicalHit,
  type LexicalIndex,
  type LexicalQuery,
} from './lexical-index.js';
import { FirstLoads } from './first-load.js';
import { bindTenant, mirrorPartitions } from './search-triggers.js';

const hex = (tenantId: string) => checkTenantId(tenantId).replace(/-/g, '');

/** `search_chunks_<company id without dashes>`: the company's partition of search_chunks. */
export const partitionName = (tenantId: string) => `search_chunks_${hex(tenantId)}`;
/** `search_chunks_bm25_<…>`: its bm25 index (49 characters, under PostgreSQL's 63). */
export const bm25IndexName = (tenantId: string) => `search_chunks_bm25_${hex(tenantId)}`;

const PARTITION = /^search_chunks_([0-9a-f]{32})$/;

/** The company a partition belongs to, or null for any other name. */
export function tenantOfPartition(name: string): string | null {
  const h = PARTITION.exec(name)?.[1];
  if (h === undefined) return null;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Serialises the creation of one company's partition across processes (Kura's own advisory lock number). */
const CREATE_LOCK = 7290004;

/**
 * A bm25 index whose statistics drift from its rows by more than this share of documents is
 * rebuilt (see reconcile). pg_textsearch 0.5.1 counts every inserted row version and never
 * subtracts deleted ones, and in PGlite it forgets what was inserted since the index was built when
 * the database is reopened (docs/BENCHMARKS.md): a rebuild restores exact statistics.
 */
export const DRIFT_LIMIT = 0.02;

/**
 * Posting entries (a term in a chunk) pg_textsearch may hold in its in-memory table before it
 * writes them to a segment on disk at the end of the writing transaction; 0 leaves the extension's
 * own bound (32 million postings, in practice never). pg_textsearch 0.5.1 walks every term of the
 * in-memory table after each row it indexes, so with no bound a large-vocabulary ingest slows down
 * quadratically (4 rounds of distinct vocabularies: 29.4 CPU-s unbounded, 8.5 with 20,000; the
 * 300-file bench: no measurable difference; docs/BENCHMARKS.md, "Ingestion: the database write
 * side"). Off by default: in PGlite, rows spilled to segments and then recovered when the database
 * is reopened can be returned twice by the index (measured: 501 hits for 500 rows after a reopen)
 * until the next rebuild, and start-up rebuilds only when the statistics drifted by over
 * DRIFT_LIMIT. `searchSpillPostings` turns it on for measurements.
 */
export const MEMTABLE_SPILL_POSTINGS = 0;

export interface IndexStats {
  docs: number;
  tokens: number;
}

export interface ReconcileOutcome {
  tenantId: string;
  index: IndexStats;
  rows: IndexStats;
  rebuilt: boolean;
  /** The partition was filled again from chunks (it had lost rows, e.g. in a crash). */
  refilled: boolean;
}

/**
 * BM25 by the pg_textsearch extension. Each company has its own partition of search_chunks (a copy
 * of its chunks' ACL and tokens, kept in step by triggers) with its own `bm25` index, so each
 * company's document count, average length and document frequencies are its own — one company's
 * documents never move another's scores — and a company's index cannot even contain another
 * company's rows. Top-k is the index's Block-Max WAND scan in `tokens <@> to_bm25query(…)` order;
 * filters run above it and the scan re-drives itself when they reject rows, so LIMIT k still yields
 * k rows when k exist. The score is read from the scan (bm25_get_current_score) instead of being
 * computed again per row.
 */
export class PgTextsearchIndex implements LexicalIndex {
  readonly engine = 'pg_textsearch' as const;
  private readonly prepared = new Map<string, Promise<void>>();
  private readonly firstLoads = new FirstLoads();

  constructor(
    private readonly db: Database,
    private readonly spillPostings = MEMTABLE_SPILL_POSTINGS,
  ) {}

  prepareTenant(tenantId: string): Promise<void> {
    const id = checkTenantId(tenantId);
    let pending = this.prepared.get(id);
    if (!pending) {
      pending = this.createPartition(id);
      this.prepared.set(id, pending);
      // A failure is not remembered: the next call tries again.
      pending.catch(() => this.prepared.delete(id));
    }
    return pending;
  }

  /** In a transaction that writes chunks: bounds the in-memory table (see MEMTABLE_SPILL_POSTINGS). */
  async boundMemtable(tx: Queryable): Promise<void> {
    if (this.spillPostings <= 0) return;
    await tx.query(`SELECT set_config('pg_textsearch.memtable_spill_threshold', $1, true)`, [
      String(this.spillPostings),
    ]);
  }

  /** Forgets what this process knows about prepared companies (after partitions were dropped). */
  forget(): void {
    this.prepared.clear();
  }

  /**
   * Creates the company's partition, fills it from chunks and builds its index. A partition left
   * without its index (a first load cut short by a crash, see firstLoad) is filled again from
   * chunks, as an unlogged one may have lost rows, and gets its index.
   */
  private async createPartition(tenantId: string): Promise<void> {
    const partition = partitionName(tenantId);
    const index = bm25IndexName(tenantId);
    await this.db.owner(async (tx) => {
      if (await relationExists(tx, index)) return;
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CREATE_LOCK, partition]);
      if (await relationExists(tx, index)) return;
      // No chunk of any company is written while the partition is created and back-filled: the
      // mirror trigger starts copying this company's rows exactly when the partition appears.
      await tx.query('LOCK TABLE chunks IN SHARE ROW EXCLUSIVE MODE');
      if (await relationExists(tx, partition)) {
        await bindTenant(tx, tenantId);
        await tx.query(`DELETE FROM ${partition}`);
      } else {
        // Embedded: UNLOGGED. pg_textsearch 0.5.1's index does not survive a crash of PGlite (after a
        // kill -9 its pages fail recovery and every query errors); an unlogged partition is reset
        // to empty instead, and reconcile() fills it again from chunks, which are logged.
        const unlogged = this.db.kind === 'pglite' ? 'UNLOGGED ' : '';
        await tx.query(
          `CREATE ${unlogged}TABLE ${partition} PARTITION OF search_chunks FOR VALUES IN ('${tenantId}')`,
        );
        await tx.query(`ALTER TABLE ${partition} ENABLE ROW LEVEL SECURITY`);
        await tx.query(`ALTER TABLE ${partition} FORCE ROW LEVEL SECURITY`);
        await tx.query(
          `CREATE POLICY tenant_isolation ON ${partition} USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
        );
        await tx.query(`GRANT SELECT ON ${partition} TO ${APP_ROLE}`);
        await bindTenant(tx, tenantId);
      }
      await tx.query(
        `INSERT INTO search_chunks (tenant_id, document_id, ordinal, acl, tokens, token_count)
         SELECT tenant_id, document_id, ordinal, acl, tokens, token_count FROM chunks WHERE tenant_id = $1`,
        [tenantId],
      );
      // Built after the back-fill: the build writes exact statistics.
      await buildBm25Index(tx, tenantId);
    });
  }

  /**
   * A company's first load: when its partition holds no row yet, its bm25 index is dropped while
   * `load` runs and built once afterwards over every row. Building costs ~0.16 ms a chunk; inserting
   * into the index costs ~0.8 ms a chunk and grows with the vocabulary written (docs/BENCHMARKS.md).
   * The company had nothing to find before, and its search answers nothing until the build (it
   * never fails for want of the index: kura_bm25_top, migrations/0016). A company that already has
   * rows keeps its index and `load` just runs. Loads of one company that overlap share one build,
   * made when the last ends, whether it succeeded or not; after a crash meanwhile, the start-up
   * (reconcileAll) or the next write fills the partition again and builds the index.
   */
  async firstLoad<T>(tenantId: string, load: () => Promise<T>, building?: () => void): Promise<T> {
    const id = checkTenantId(tenantId);
    await this.prepareTenant(id);
    return this.firstLoads.run(id, {
      defer: async () => {
        if (await this.partitionEmpty(id))
          await this.db.owner((tx) => tx.query(`DROP INDEX IF EXISTS ${bm25IndexName(id)}`));
      },
      load,
      build: async () => {
        // Nothing to build when the company had rows (no index was dropped), or another process built it.
        if (await this.indexExists(id)) return;
        building?.();
        await this.db.owner((tx) => buildBm25Index(tx, id, true));
      },
    });
  }

  private async indexExists(tenantId: string): Promise<boolean> {
    return this.db.owner((tx) => relationExists(tx, bm25IndexName(tenantId)));
  }

  private async partitionEmpty(tenantId: string): Promise<boolean> {
    return this.db.owner(async (tx) => {
      await bindTenant(tx, tenantId);
      return (await tx.query(`SELECT 1 FROM ${partitionName(tenantId)} LIMIT 1`)).length === 0;
    });
  }

  /**
   * Loads many chunks of one company at once (the benchmark's generated `--scale` chunks): the
   * company's bm25 index is dropped, `load` writes its chunks (the mirror trigger still copies them
   * into the partition), and the index is built once over every row, which is much faster than
   * inserting into it row by row. Returns what `load` returned and how long the build took. The
   * company cannot be searched meanwhile: for offline loads only.
   */
  async bulkLoad<T>(tenantId: string, load: () => Promise<T>): Promise<{ loaded: T; buildMs: number }> {
    const id = checkTenantId(tenantId);
    await this.prepareTenant(id);
    await this.db.owner((tx) => tx.query(`DROP INDEX IF EXISTS ${bm25IndexName(id)}`));
    const build = () => this.db.owner((tx) => buildBm25Index(tx, id));
    let loaded: T;
    try {
      loaded = await load();
    } catch (error) {
      await build();
      throw error;
    }
    const started = performance.now();
    await build();
    return { loaded, buildMs: performance.now() - started };
  }

  /** The query kura_bm25_top runs, for EXPLAIN in tests: run `setup` first in the same transaction. */
  statement(query: LexicalQuery): { sql: string; params: unknown[]; setup: string } {
    const tenantId = checkTenantId(query.tenantId);
    const filters = chunkFilters(query, 3);
    // The planner must use the bm25 index (whose scan also yields the score); without fresh
    // statistics it may prefer a scan and a sort, so those are switched off for this statement.
    const setup = `SELECT set_config('enable_sort', 'off', true), set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`;
    // Chunks that match no term score 0 and sort last: the outer filter drops them after the
    // cut, which is exact (a 0 never displaces a match).
    const sql = `SELECT document_id, ordinal, score FROM (
        SELECT c.document_id, c.ordinal, -bm25_get_current_score() AS score
          FROM ${partitionName(tenantId)} c
         WHERE c.tenant_id = '${tenantId}'${filters.sql}
         ORDER BY c.tokens <@> to_bm25query($1, '${bm25IndexName(tenantId)}')
         LIMIT $2) top
      WHERE score > 0`;
    return { sql, params: [query.terms.join(' '), query.limit, ...filters.params], setup };
  }

  async search(tx: Queryable, query: LexicalQuery): Promise<LexicalHit[]> {
    if (query.terms.length === 0 || query.limit <= 0) return [];
    // The same query as statement(), run by kura_bm25_top (migrations/0009_search_synonyms_filters.sql) so that the
    // planner settings cost no extra round trip.
    const rows = await tx.query<{ document_id: string; ordinal: number; score: number }>(
      `SELECT document_id, ordinal, score
         FROM kura_bm25_top($1::uuid, $2, $3, $4::text[], $5::uuid, $6::text[], $7::timestamptz, $8::timestamptz, $9::jsonb)`,
      [
        checkTenantId(query.tenantId),
        query.terms.join(' '),
        query.limit,
        query.principals === null ? null : [...query.principals],
        query.sourceId ?? null,
        query.mimeTypes === undefined ? null : [...query.mimeTypes],
        query.modifiedFrom?.toISOString() ?? null,
        query.modifiedTo?.toISOString() ?? null,
        query.metadata === undefined ? null : JSON.stringify(query.metadata),
      ],
    );
    return rows.map((r) => ({ documentId: r.document_id, ordinal: r.ordinal, score: Number(r.score) }));
  }

  /** What the index believes (its corpus statistics) and what its partition holds. */
  async stats(tenantId: string): Promise<{ index: IndexStats; rows: IndexStats; chunks: number } | null> {
    const id = checkTenantId(tenantId);
    return this.db.owner(async (tx) => {
      if (!(await relationExists(tx, bm25IndexName(id)))) return null;
      return readStats(tx, id);
    });
  }

  /**
   * Makes the company's copy and index exact again when needed: a partition that does not hold
   * exactly the company's chunks (emptied by a crash, or written while its triggers were off) is
   * filled again from chunks; an index whose statistics drifted from its rows by more than
   * DRIFT_LIMIT of the documents (any drift for a company of under 50 chunks) is rebuilt.
   */
  async reconcile(tenantId: string, force = false): Promise<ReconcileOutcome | null> {
    const id = checkTenantId(tenantId);
    return this.db.owner(async (tx) => {
      if (!(await relationExists(tx, bm25IndexName(id)))) return null;
      const before = await readStats(tx, id);
      const refill = before.rows.docs !== before.chunks;
      const drift = Math.abs(before.index.docs - before.rows.docs);
      const stale =
        drift > Math.floor(DRIFT_LIMIT * before.rows.docs) ||
        (before.rows.docs > 0 && before.index.docs === 0);
      const outcome = {
        tenantId: id,
        index: before.index,
        rows: before.rows,
        rebuilt: false,
        refilled: false,
      };
      if (!refill && !stale && !force) return outcome;
      if (refill) {
        await tx.query('LOCK TABLE chunks IN SHARE ROW EXCLUSIVE MODE');
        await tx.query(`DELETE FROM ${partitionName(id)}`);
        await tx.query(
          `INSERT INTO search_chunks (tenant_id, document_id, ordinal, acl, tokens, token_count)
           SELECT tenant_id, document_id, ordinal, acl, tokens, token_count FROM chunks WHERE tenant_id = $1`,
          [id],
        );
      }
      await tx.query(`REINDEX INDEX ${bm25IndexName(id)}`);
      await tx.query(`ANALYZE ${partitionName(id)}`);
      return { ...outcome, rebuilt: true, refilled: refill };
    });
  }

  /**
   * Reconciles every company's index (at start-up: PGlite forgets index statistics when reopened);
   * a partition without its index (a first load cut short) is filled again and indexed.
   */
  async reconcileAll(): Promise<ReconcileOutcome[]> {
    const partitions = await this.db.owner((tx) => mirrorPartitions(tx));
    const out: ReconcileOutcome[] = [];
    for (const name of partitions) {
      const tenantId = tenantOfPartition(name);
      if (tenantId === null) continue;
      let outcome = await this.reconcile(tenantId);
      if (!outcome) {
        await this.prepareTenant(tenantId);
        const after = await this.stats(tenantId);
        if (after)
          outcome = { tenantId, index: after.index, rows: after.rows, rebuilt: true, refilled: true };
      }
      if (outcome) out.push(outcome);
    }
    return out;
  }
}

/**
 * Builds a company's bm25 index over its partition as it is now (exact statistics), then fresh
 * planner statistics; `ifMissing`: nothing when another process built it meanwhile.
 */
async function buildBm25Index(tx: Queryable, tenantId: string, ifMissing = false): Promise<void> {
  await tx.query(
    `CREATE INDEX ${ifMissing ? 'IF NOT EXISTS ' : ''}${bm25IndexName(tenantId)} ON ${partitionName(tenantId)} USING bm25 (tokens) WITH (text_config = 'simple', k1 = ${BM25.k1}, b = ${BM25.b})`,
  );
  await tx.query(`ANALYZE ${partitionName(tenantId)}`);
}

/** A table or index of that name exists (partitions and bm25 indexes are named per company). */
async function relationExists(tx: Queryable, name: string): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM pg_class WHERE relname = $1', [name])).length > 0;
}

const STAT = /total_docs:\s*(\d+)[\s\S]*?total_len:\s*(\d+)/;

async function readStats(
  tx: Queryable,
  tenantId: string,
): Promise<{ index: IndexStats; rows: IndexStats; chunks: number }> {
  const summary =
    (await tx.query<{ s: string }>('SELECT bm25_summarize_index($1) AS s', [bm25IndexName(tenantId)]))[0]
      ?.s ?? '';
  const m = STAT.exec(summary);
  await bindTenant(tx, tenantId);
  const rows = await tx.query<{ docs: string; tokens: string }>(
    `SELECT count(*)::text AS docs, coalesce(sum(token_count), 0)::text AS tokens FROM ${partitionName(tenantId)}`,
  );
  const chunks = await tx.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM chunks WHERE tenant_id = $1',
    [tenantId],
  );
  return {
    // An unreadable summary counts as empty, which forces a rebuild.
    index: { docs: m ? Number(m[1]) : 0, tokens: m ? Number(m[2]) : 0 },
    rows: { docs: Number(rows[0]?.docs ?? 0), tokens: Number(rows[0]?.tokens ?? 0) },
    chunks: Number(chunks[0]?.n ?? 0),
  };
}

/** Drops the partitions (and indexes) of companies that no longer exist: a purged company leaves its partition behind. */
export async function dropOrphanPartitions(db: Database): Promise<string[]> {
  return db.owner(async (tx) => {
    const tenants = new Set(
      (await tx.query<{ id: string }>('SELECT id::text AS id FROM tenants')).map((r) => r.id),
    );
    const dropped: string[] = [];
    for (const name of await mirrorPartitions(tx)) {
      const tenantId = tenantOfPartition(name);
      if (tenantId === null || tenants.has(tenantId)) continue;
      await tx.query(`DROP TABLE IF EXISTS ${name}`);
      dropped.push(name);
    }
    return dropped;
  });
}
