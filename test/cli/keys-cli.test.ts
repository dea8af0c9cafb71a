import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { initialisedDataDir } from '../helpers/data-dir.js';

describe('kura keys rotate (embedded)', () => {
  let dir: string;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    dir = await initialisedDataDir('kura-keys-cli-');
    env.KURA_DATA_DIR = dir;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-wraps under a new master key from a file, replaces master.key, and secrets still open', async () => {
    const added = await runCli(
      [
        'provider',
        'add',
        'openai-jp',
        '--kind',
        'openai',
        '--base-url',
        'https://llm.example/v1',
        '--api-key-stdin',
        '--region',
        'jp-east',
        '--chat-model',
        'gpt-4o-mini',
      ],
      env,
      'sk-test-provider-key\n',
    );
    expect(added.code, added.stderr).toBe(0);
    const oldKey = readFileSync(path.join(dir, 'master.key'), 'utf8').trim();

    const missing = await runCli(['keys', 'rotate'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/KURA_NEW_MASTER_KEY or --new-master-key-file/);

    const newKey = randomBytes(32).toString('base64');
    const keyFile = path.join(dir, 'new.key');
    writeFileSync(keyFile, `${newKey}\n`);
    const rotated = await runCli(['keys', 'rotate', '--new-master-key-file', keyFile], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/1 data keys re-wrapped under the new master key/);
    expect(readFileSync(path.join(dir, 'master.key'), 'utf8').trim()).toBe(newKey);

    // A new process reads master.key (the new key) and opens the provider's key to re-seal it.
    const resealed = await runCli(['keys', 'rotate', '--tenant', 'global'], env);
    expect(resealed.code, resealed.stderr).toBe(0);
    expect(resealed.stdout).toBe('data key of global is now version 2; 1 secrets re-sealed');

    // With the old master key, nothing opens any more.
    const stale = await runCli(['keys', 'rotate', '--tenant', 'global'], { ...env, KURA_MASTER_KEY: oldKey });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/does not unwrap/);
    // The refused attempt added no key version the right master key could not read.
    const next = await runCli(['keys', 'rotate', '--tenant', 'global'], env);
    expect(next.stdout).toBe('data key of global is now version 3; 1 secrets re-sealed');
  }, 120_000);
});
