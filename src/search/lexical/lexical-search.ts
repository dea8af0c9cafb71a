import type { Database, Queryable } from '../../platform/db/database.js';
import type { Logger } from '../../platform/log/logger.js';
import type { LexicalEngine, LexicalIndex } from './lexical-index.js';
import { dropOrphanPartitions, PgTextsearchIndex } from './pg-textsearch-index.js';
import { PortableIndex } from './portable-index.js';
import { PostingsDeferral } from './postings-deferral.js';
import { installTriggers, removeTriggers } from './search-triggers.js';

export interface LexicalSearchOptions {
  /** 'auto' (default): pg_textsearch when the database has it, else the portable SQL. */
  engine?: 'auto' | LexicalEngine;
  logger?: Logger | undefined;
  /** pg_textsearch: how long after a company's last write its index statistics are checked (ms). */
  reconcileDelayMs?: number;
  /** pg_textsearch: posting entries held in memory before a spill to disk (default MEMTABLE_SPILL_POSTINGS, off; 0: the extension's own bound). */
  spillPostings?: number;
}

/** The search line of `kura serve`'s start-up banner: on a server without pg_textsearch it recommends the extension. */
export function searchStartupLine(engine: LexicalEngine, databaseKind: 'pglite' | 'postgres'): string {
  const how =
    engine === 'pg_textsearch'
      ? 'pg_textsearch'
      : databaseKind === 'pglite'
        ? 'portable SQL (chosen by KURA_SEARCH_ENGINE)'
        : 'portable SQL; install the pg_textsearch extension (PostgreSQL 17+) for faster search';
  return `  Search:   BM25 by ${how}; hybrid with vectors for companies that have an embedding provider`;
}

export interface EngineProbe {
  available: boolean;
  /** Why an installed extension could not be used. */
  reason?: string;
}

class ProbeRollback extends Error {}

/**
 * Is pg_textsearch usable here? Listed in pg_available_extensions, creatable, and able to build a
 * bm25 index (a server that has the files but not `shared_preload_libraries` fails the last step).
 * The probe index lives in a transaction that is rolled back.
 */
export async function probePgTextsearch(db: Database): Promise<EngineProbe> {
  const listed = await db.owner((tx) =>
    tx.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_textsearch'`),
  );
  if (listed.length === 0) return { available: false };
  try {
    await db.owner((tx) => tx.query('CREATE EXTENSION IF NOT EXISTS pg_textsearch'));
    await db.owner(async (tx) => {
      await tx.query('CREATE TEMP TABLE kura_bm25_probe (t text) ON COMMIT DROP');
      await tx.query(`CREATE INDEX ON kura_bm25_probe USING bm25 (t) WITH (text_config = 'simple')`);
      throw new ProbeRollback();
    });
  } catch (error) {
    if (!(error instanceof ProbeRollback)) return { available: false, reason: (error as Error).message };
  }
  return { available: true };
}

/**
 * Chooses and sets up the lexical path once per process: detects pg_textsearch, installs the
 * triggers that keep that path's copy of the chunks in step (and removes the other path's), drops
 * what purged companies left behind, and says in one log line which path is used.
 */
export class LexicalSearch {
  private started: Promise<LexicalIndex> | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly deferral: PostingsDeferral;

  constructor(
    private readonly db: Database,
    private readonly options: LexicalSearchOptions = {},
  ) {
    this.deferral = new PostingsDeferral(db);
  }

  /** The index to use; sets it up on first call. */
  index(): Promise<LexicalIndex> {
    if (!this.started) {
      this.started = this.setUp();
      this.started.catch(() => (this.started = undefined));
    }
    return this.started;
  }

  /** For DocumentRepository: a company is ready before its first chunk is written. */
  readonly hooks = {
    beforeWrite: async (tenantId: string): Promise<void> => {
      const index = await this.index();
      await index.prepareTenant(tenantId);
      if (index instanceof PgTextsearchIndex) this.scheduleReconcile(index, tenantId);
    },
    inTransaction: async (tx: Queryable): Promise<void> => {
      const index = await this.index();
      if (index instanceof PgTextsearchIndex) await index.boundMemtable(tx);
    },
  };

