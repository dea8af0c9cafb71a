/**
 * Analytics benchmark: the offline parser's accuracy on the evaluation set (SQLite), and the
 * latency of semantic queries over ~1,000,000 order lines on a real PostgreSQL server (started
 * here like the test run's), through the real path: parse → compile → guard → run read-only.
 *
 * Then the same questions from the model's rollups (built into Kura's own database on the same
 * server, through the product's code: bench/analytics-rollups.ts), each checked against the source.
 * Wall times come with CPU seconds (this process + the PostgreSQL server) and the load average.
 *
 *   node --import tsx bench/analytics.ts [--orders 500000] [--runs 20] [--db-url postgres://… --kura-url postgres://…]
 */
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import startPostgres from '../test/setup/postgres-server.js';
import { EVAL_SET, EVAL_TODAY } from '../test/fixtures/analytics/nl-eval-set.js';
import { generateSales, salesInserts, salesSchema } from '../test/helpers/sales-database.js';
import { salesModel, writeSalesSqlite } from '../test/helpers/sales-fixture-files.js';
import { parseQuestion } from '../src/analytics/nl/parse-question.js';
import { compareTables } from '../src/analytics/nl/compare-tables.js';
import { runSemanticQuery } from '../src/analytics/engine/run-query.js';
import { SqliteExecutor } from '../src/analytics/engine/sqlite-executor.js';
import { PostgresExecutor } from '../src/analytics/engine/postgres-executor.js';
import { benchRollups, load, row, serverCpu, time } from './analytics-rollups.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const orders = Number(arg('orders', '500000'));
const runs = Number(arg('runs', '20'));
const model = salesModel();
const limits = { maxRows: 10_000, timeoutMs: 30_000 };

async function accuracy(): Promise<void> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kura-bench-nl-')), 'sales.db');
  writeSalesSqlite(file);
  const executor = SqliteExecutor.open(file);
  const reference = new Database(file, { readonly: true });
  let exact = 0;
  let clarified = 0;
  let wrong = 0;
  const started = performance.now();
  for (const c of EVAL_SET) {
    const parsed = parseQuestion(c.q, model, EVAL_TODAY);
    if (c.sql === null || parsed.kind === 'clarification') {
      if (c.sql === null && parsed.kind === 'clarification') exact++;
      else if (c.sql === null) wrong++;
      else clarified++;
      continue;
    }
    const result = await runSemanticQuery(model, parsed.query, executor, limits);
    if (
      compareTables(
        result.rows,
        reference.prepare(c.sql).all() as Record<string, unknown>[],
        c.ordered ?? false,
      )
    )
      wrong++;
    else exact++;
  }
  const n = EVAL_SET.length;
  console.log(
    `NL evaluation set: ${n} questions — exact ${exact} (${((exact / n) * 100).toFixed(1)}%), clarified ${clarified}, wrong ${wrong} (${((wrong / n) * 100).toFixed(1)}%); ${((performance.now() - started) / n).toFixed(1)} ms per question on SQLite`,
  );
  await executor.close();
  reference.close();
}

async function latency(url: string, kuraUrl: string): Promise<void> {
  const rows = generateSales(orders, 5);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const loadStart = performance.now();
  for (const sql of [...salesSchema('postgres'), ...salesInserts(rows, 5000)]) await client.query(sql);
  // Covering indexes: a period's orders come from an index-only range scan, and their lines from an
  // index-only scan keyed by order (amount, quantity, product without touching the heap).
  await client.query('CREATE INDEX ON orders (order_date) INCLUDE (id, customer_id, channel)');
  await client.query('CREATE INDEX ON order_lines (order_id) INCLUDE (product_id, quantity, amount)');
  await client.query('VACUUM ANALYZE');
  await client.end();
  console.log(
    `loaded ${rows.orders.length.toLocaleString()} orders, ${rows.orderLines.length.toLocaleString()} order lines in ${((performance.now() - loadStart) / 1000).toFixed(0)} s`,
  );
  const executor = await PostgresExecutor.connect(url);
  if (process.argv.includes('--explain')) await explain(url, executor);
  const questions = [
    '2024年度の地域別売上と前年比は？',
    '2024年度の月別売上',
    '2024年度の商品別売上 上位5',
    'チャネル別の売上構成比',
    '年度別の地域別売上',
    '先月の売上',
  ];
  const cpuServer = await serverCpu(url);
  console.log(`\ndirect from the source (${runs} runs each, load ${load()}):`);
  for (const q of questions) {
    const parsed = parseQuestion(q, model, EVAL_TODAY);
    if (parsed.kind !== 'query') throw new Error(`not understood: ${q}`);
    console.log(
      row(q, await time(runs, cpuServer, () => runSemanticQuery(model, parsed.query, executor, limits))),
    );
  }
  if (kuraUrl) await benchRollups(kuraUrl, url, questions, runs, model, executor, cpuServer);
  await executor.close();
}

/** EXPLAIN ANALYZE of each question's main statement, as compiled (printed, not timed). */
async function explain(url: string, executor: PostgresExecutor): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const q of ['2024年度の月別売上', '2024年度の地域別売上と前年比は？']) {
    const parsed = parseQuestion(q, model, EVAL_TODAY);
    if (parsed.kind !== 'query') continue;
    const { sql } = await runSemanticQuery(model, parsed.query, executor, limits);
    const plan = await client.query({
      text: `EXPLAIN (ANALYZE, BUFFERS) ${sql[0]!.sql}`,
      values: sql[0]!.params,
    });
    console.log(`-- ${q}\n${plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
  }
  await client.end();
}

await accuracy();
let url = arg('db-url', '');
let kuraUrl = arg('kura-url', '');
let stop: (() => Promise<void>) | undefined;
if (!url) {
  stop = await startPostgres({
    // The setup also provides its data directory: keep the URL only.
    provide: (key: string, value: string) => {
      if (key === 'postgresUrl') url = value;
    },
  } as unknown as TestProject);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE DATABASE kura_bench_analytics');
  await admin.query('CREATE DATABASE kura_bench_kura');
  await admin.end();
  kuraUrl = url.replace(/\/postgres$/u, '/kura_bench_kura');
  url = url.replace(/\/postgres$/u, '/kura_bench_analytics');
}
try {
  await latency(url, kuraUrl);
} finally {
  await stop?.();
}
