import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../src/cli/demo/demo-seed.js';
import { runOperation } from '../../src/cli/operations.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { runCli } from '../helpers/run-cli.js';
import { initialisedDataDir } from '../helpers/data-dir.js';

let dir: string;
beforeAll(async () => {
  dir = await initialisedDataDir('kura-demo-usage-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the usage report of the demo group shows both operating companies, their answers at ¥0, documents and storage', async () => {
  const rt = await openRuntime(loadConfig({ KURA_DATA_DIR: dir }), createLogger('silent'));
  try {
    await seedDemo(rt, 'demo-password-0123456789');
    // The demo has no model provider: the offline extractive engine answers, metered as kura/extractive.
    await runOperation(rt, 'assistant.ask', {
      tenant: 'sora-mobile',
      question: '経費は何日以内に精算しますか？',
    });
    await runOperation(rt, 'assistant.ask', {
      tenant: 'sora-pay',
      question: '経費は何日以内に精算しますか？',
    });
    await runOperation(rt, 'assistant.ask', {
      tenant: 'sora-pay',
      question: '情報セキュリティ規程のパスワードは？',
    });
  } finally {
    await rt.close();
  }
  const month = new Date().toISOString().slice(0, 7);
  const env = { KURA_DATA_DIR: dir };
  const csv = await runCli(['usage', 'report', '--group', 'sora', '--month', month, '--format', 'csv'], env);
  expect(csv.code, csv.stderr).toBe(0);
  const rows = csv.stdout.split('\n').map((line) => line.split(','));
  expect(rows[0]).toEqual([
    'month',
    'company',
    'provider',
    'model',
    'requests',
    'tokens_in',
    'tokens_out',
    'cost_jpy',
    'documents',
    'storage_bytes',
  ]);
  const row = (company: string) => rows.find((r) => r[1] === company && r[3] === 'extractive');
  expect(row('sora-mobile')?.slice(2, 8)).toEqual(['kura', 'extractive', '1', '0', '0', '0']);
  expect(row('sora-pay')?.slice(2, 8)).toEqual(['kura', 'extractive', '2', '0', '0', '0']);
  expect(csv.stderr).not.toMatch(/no price/);

  const json = await runCli(
    ['usage', 'report', '--group', 'sora', '--month', month, '--format', 'json'],
    env,
  );
  const report = JSON.parse(json.stdout) as {
    companies: { slug: string; documents: number; storageBytes: number; requests: number }[];
    totals: { requests: number; costJpy: number; documents: number };
  };
  for (const slug of ['sora-mobile', 'sora-pay']) {
    const company = report.companies.find((c) => c.slug === slug)!;
    expect(company.documents).toBeGreaterThan(0);
    expect(company.storageBytes).toBeGreaterThan(0);
  }
  expect(report.totals).toMatchObject({ requests: 3, costJpy: 0 });
  expect(report.totals.documents).toBe(report.companies.reduce((sum, c) => sum + c.documents, 0));
}, 600_000);
