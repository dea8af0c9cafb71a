import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { initialisedDataDir } from '../helpers/data-dir.js';

describe('kura usage report (embedded)', () => {
  let dir: string;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    dir = await initialisedDataDir('kura-usage-cli-');
    const prices = path.join(dir, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({ models: [{ model: 'gpt-4o-mini', inputPer1k: 0.0225, outputPer1k: 0.09 }] }),
    );
    Object.assign(env, { KURA_DATA_DIR: dir, KURA_PRICES_FILE: prices });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every company of the group as CSV or JSON; a bad month or group is refused', async () => {
    expect((await runCli(['group', 'create', 'hd', '--name', 'Holdings'], env)).code).toBe(0);
    for (const slug of ['north', 'south'])
      expect((await runCli(['tenant', 'create', slug, '--name', slug, '--group', 'hd'], env)).code).toBe(0);
    const csv = await runCli(['usage', 'report', '--group', 'hd', '--month', '2026-11'], env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')).toEqual([
      'month,company,provider,model,requests,tokens_in,tokens_out,cost_jpy,documents,storage_bytes',
      '2026-11,north,,,0,0,0,0,0,0',
      '2026-11,south,,,0,0,0,0,0,0',
      '2026-11,TOTAL,,,0,0,0,0,0,0',
    ]);
    const json = await runCli(
      ['usage', 'report', '--group', 'hd', '--month', '2026-11', '--format', 'json'],
      env,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      month: '2026-11',
      currency: 'JPY',
      totals: { costJpy: 0 },
    });
    const badMonth = await runCli(['usage', 'report', '--group', 'hd', '--month', 'November'], env);
    expect(badMonth.code).toBe(1);
    expect(badMonth.stderr).toMatch(/2026-11/);
    const badGroup = await runCli(['usage', 'report', '--group', 'nope', '--month', '2026-11'], env);
    expect(badGroup.code).toBe(1);
  }, 120_000);
});
