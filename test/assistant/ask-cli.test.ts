import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/connectors-harness.js';
import { runCli } from '../helpers/run-cli.js';
import { POLICY_EN, POLICY_JA } from './assistant-world.js';

describe('kura ask on the embedded database', () => {
  const dataDir = tempFolder('kura-ask-data-');
  const kura = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  beforeAll(async () => {
    const docs = tempFolder('kura-ask-docs-');
    writeFileSync(path.join(docs, '経費精算規程.md'), POLICY_JA);
    writeFileSync(path.join(docs, 'travel-policy.txt'), POLICY_EN);
    expect((await kura('tenant', 'create', 'acme', '--name', 'Acme')).code).toBe(0);
    expect((await kura('ingest', '--tenant', 'acme', docs)).code).toBe(0);
  });

  it('prints answer, mode and citations as JSON', async () => {
    const result = await kura('ask', '--tenant', 'acme', '--json', '宿泊費の上限はいくら？');
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as {
      answer: string;
      mode: string;
      citations: { documentId: string; title: string; uri: string; anchor: unknown; quote: string }[];
    };
    expect(body.mode).toBe('extractive');
    expect(body.answer).toContain('12,000円');
    expect(body.citations[0]).toMatchObject({ title: '経費精算規程', anchor: expect.any(Object) });
    expect(decodeURIComponent(body.citations[0]!.uri)).toMatch(/^file:.*経費精算規程\.md$/);
    expect(body.citations[0]!.quote).toContain('12,000円');
  });

  it('prints a readable answer with its sources, and an honest "not found" with exit 0', async () => {
    const text = await kura(
      'ask',
      '--tenant',
      'acme',
      'How many days do employees have to submit travel expenses?',
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/30 days.*\[1\]/);
    expect(text.stdout).toMatch(/^\[1\] travel-policy/m);
    expect(text.stderr).toContain('extractive');
    const none = await kura('ask', '--tenant', 'acme', '量子コンピュータの誤り訂正の閾値は？');
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('見つかりませんでした');
  });

  it('refuses a bad question or an unknown company with a one-line error and exit 1', async () => {
    const empty = await kura('ask', '--tenant', 'acme', ' ');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/question/i);
    const unknown = await kura('ask', '--tenant', 'nope', 'hello?');
    expect(unknown.code).toBe(1);
  });
});
