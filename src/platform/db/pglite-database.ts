import { PGlite } from '@electric-sql/pglite';
import { pg_textsearch } from '@electric-sql/pglite/pg_textsearch';
import { vector } from '@electric-sql/pglite/vector';
import { BaseDatabase, type Queryable } from './database.js';

/** Embedded PostgreSQL (WASM) persisted in the data directory; one process owns it (see data-dir-lock). */
export class PgliteDatabase extends BaseDatabase {
  readonly kind = 'pglite' as const;

  private constructor(private readonly pg: PGlite) {
    super();
  }

  /** `loadDataDir`: a tarball from `dumpDataDir` (a backup) to initialise an empty `dir` with. */
  static async open(dir: string | undefined, loadDataDir?: Blob): Promise<PgliteDatabase> {
    // BM25 (pg_textsearch) for search, pgvector for embeddings: both ship with PGlite 0.4.x and
    // are loaded here so that CREATE EXTENSION can find them (src/search/lexical).
    const extensions = { pg_textsearch, vector };
    const options = { extensions, ...(loadDataDir ? { loadDataDir } : {}) };
    const pg = dir ? await PGlite.create(dir, options) : await PGlite.create(options);
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
