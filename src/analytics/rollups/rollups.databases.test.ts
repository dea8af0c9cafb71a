import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_SET, EVAL_TODAY } from '../../../test/fixtures/analytics/nl-eval-set.js';
import { sharedAnalyzer, tempFolder } from '../../../test/helpers/connectors-harness.js';
import { companyAdmin, createCompany } from '../../../test/helpers/factories.js';
import { generateSales } from '../../../test/helpers/sales-database.js';
import { SALES_MODEL_YAML, salesModel, writeSalesSqlite } from '../../../test/helpers/sales-fixture-files.js';
import { loadSalesPostgres } from '../../../test/helpers/sales-servers.js';
import { createTestDatabase } from '../../../test/helpers/test-database.js';
import { createKnowledge, type Knowledge } from '../../ingest/knowledge-module.js';
import type { Database } from '../../platform/db/database.js';
import { JobQueue, type JobCatalog } from '../../platform/jobs/job-queue.js';
import { JobRepository } from '../../platform/jobs/job-repository.js';
import { JobWorker } from '../../platform/jobs/job-worker.js';
import { createLogger } from '../../platform/log/logger.js';
import { createTenancy, type Tenancy } from '../../tenancy/tenancy-module.js';
import { createAnalytics, type Analytics } from '../analytics-module.js';
import { KuraExecutor } from '../engine/kura-executor.js';
import { PostgresExecutor } from '../engine/postgres-executor.js';
import { runSemanticQuery } from '../engine/run-query.js';
import { SqliteExecutor } from '../engine/sqlite-executor.js';
import { compareTables } from '../nl/compare-tables.js';
import { parseQuestion } from '../nl/parse-question.js';
import type { SemanticQueryInput } from '../query/semantic-query.js';
import { createAnalyticsJobs, ROLLUP_JOB } from './rollup-jobs.js';

const admin = companyAdmin;
const sales = generateSales(3000, 11);
const TENANCY = { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } };
const model = salesModel();
const limits = { maxRows: 10_000, timeoutMs: 20_000 };
/** The fixture is small: keep every rollup the plan proposes, whatever its share of the source. */
const BUILD = { maxRows: 200_000, maxShareOfSource: 1000, lowCardinality: 50, timeoutMs: 60_000 };

/**
 * Rollups over the sales fixture on a real PostgreSQL source, stored in Kura's own database
 * (PGlite): the same tables as the source, fallbacks, invalidation, company isolation and the job.
 */
