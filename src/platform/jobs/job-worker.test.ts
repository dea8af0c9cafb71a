import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';
import type { Database } from '../db/database.js';
import { ENGINES, createTestDatabase } from '../../../test/helpers/test-database.js';
import { defineJob, type JobContext } from './job-definition.js';
import { JobQueue } from './job-queue.js';
import { JobRepository } from './job-repository.js';
import { JobWorker } from './job-worker.js';

describe.each(ENGINES)('job queue on %s', (engine) => {
  let db: Database;
  let jobs: JobRepository;
  const logger = createLogger('silent');
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    jobs = new JobRepository(db);
  });
  afterAll(() => db.close());

  const catalogWith = (
    handler: (payload: { n: number }, ctx: JobContext) => Promise<unknown>,
    extra: { maxAttempts?: number; timeoutMs?: number } = {},
  ) => ({
    [`test.job.${Math.random().toString(36).slice(2)}`]: defineJob({
      name: 'test.job',
      payload: z.object({ n: z.number().int() }),
      maxAttempts: extra.maxAttempts ?? 3,
      timeoutMs: extra.timeoutMs ?? 5_000,
      backoffMs: () => 0,
      handler,
    }),
  });

  it('runs a job and stores its result', async () => {
    const catalog = catalogWith(async ({ n }) => ({ doubled: n * 2 }));
    const name = Object.keys(catalog)[0]!;
    const queue = new JobQueue(jobs, catalog);
    const job = await queue.enqueue(name, { n: 21 }, { tenantId: null });
    expect(await new JobWorker(jobs, catalog, logger, { concurrency: 1 }).drain()).toBe(1);
    expect(await jobs.findById(job.id)).toMatchObject({
      state: 'succeeded',
      attempts: 1,
      result: { doubled: 42 },
    });
  });

  it('refuses a payload that does not match the job schema when enqueued', async () => {
    const catalog = catalogWith(async () => null);
    const queue = new JobQueue(jobs, catalog);
    await expect(
      queue.enqueue(Object.keys(catalog)[0]!, { n: 'x' } as never, { tenantId: null }),
    ).rejects.toThrow();
  });

  it('retries a failing job, then parks it as dead with the reason', async () => {
    let calls = 0;
    const catalog = catalogWith(async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const name = Object.keys(catalog)[0]!;
    const job = await new JobQueue(jobs, catalog).enqueue(name, { n: 1 }, { tenantId: null });
    await new JobWorker(jobs, catalog, logger, { concurrency: 1 }).drain();
    expect(calls).toBe(3);
    expect(await jobs.findById(job.id)).toMatchObject({ state: 'dead', attempts: 3, lastError: 'boom 3' });
  });

  it('succeeds on a later attempt after transient failures', async () => {
    let calls = 0;
    const catalog = catalogWith(async () => {
      if (++calls < 2) throw new Error('transient');
      return 'ok';
    });
    const job = await new JobQueue(jobs, catalog).enqueue(
      Object.keys(catalog)[0]!,
      { n: 1 },
      { tenantId: null },
    );
    await new JobWorker(jobs, catalog, logger, { concurrency: 1 }).drain();
    expect(await jobs.findById(job.id)).toMatchObject({ state: 'succeeded', attempts: 2, result: 'ok' });
  });

  it('aborts an attempt that exceeds its timeout', async () => {
    const catalog = catalogWith(() => new Promise(() => undefined), { maxAttempts: 1, timeoutMs: 50 });
    const job = await new JobQueue(jobs, catalog).enqueue(
      Object.keys(catalog)[0]!,
      { n: 1 },
      { tenantId: null },
    );
    await new JobWorker(jobs, catalog, logger, { concurrency: 1 }).drain();
    expect(await jobs.findById(job.id)).toMatchObject({ state: 'dead', lastError: 'timed out after 50 ms' });
  });

  it("claims a dead worker's job again once its lease has run out", async () => {
    const catalog = catalogWith(async ({ n }) => n);
    const name = Object.keys(catalog)[0]!;
    const job = await new JobQueue(jobs, catalog).enqueue(name, { n: 7 }, { tenantId: null });
    // A worker claims it and dies (never completes): simulate with a lease already in the past.
    const claimed = await jobs.claim('dead-worker', [name], () => -1);
    expect(claimed?.id).toBe(job.id);
    await new JobWorker(jobs, catalog, logger, { concurrency: 1 }).drain();
    expect(await jobs.findById(job.id)).toMatchObject({ state: 'succeeded', attempts: 2, result: 7 });
  });

  it('renews the lease of a long job, so a second worker never takes it over', async () => {
    let calls = 0;
    const catalog = catalogWith(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return 'done';
    });
    const name = Object.keys(catalog)[0]!;
    const job = await new JobQueue(jobs, catalog).enqueue(name, { n: 1 }, { tenantId: null });
    const first = new JobWorker(jobs, catalog, logger, { concurrency: 1, leaseMs: 300, idleMs: 20 });
    const second = new JobWorker(jobs, catalog, logger, { concurrency: 1, leaseMs: 300, idleMs: 20 });
    first.start();
    while ((await jobs.findById(job.id))?.state === 'queued') await new Promise((r) => setTimeout(r, 10));
    second.start();
    // Five lease lengths: without renewal the second worker would have claimed the job again.
    while ((await jobs.findById(job.id))?.state === 'running') await new Promise((r) => setTimeout(r, 20));
    await Promise.all([first.stop(), second.stop()]);
    expect(calls).toBe(1);
    expect(await jobs.findById(job.id)).toMatchObject({ state: 'succeeded', attempts: 1, result: 'done' });
  });

  it("takes over a dead worker's job once its short lease has run out, not before", async () => {
    const catalog = catalogWith(async ({ n }) => n);
    const name = Object.keys(catalog)[0]!;
    const job = await new JobQueue(jobs, catalog).enqueue(name, { n: 9 }, { tenantId: null });
    // A worker claims it with a 400 ms lease and dies: no renewal, no completion.
    expect((await jobs.claim('killed-worker', [name], () => 400))?.id).toBe(job.id);
    const survivor = new JobWorker(jobs, catalog, logger, { concurrency: 1, leaseMs: 400 });
    expect(await survivor.drain()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await survivor.drain()).toBe(1);
    expect(await jobs.findById(job.id)).toMatchObject({ state: 'succeeded', attempts: 2, result: 9 });
  });

  it('stops working on a job whose lease another worker has taken', async () => {
    let signal: AbortSignal | undefined;
    const catalog = catalogWith(
      async (_payload, ctx) => {
        signal = ctx.signal;
        // Works until told to stop (or 20 s, so a broken renewal fails the test instead of hanging).
        await new Promise((resolve) => {
          ctx.signal.addEventListener('abort', resolve, { once: true });
          setTimeout(resolve, 20_000);
        });
      },
      { maxAttempts: 5 },
    );
    const name = Object.keys(catalog)[0]!;
    const job = await new JobQueue(jobs, catalog).enqueue(name, { n: 1 }, { tenantId: null });
    const worker = new JobWorker(jobs, catalog, logger, { concurrency: 1, leaseMs: 300, idleMs: 20 });
    worker.start();
    while (!signal) await new Promise((r) => setTimeout(r, 10));
    // Another worker believes the lease expired (e.g. this one was paused) and claims the job.
    await db.global((tx) => tx.query(`UPDATE jobs SET locked_by = 'other-worker' WHERE id = $1`, [job.id]));
    await worker.stop();
    expect(String(signal.reason)).toMatch(/lease was lost/);
    expect(await jobs.findById(job.id)).toMatchObject({ state: 'running' });
  });

  it('runs each job exactly once with several concurrent loops', async () => {
    const seen: number[] = [];
    const catalog = catalogWith(async ({ n }) => {
      seen.push(n);
      await new Promise((resolve) => setTimeout(resolve, 2));
    });
    const name = Object.keys(catalog)[0]!;
    const queue = new JobQueue(jobs, catalog);
    for (let n = 0; n < 20; n++) await queue.enqueue(name, { n }, { tenantId: null });
    const worker = new JobWorker(jobs, catalog, logger, { concurrency: 4, idleMs: 10 });
    worker.start();
    const deadline = Date.now() + 10_000;
    while (seen.length < 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await worker.stop();
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('deduplicates a job that is already queued under the same key', async () => {
    const catalog = catalogWith(async () => null);
    const name = Object.keys(catalog)[0]!;
    const queue = new JobQueue(jobs, catalog);
    const first = await queue.enqueue(name, { n: 1 }, { tenantId: null, dedupeKey: `sync-${name}` });
    const second = await queue.enqueue(name, { n: 2 }, { tenantId: null, dedupeKey: `sync-${name}` });
    expect(second.id).toBe(first.id);
  });
});
