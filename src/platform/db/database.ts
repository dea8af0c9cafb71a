/** A connection or transaction that runs parameterised SQL. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * One interface over embedded PGlite and server PostgreSQL. Application code never runs SQL as the
 * owner: `global` and `tenant` switch to the `kura_app` role, which row-level security binds, and
 * `tenant` also sets `app.tenant_id` for the transaction, so a query that forgets its tenant filter
 * still sees only that tenant's rows.
 */
export interface Database {
  readonly kind: DatabaseKind;
  /** Global tables (groups, companies, instance settings) as the application role. */
  global<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Everything a company owns, inside a transaction bound to that company by RLS. */
  tenant<T>(tenantId: string, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** As the owner: migrations, catalog checks and operator maintenance only. */
  owner<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** One statement as the owner outside any transaction (VACUUM, CHECKPOINT): operator maintenance only. */
  maintenance(sql: string): Promise<void>;
  close(): Promise<void>;
}

export const APP_ROLE = 'kura_app';

/** A unique constraint refused the row (SQLSTATE 23505), in either engine: a lost race to a name. */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shared by both engines: how a raw owner transaction becomes a global or tenant one. */
export abstract class BaseDatabase implements Database {
  abstract readonly kind: DatabaseKind;
  abstract owner<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  abstract maintenance(sql: string): Promise<void>;
  abstract close(): Promise<void>;

  global<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.owner(async (tx) => {
      await tx.query(`SELECT set_config('role', '${APP_ROLE}', true)`);
      return fn(tx);
    });
  }

  tenant<T>(tenantId: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    if (!UUID.test(tenantId))
      throw new Error(`tenant transaction needs a company id, got ${JSON.stringify(tenantId)}`);
    return this.owner(async (tx) => {
      // One round trip: SET LOCAL ROLE and SET LOCAL app.tenant_id as configuration functions.
      await tx.query(
        `SELECT set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', $1, true)`,
        [tenantId],
      );
      return fn(tx);
    });
  }
}
