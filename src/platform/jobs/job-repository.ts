import type { Database } from '../db/database.js';
import type { JobProgress } from './job-definition.js';

export type JobState = 'queued' | 'running' | 'succeeded' | 'dead';

export interface Job {
  id: string;
  tenantId: string | null;
  name: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  progress: JobProgress | null;
  result: unknown;
  createdAt: Date;
  updatedAt: Date;
}

interface JobRow {
  id: string;
  tenant_id: string | null;
  name: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  last_error: string | null;
  progress: JobProgress | null;
  result: unknown;
  created_at: Date;
  updated_at: Date;
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  payload: row.payload,
  state: row.state,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  runAt: row.run_at,
  lastError: row.last_error,
  progress: row.progress,
  result: row.result,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * The queue lives in one global table (job metadata and ids only, never company content), so a
 * worker can claim the next job of any company with FOR UPDATE SKIP LOCKED. Reads for a company
 * always filter by its tenant_id.
 */
export class JobRepository {
  constructor(private readonly db: Database) {}

  async insert(job: {
    id: string;
    tenantId: string | null;
    name: string;
    payload: unknown;
    maxAttempts: number;
    runAt?: Date;
    dedupeKey?: string;
  }): Promise<Job> {
    const rows = await this.db.global((tx) =>
      tx.query<JobRow>(
        `INSERT INTO jobs (id, tenant_id, name, payload, max_attempts, run_at, dedupe_key)
         VALUES ($1, $2, $3, $4, $5, coalesce($6, now()), $7)
         ON CONFLICT (dedupe_key) WHERE state IN ('queued', 'running') DO NOTHING
         RETURNING *`,
        [
          job.id,
          job.tenantId,
          job.name,
          JSON.stringify(job.payload),
          job.maxAttempts,
          job.runAt ?? null,
          job.dedupeKey ?? null,
        ],
      ),
    );
    if (rows[0]) return toJob(rows[0]);
    const existing = await this.db.global((tx) =>
      tx.query<JobRow>(`SELECT * FROM jobs WHERE dedupe_key = $1 AND state IN ('queued', 'running')`, [
        job.dedupeKey,
      ]),
    );
    return toJob(existing[0]!);
  }

  /** Claims the next due job, or one whose previous worker died (its lease ran out). */
  async claim(
    workerId: string,
    names: string[],
    leaseMs: (name: string) => number,
  ): Promise<Job | undefined> {
    const rows = await this.db.global(async (tx) => {
      const next = await tx.query<{ id: string; name: string }>(
        `SELECT id, name FROM jobs
          WHERE name = ANY($1::text[])
            AND ((state = 'queued' AND run_at <= now()) OR (state = 'running' AND locked_until < now()))
          ORDER BY run_at, created_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [names],
      );
      if (!next[0]) return [];
      return tx.query<JobRow>(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $2,
                locked_until = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
          WHERE id = $1 RETURNING *`,
        [next[0].id, workerId, leaseMs(next[0].name)],
      );
    });
    return rows[0] && toJob(rows[0]);
  }

  async complete(id: string, workerId: string, result: unknown): Promise<void> {
    await this.db.global((tx) =>
      tx.query(
        `UPDATE jobs SET state = 'succeeded', result = $3, locked_by = NULL, locked_until = NULL, updated_at = now()
          WHERE id = $1 AND locked_by = $2`,
        [id, workerId, JSON.stringify(result ?? null)],
      ),
    );
  }

  /** Back to the queue after `retryInMs`, or parked as dead with its reason when out of attempts. */
  async fail(id: string, workerId: string, error: string, retryInMs: number | undefined): Promise<void> {
    await this.db.global((tx) =>
      tx.query(
        `UPDATE jobs SET state = CASE WHEN $4::double precision IS NULL THEN 'dead' ELSE 'queued' END,
                run_at = CASE WHEN $4::double precision IS NULL THEN run_at ELSE now() + make_interval(secs => $4::double precision / 1000) END,
                last_error = $3, locked_by = NULL, locked_until = NULL, updated_at = now()
          WHERE id = $1 AND locked_by = $2`,
        [id, workerId, error, retryInMs ?? null],
      ),
    );
  }

  async setProgress(id: string, workerId: string, progress: JobProgress, leaseMs: number): Promise<void> {
    await this.db.global((tx) =>
      tx.query(
        `UPDATE jobs SET progress = $3, locked_until = now() + make_interval(secs => $4::double precision / 1000), updated_at = now()
          WHERE id = $1 AND locked_by = $2`,
        [id, workerId, JSON.stringify(progress), leaseMs],
      ),
    );
  }

  /**
   * Extends a running job's lease; false when this worker no longer holds it (the lease ran out
   * and another worker took the job over), so the caller stops working on it.
   */
  async renewLease(id: string, workerId: string, leaseMs: number): Promise<boolean> {
    const rows = await this.db.global((tx) =>
      tx.query(
        `UPDATE jobs SET locked_until = now() + make_interval(secs => $3::double precision / 1000)
          WHERE id = $1 AND locked_by = $2 AND state = 'running' RETURNING id`,
        [id, workerId, leaseMs],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Embedded mode only, where the data-directory lock proves no other worker is alive: jobs left
   * `running` by a process that died go back to the queue at once (instead of after their lease),
   * or are parked as dead when the interrupted attempt was their last. Returns how many.
   */
  async releaseOrphans(names: string[]): Promise<number> {
    const rows = await this.db.global((tx) =>
      tx.query<{ id: string }>(
        `UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                last_error = CASE WHEN attempts >= max_attempts THEN 'the worker stopped during the last attempt' ELSE last_error END,
                run_at = now(), locked_by = NULL, locked_until = NULL, updated_at = now()
          WHERE state = 'running' AND name = ANY($1::text[])
          RETURNING id`,
        [names],
      ),
    );
    return rows.length;
  }

  async findForTenant(tenantId: string, id: string): Promise<Job | undefined> {
    const rows = await this.db.global((tx) =>
      tx.query<JobRow>('SELECT * FROM jobs WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    );
    return rows[0] && toJob(rows[0]);
  }

  async listForTenant(tenantId: string, limit = 50): Promise<Job[]> {
    const rows = await this.db.global((tx) =>
      tx.query<JobRow>('SELECT * FROM jobs WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT $2', [
        tenantId,
        limit,
      ]),
    );
    return rows.map(toJob);
  }

  async findById(id: string): Promise<Job | undefined> {
    const rows = await this.db.global((tx) => tx.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]));
    return rows[0] && toJob(rows[0]);
  }

  async deleteForTenant(tenantId: string): Promise<void> {
    await this.db.global((tx) => tx.query('DELETE FROM jobs WHERE tenant_id = $1', [tenantId]));
  }
}
