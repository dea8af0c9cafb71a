/**
 * The rollup half of the analytics benchmark: Kura's own database (a second database on the same
 * PostgreSQL server), a company whose model reads the sales database, its rollups built through the
 * product's code (build time, rows, size), then the questions answered from them — each checked
 * against the source's table — with wall time and the CPU seconds spent by this process and by the
 * PostgreSQL server (its backends and the parallel workers it reaped), and the load average.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createAnalytics } from '../src/analytics/analytics-module.js';
import { compareTables } from '../src/analytics/nl/compare-tables.js';
import { parseQuestion } from '../src/analytics/nl/parse-question.js';
import { runSemanticQuery } from '../src/analytics/engine/run-query.js';
import type { QueryExecutor } from '../src/analytics/engine/query-executor.js';
import type { SemanticModel } from '../src/analytics/model/semantic-model.js';
import { createKnowledge } from '../src/ingest/knowledge-module.js';
import { migrate } from '../src/platform/db/migrations.js';
import { PostgresDatabase } from '../src/platform/db/postgres-database.js';
import { OPERATOR } from '../src/tenancy/actor.js';
import { createTenancy } from '../src/tenancy/tenancy-module.js';
import { EVAL_TODAY } from '../test/fixtures/analytics/nl-eval-set.js';
import { SALES_MODEL_YAML } from '../test/helpers/sales-fixture-files.js';
import { postgresCpuSeconds, postmasterOf } from './bench-process.js';

/** CPU seconds used so far by the PostgreSQL server of `url`: the postmaster, its live children, reaped ones. */
export async function serverCpu(url: string): Promise<() => number> {
  const postmaster = await postmasterOf(url);
  return () => postgresCpuSeconds(postmaster);
}

const processCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
export const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export interface Timing {
  p50: number;
  p95: number;
  /** CPU seconds per run: this process + the PostgreSQL server. */
  cpu: number;
}

/** Runs `fn` runs + 2 times (two warm-ups), returning p50/p95 wall time and CPU seconds per run. */
export async function time(
  runs: number,
  cpuServer: () => number,
  fn: () => Promise<unknown>,
): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn();
  const times: number[] = [];
  const cpu0 = processCpu() + cpuServer();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const cpu = (processCpu() + cpuServer() - cpu0) / runs;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  return { p50: pct(50), p95: pct(95), cpu };
}

export const row = (q: string, t: Timing) =>
  `${q.padEnd(24)} p50 ${t.p50.toFixed(0).padStart(5)} ms  p95 ${t.p95.toFixed(0).padStart(5)} ms  CPU ${(t.cpu * 1000).toFixed(0).padStart(5)} ms/run`;

/**
 * Builds the rollups of the sales model over the source at `sourceUrl` into a Kura database at
 * `kuraUrl`, then times the questions from them (each first checked against the source's table).
 */
export async function benchRollups(
  kuraUrl: string,
  sourceUrl: string,
  questions: string[],
  runs: number,
  model: SemanticModel,
  source: QueryExecutor,
  cpuServer: () => number,
): Promise<void> {
  const db = await PostgresDatabase.connect(kuraUrl);
  await migrate(db);
  const tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
  const limits = { maxRows: 10_000, timeoutMs: 30_000 };
  const knowledge = createKnowledge(db);
  const analytics = createAnalytics(db, knowledge, { limits, now: () => EVAL_TODAY });
  const company = await tenancy.companies.create(OPERATOR, { slug: 'bench', name: 'Bench', groupId: null });
  const tenantId = company.id;
  await knowledge.repos.sources.insert(tenantId, {
    id: randomUUID(),
    kind: 'postgres',
    name: '基幹DB',
    settings: { url: sourceUrl, tables: [] },
    secret: null,
  });
  await analytics.service.setModel(OPERATOR, tenantId, SALES_MODEL_YAML);
  const cpu0 = processCpu() + cpuServer();
  const t0 = performance.now();
  const built = await analytics.service.refreshRollups(tenantId);
  const buildWall = (performance.now() - t0) / 1000;
  const buildCpu = processCpu() + cpuServer() - cpu0;
  console.log(
    `\nrollups built in ${buildWall.toFixed(1)} s wall, ${buildCpu.toFixed(1)} CPU s (Node + PostgreSQL), load ${load()}:`,
  );
  for (const r of built)
    console.log(
      `  day × ${(r.dimensions.join(' × ') || '(none)').padEnd(32)} ${r.status.padEnd(6)} ${String(r.rowCount).padStart(7)} rows ${(r.sizeBytes / 1024).toFixed(0).padStart(6)} KiB ${String(r.buildMs).padStart(6)} ms${r.message ? `  ${r.message}` : ''}`,
    );
  const stored = (await analytics.models.current(tenantId))!;
  console.log(`\nfrom the rollups (${runs} runs each, load ${load()}):`);
  for (const q of questions) {
    const parsed = parseQuestion(q, model, EVAL_TODAY);
    if (parsed.kind !== 'query') throw new Error(`not understood: ${q}`);
    const answer = await analytics.rollups.answer(tenantId, stored, parsed.query, limits);
    if (!answer) throw new Error(`no rollup answers: ${q}`);
    const direct = await runSemanticQuery(model, parsed.query, source, limits);
    const differs = compareTables(answer.rows, direct.rows, false);
    if (differs) throw new Error(`the rollup's table differs from the source's for ${q}: ${differs}`);
    const timing = await time(runs, cpuServer, () =>
      analytics.rollups.answer(tenantId, stored, parsed.query, limits),
    );
    console.log(row(q, timing));
  }
  await db.close();
}