describe('analytics rollups', () => {
  let db: Database;
  let knowledge: Knowledge;
  let tenancy: Tenancy;
  let analytics: Analytics;
  let source: PostgresExecutor;
  let pgUrl: string;
  let a: string;
  let b: string;

  const addSource = (tenantId: string, url: string, kind: 'postgres' | 'sqlite' = 'postgres') =>
    knowledge.repos.sources.insert(tenantId, {
      id: randomUUID(),
      kind,
      name: '基幹DB',
      settings: kind === 'sqlite' ? { path: url, tables: [] } : { url, tables: [] },
      secret: null,
    });
  const query = (tenantId: string, q: SemanticQueryInput) =>
    analytics.service.query(admin(tenantId), tenantId, q);

  beforeAll(async () => {
    pgUrl = await loadSalesPostgres(sales);
    source = await PostgresExecutor.connect(pgUrl);
    db = await createTestDatabase('pglite');
    tenancy = createTenancy(db, TENANCY);
    knowledge = { ...createKnowledge(db), analyzer: sharedAnalyzer };
    analytics = createAnalytics(db, knowledge, { limits, rollupBuild: BUILD, now: () => EVAL_TODAY });
    a = (await createCompany(tenancy)).id;
    b = (await createCompany(tenancy)).id;
    for (const t of [a, b]) {
      await addSource(t, pgUrl);
      await analytics.service.setModel(admin(t), t, SALES_MODEL_YAML);
    }
    await analytics.service.refreshRollups(a);
  }, 180_000);
  afterAll(async () => {
    await source?.close();
    await db?.close();
  });

  it('builds a rollup by day, one per category dimension and one of the low-cardinality ones', async () => {
    const list = await analytics.rollups.repository.list(a);
    const sets = list.map((r) => r.dimensions.join('+'));
    expect(sets).toEqual(
      expect.arrayContaining(['', 'region', 'channel', 'category', 'product', 'customer']),
    );
    expect(sets.some((s) => s.split('+').length >= 3)).toBe(true);
    for (const r of list) {
      expect(r).toMatchObject({ status: 'ready', modelVersion: 1, fact: 'order_lines' });
      expect(r.rowCount).toBeGreaterThan(0);
      expect(r.measures).toEqual(expect.arrayContaining(['sales', 'quantity', 'average_line_amount']));
      expect(r.measures).not.toContain('order_count'); // count distinct does not add up
    }
  });

  it('answers every answerable question of the evaluation set with the source’s table', async () => {
    let fromRollup = 0;
    for (const c of EVAL_SET) {
      const parsed = parseQuestion(c.q, model, EVAL_TODAY);
      if (parsed.kind !== 'query') continue;
      const [answer, direct] = await Promise.all([
        query(a, parsed.query),
        runSemanticQuery(model, parsed.query, source, limits),
      ]);
      expect(answer.columns, c.q).toEqual(direct.columns);
      expect(compareTables(answer.rows, direct.rows, c.ordered ?? false), c.q).toBeNull();
      // Exactly: the same values to the last digit (ties of a ranking may come in another order).
      const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
      expect(sorted(answer.rows), c.q).toEqual(sorted(direct.rows));
      if (answer.from !== 'rollup') continue;
      fromRollup++;
      expect(answer.refreshedAt).toBeDefined();
      expect(answer.notes.at(-1)).toMatch(/^集計テーブル \(\d{4}-\d\d-\d\d \d\d:\d\d UTC 時点\) から$/u);
      // The SQL shown is the SQL run: every statement (前年, total) against the rollup table.
      for (const s of answer.sql) expect(s.sql).toMatch(/"kura-rollup-[0-9a-f]{8}"/u);
    }
    expect(fromRollup).toBeGreaterThanOrEqual(60);
  });

  it('builds from a SQLite source too (its dialect) and answers with the SQLite source’s tables', async () => {
    const file = path.join(tempFolder('kura-rollup-'), 'sales.db');
    writeSalesSqlite(file, sales);
    const lite = SqliteExecutor.open(file);
    const c = (await createCompany(tenancy)).id;
    await addSource(c, file, 'sqlite');
    await analytics.service.setModel(admin(c), c, SALES_MODEL_YAML);
    expect((await analytics.service.refreshRollups(c)).every((r) => r.status === 'ready')).toBe(true);
    let fromRollup = 0;
    for (const e of EVAL_SET) {
      const parsed = parseQuestion(e.q, model, EVAL_TODAY);
      if (parsed.kind !== 'query') continue;
      const answer = await query(c, parsed.query);
      const direct = await runSemanticQuery(model, parsed.query, lite, limits);
      expect(compareTables(answer.rows, direct.rows, e.ordered ?? false), e.q).toBeNull();
      if (answer.from === 'rollup') fromRollup++;
    }
    await lite.close();
    expect(fromRollup).toBeGreaterThanOrEqual(60);
  });

  it('sends a query no rollup answers exactly to the source', async () => {
    const cases: SemanticQueryInput[] = [
      { metrics: ['order_count'], dimensions: [{ name: 'region' }] }, // count distinct
      { metrics: ['sales', 'order_count'] },
      { metrics: ['average_order_value'], dimensions: [{ name: 'channel' }] }, // a ratio over a count distinct
      { metrics: ['sales'], dimensions: [{ name: 'customer' }, { name: 'product' }] }, // no such set
      {
        metrics: ['sales'],
        filters: [{ dimension: 'customer', op: 'eq', values: ['x'] }],
        dimensions: [{ name: 'region' }],
      },
    ];
    // Text compares by collation, which the source need not share with Kura's database.
    cases.push(
      { metrics: ['sales'], dimensions: [{ name: 'region' }], order: [{ by: 'region', direction: 'asc' }] },
      { metrics: ['sales'], filters: [{ dimension: 'region', op: 'gt', values: ['九州'] }] },
    );
    for (const q of cases) {
      const answer = await query(a, q);
      expect(answer.from, JSON.stringify(q)).toBe('source');
      expect(answer.sql[0]!.sql).not.toMatch(/kura-rollup/u);
    }
    // Count, average and min/max re-aggregate exactly: a rollup answers them.
    const answer = await query(a, {
      metrics: ['sales', 'average_line_amount'],
      dimensions: [{ name: 'category' }],
    });
    expect(answer.from).toBe('rollup');
    const direct = await runSemanticQuery(model, answer.query, source, limits);
    expect(compareTables(answer.rows, direct.rows, false)).toBeNull();
  });

  it('falls back to the source when a rollup’s table is gone, and answers from it again once rebuilt', async () => {
    const q: SemanticQueryInput = { metrics: ['sales'], dimensions: [{ name: 'channel' }], limit: 2 };
    const [chosen] = (await analytics.rollups.repository.usable(a, 1)).filter(
      (r) => r.dimensions.join() === 'channel',
    );
    await db.owner((tx) =>
      tx.query(`DROP TABLE "${chosen!.model.tables[0]!.schema}"."${chosen!.model.tables[0]!.table}"`),
    );
    const answer = await query(a, q);
    expect(answer.from).toBe('source');
    const direct = await runSemanticQuery(model, answer.query, source, limits);
    expect(answer.rows).toEqual(direct.rows);
    await analytics.service.refreshRollups(a);
    expect((await query(a, { ...q, limit: 3 })).from).toBe('rollup');
  });

  it('makes the rollups of an older model unusable until they are rebuilt', async () => {
    const q: SemanticQueryInput = { metrics: ['sales'], dimensions: [{ name: 'region' }] };
    expect((await query(a, q)).from).toBe('rollup');
    // The new version renames a label and adds a count (0 in the source over no rows, NULL summed).
    const edited = SALES_MODEL_YAML.replace('label: 地域', 'label: エリア').replace(
      'measures:\n',
      'measures:\n  - { name: line_count, label: 明細数, table: order_lines, aggregation: count }\n',
    );
    const saved = await analytics.service.setModel(admin(a), a, edited);
    const stale = await query(a, q);
    expect(stale).toMatchObject({ from: 'source', modelVersion: saved.version });
    await analytics.service.refreshRollups(a);
    const fresh = await query(a, { ...q, limit: 10 });
    expect(fresh).toMatchObject({ from: 'rollup', modelVersion: saved.version });
    expect(fresh.columns[0]!.label).toBe('エリア');
    const newModel = (await analytics.models.current(a))!.model;
    for (const q of [
      { metrics: ['line_count'], timeRange: { start: '2030-01-01', end: '2030-02-01' } },
      { metrics: ['line_count', 'sales_yoy'], timeRange: { start: '2023-01-01', end: '2023-02-01' } },
      { metrics: ['line_count', 'sales_share'], dimensions: [{ name: 'region' }] },
    ] satisfies SemanticQueryInput[]) {
      const answer = await query(a, q);
      expect(answer.from).toBe('rollup');
      const direct = await runSemanticQuery(newModel, answer.query, source, limits);
      expect(answer.rows, JSON.stringify(q)).toEqual(direct.rows);
    }
  });

  it('never lets another company read a rollup', async () => {
    const q: SemanticQueryInput = { metrics: ['sales'], dimensions: [{ name: 'region' }] };
    expect(await analytics.rollups.repository.list(b)).toEqual([]);
    expect((await query(b, q)).from).toBe('source');
    // Company B's read-only transaction on A's rollup table sees no row (row-level security).
    const [table] = (await analytics.rollups.repository.list(a)).filter((r) => r.table);
    const rows = await new KuraExecutor(db, b).run(
      `SELECT count(*) AS n FROM "${table!.schema}"."${table!.table}"`,
      [],
      limits,
    );
    expect(Number(rows[0]!.n)).toBe(0);
    const own = await new KuraExecutor(db, a).run(
      `SELECT count(*) AS n FROM "${table!.schema}"."${table!.table}"`,
      [],
      limits,
    );
    expect(Number(own[0]!.n)).toBe(table!.rowCount);
  });

  it('turns rollups off with `rollups: false` in the model', async () => {
    await analytics.service.setModel(admin(b), b, `${SALES_MODEL_YAML}\nrollups: false\n`);
    expect(await analytics.service.refreshRollups(b)).toEqual([]);
    expect(await analytics.rollups.repository.list(b)).toEqual([]);
    expect((await query(b, { metrics: ['sales'] })).from).toBe('source');
  });

  it('runs as a job: progress and the rollups as its result; a source that fails is retried, then dead', async () => {
    const jobs = new JobRepository(db);
    const catalog = createAnalyticsJobs(analytics.service);
    // The real handler; no wait between attempts in a test.
    const fast = { [ROLLUP_JOB]: { ...catalog[ROLLUP_JOB], backoffMs: () => 0 } } as unknown as JobCatalog;
    const queue = new JobQueue(jobs, fast);
    const worker = () => new JobWorker(jobs, fast, createLogger('silent'), { concurrency: 1 }).drain();
    const ok = await queue.enqueue(ROLLUP_JOB, { tenantId: a }, { tenantId: a });
    await worker();
    const done = await jobs.findById(ok.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, progress: { unit: 'rollups' } });
    expect((done!.result as { rollups: unknown[] }).rollups.length).toBeGreaterThanOrEqual(6);

    const broken = (await createCompany(tenancy)).id;
    await addSource(broken, 'postgres://kura@127.0.0.1:1/gone');
    await analytics.service.setModel(admin(broken), broken, SALES_MODEL_YAML);
    const failing = await queue.enqueue(ROLLUP_JOB, { tenantId: broken }, { tenantId: broken });
    await worker();
    expect(await jobs.findById(failing.id)).toMatchObject({ state: 'dead', attempts: 3 });
    const [entry] = await analytics.rollups.repository.list(broken);
    expect(entry).toMatchObject({ status: 'failed', message: expect.stringMatching(/^the refresh failed/u) });
    expect(await analytics.rollups.repository.usable(broken, 1)).toEqual([]);
  });

  it('asks for a refresh when the model is saved and when the model’s own source is synced', async () => {
    const asked: string[] = [];
    analytics.rollups.attachQueue(async (tenantId) => void asked.push(tenantId));
    await analytics.service.setModel(admin(a), a, SALES_MODEL_YAML);
    expect(asked).toEqual([a]);
    const own = (await knowledge.repos.sources.findByName(a, '基幹DB'))!;
    await analytics.service.sourceSynced(a, own.id);
    await analytics.service.sourceSynced(a, randomUUID()); // another source of the company
    expect(asked).toEqual([a, a]);
  });
});
