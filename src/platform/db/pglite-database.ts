import { PGlite } from '@electric-sql/pglite';
import { pg_textsearch } from '@electric-sql/pglite/pg_textsearch';
import { vector } from '@electric-sql/pglite/vector';
import { BaseDatabase, type Queryable } from './database.js';

/** KURA_EMBEDDED_BUFFERS_MB's default (src/platform/config/env.ts). */
const DEFAULT_SHARED_BUFFERS_MB = 32;

/** Embedded PostgreSQL (WASM) persisted in the data directory; one process owns it (see data-dir-lock). */
export class PgliteDatabase extends BaseDatabase {
  readonly kind = 'pglite' as const;

  private constructor(private readonly pg: PGlite) {
    super();
  }

  /**
   * `loadDataDir`: a tarball from `dumpDataDir` (a backup) to initialise an empty `dir` with.
   * `sharedBuffersMb`: PostgreSQL's shared buffers. PGlite's own default (128 MB) is memory the
   * process touches on every start (≈0.4 s of a CLI command here) and again while a first load
   * fills it; 32 MB opened in 0.55–0.6 s instead of 0.98–1.0 s, made a 1,200-file first ingest
   * 10 % faster, and searches at 200,000 chunks stayed within their target (docs/BENCHMARKS.md).
   * Pages beyond it are read back from the operating system's file cache.
   */
  static async open(
    dir: string | undefined,
    options: { loadDataDir?: Blob; sharedBuffersMb?: number } = {},
  ): Promise<PgliteDatabase> {
    // BM25 (pg_textsearch) for search, pgvector for embeddings: both ship with PGlite 0.4.x and
    // are loaded here so that CREATE EXTENSION can find them (src/search/lexical).
    const extensions = { pg_textsearch, vector };
    const sharedBuffers = options.sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB;
    const pgliteOptions = {
      extensions,
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}MB`],
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    };
    const pg = dir ? await PGlite.create(dir, pgliteOptions) : await PGlite.create(pgliteOptions);
    return new PgliteDatabase(pg);
  }

  owner<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (tx) =>
      fn({
        query: async <R>(sql: string, params?: readonly unknown[]) =>
          (await tx.query<R>(sql, params ? [...params] : undefined)).rows,
        exec: async (sql: string) => {
          await tx.exec(sql);
        },
      }),
    );
  }

  async maintenance(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  /** The raw handle, for tools that need PGlite itself (dumps, clones in tests). */
  get handle(): PGlite {
    return this.pg;
  }

  async close(): Promise<void> {
    await this.pg.close();
  }
}