  /**
   * Loads many chunks of one company at once, building its index once afterwards instead of row
   * by row: pg_textsearch drops and rebuilds the company's bm25 index; the portable path stops
   * maintaining postings while `load` runs and rebuilds them from chunks afterwards (every
   * company's: the postings triggers are per table). Searches see no index meanwhile, so this is
   * for offline loads only (the benchmark's generated `--scale` chunks), never for a live database.
   */
  async bulkLoad<T>(tenantId: string, load: () => Promise<T>): Promise<{ loaded: T; buildMs: number }> {
    const index = await this.index();
    if (index instanceof PgTextsearchIndex) return index.bulkLoad(tenantId, load);
    await removeTriggers(this.db, 'postings');
    let loaded: T;
    try {
      loaded = await load();
    } catch (error) {
      await installTriggers(this.db, 'postings');
      throw error;
    }
    const started = performance.now();
    await installTriggers(this.db, 'postings');
    return { loaded, buildMs: performance.now() - started };
  }

  /**
   * Runs a large ingest into one company (a sync of many files): a company with nothing indexed
   * yet gets its index built once at the end (`building` is called just before) — its bm25 index
   * on pg_textsearch (PgTextsearchIndex.firstLoad), its postings on the portable path
   * (PostingsDeferral); otherwise `load` just runs.
   */
  async firstLoad<T>(tenantId: string, load: () => Promise<T>, building?: () => void): Promise<T> {
    const index = await this.index();
    if (index instanceof PgTextsearchIndex) return index.firstLoad(tenantId, load, building);
    return this.deferral.firstLoad(tenantId, load, building);
  }

  /** Stops pending statistics checks (before the database closes). */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** A while after a company's last write, its bm25 statistics are checked and the index rebuilt if they drifted. */
  private scheduleReconcile(index: PgTextsearchIndex, tenantId: string): void {
    clearTimeout(this.timers.get(tenantId));
    const timer = setTimeout(() => {
      this.timers.delete(tenantId);
      index.reconcile(tenantId).then(
        (outcome) => {
          if (outcome?.rebuilt)
            this.options.logger?.info({ ...outcome }, 'search: bm25 index rebuilt (statistics had drifted)');
        },
        (error: unknown) =>
          this.options.logger?.warn({ err: error, tenantId }, 'search: bm25 statistics check failed'),
      );
    }, this.options.reconcileDelayMs ?? 30_000);
    timer.unref();
    this.timers.set(tenantId, timer);
  }

  private async setUp(): Promise<LexicalIndex> {
    const requested = this.options.engine ?? 'auto';
    // pg_textsearch wherever it is usable, embedded PGlite included: there its per-company
    // partitions are UNLOGGED, so a crash (kill -9) empties them instead of leaving index pages
    // that fail recovery, and reconcileAll() below fills them again from chunks
    // (test/search/pglite-restart.test.ts, test/cli/ingest-crash.test.ts).
    const wanted = requested;
    const log = this.options.logger;
    let probe: EngineProbe = { available: false };
    if (wanted !== 'portable') probe = await probePgTextsearch(this.db);
    if (wanted === 'pg_textsearch' && !probe.available) {
      throw new Error(
        `pg_textsearch is not usable on this database${probe.reason ? `: ${probe.reason}` : ''}`,
      );
    }
    if (probe.available) {
      await removeTriggers(this.db, 'postings');
      const mirror = await installTriggers(this.db, 'mirror');
      const dropped = await dropOrphanPartitions(this.db);
      const index = new PgTextsearchIndex(this.db, this.options.spillPostings);
      const outcomes = await index.reconcileAll();
      const rebuilt = outcomes.filter((o) => o.rebuilt).length;
      const refilled = outcomes.filter((o) => o.refilled).length;
      log?.info(
        {
          engine: 'pg_textsearch',
          mirror,
          droppedPartitions: dropped.length,
          rebuiltIndexes: rebuilt,
          refilledPartitions: refilled,
        },
        'search: BM25 by pg_textsearch (one bm25 index per company)',
      );
      return index;
    }
    await removeTriggers(this.db, 'mirror');
    const postings = await installTriggers(this.db, 'postings');
    // First loads that a crash cut short: their postings are built now.
    const finished = await this.deferral.rebuildLeftovers();
    const why = probe.reason ? ` (pg_textsearch is installed but unusable: ${probe.reason})` : '';
    const message =
      requested === 'portable'
        ? 'search: BM25 by portable SQL over Kura postings (chosen by configuration)'
        : `search: BM25 by portable SQL over Kura postings${why}; install the pg_textsearch extension (PostgreSQL 17+) for faster search`;
    log?.info({ engine: 'portable', postings, finishedFirstLoads: finished.length }, message);
    return new PortableIndex();
  }
}
