import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/connectors-harness.js';
import { runCli } from '../helpers/run-cli.js';

interface CliSearch {
  retrieval: string;
  results: {
    documentId: string;
    title: string;
    uri: string;
    anchor: object;
    score: number;
    snippet: string;
  }[];
}

describe('kura search and kura synonyms on the embedded database', () => {
  const dataDir = tempFolder('kura-search-data-');
  const kura = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  beforeAll(async () => {
    const root = tempFolder('kura-search-docs-');
    writeFileSync(path.join(root, '決算短信'), '当期の売上高は前年同期比で一割増えた。');
    writeFileSync(path.join(root, 'annual-report'), 'Revenue grew by ten percent over the previous year.');
    expect((await kura('tenant', 'create', 'acme', '--name', 'Acme')).code).toBe(0);
    expect((await kura('ingest', '--tenant', 'acme', root)).code).toBe(0);
  }, 180_000);

  it('finds Japanese and English documents; synonyms set from a file apply to the next search', async () => {
    const ja = await kura('search', '--tenant', 'acme', '--json', '売上高');
    expect(ja.code).toBe(0);
    const jaBody = JSON.parse(ja.stdout) as CliSearch;
    expect(jaBody.retrieval).toBe('lexical only: no embedding provider');
    expect(jaBody.results.map((r) => r.title)).toEqual(['決算短信']);
    expect(jaBody.results[0]).toMatchObject({
      uri: expect.any(String),
      anchor: {},
      snippet: expect.stringContaining('売上高'),
    });
    const en = JSON.parse(
      (await kura('search', '--tenant', 'acme', '--json', 'revenues')).stdout,
    ) as CliSearch;
    expect(en.results.map((r) => r.title)).toEqual(['annual-report']);

    const file = path.join(tempFolder('kura-synonyms-'), 'synonyms.txt');
    writeFileSync(file, '# 会計\n売上, 売上高, revenue\n');
    const set = await kura('synonyms', '--tenant', 'acme', '--set', file);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('売上, 売上高, revenue');
    const shown = await kura('synonyms', '--tenant', 'acme', '--json');
    expect(JSON.parse(shown.stdout)).toEqual({ groups: [['売上', '売上高', 'revenue']] });
    const both = JSON.parse((await kura('search', '--tenant', 'acme', '--json', '売上')).stdout) as CliSearch;
    expect(both.results.map((r) => r.title).sort()).toEqual(['annual-report', '決算短信']);

    // A date range that excludes everything, and a bad one.
    const none = JSON.parse(
      (await kura('search', '--tenant', 'acme', '--json', '--from', '2999-01-01', '売上')).stdout,
    ) as CliSearch;
    expect(none.results).toEqual([]);
    const bad = await kura('search', '--tenant', 'acme', '--from', 'yesterday', '売上');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid_filter|from must be a date/);
  }, 300_000);
});
