import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServerDatabase } from '../helpers/test-database.js';
import { runCli, TEST_MASTER_KEY } from '../helpers/run-cli.js';
import { startKuraProcess, type KuraProcess } from '../helpers/kura-process.js';
import { initialisedDataDir } from '../helpers/data-dir.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'kura-cli-'));

describe('kura command line: usage', () => {
  it('answers usage errors with exit 2', async () => {
    expect((await runCli(['no-such-command'])).code).toBe(2);
    expect((await runCli(['tenant', 'create', 'acme', '--bogus'])).code).toBe(2);
    const missing = await runCli(['tenant', 'create', 'acme']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--name/);
    expect(
      (await runCli(['user', 'create', '--tenant', 'a', '--email', 'a@b.c', '--role', 'king'])).code,
    ).toBe(2);
    expect((await runCli(['serve', '--port', 'eighty'])).code).toBe(2);
  });

  it('prints help for every command with exit 0', async () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['tenant', 'create', '--help'],
      ['apikey', 'create', '--help'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/Usage: kura/);
    }
  });
});

describe('kura command line on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await initialisedDataDir('kura-cli-');
  });
  const kura = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

  it('creates a group, a company in it, a user and an API key', async () => {
    expect((await kura('group', 'create', 'hd', '--name', 'ホールディングス')).code).toBe(0);
    const company = await kura(
      'tenant',
      'create',
      'acme',
      '--name',
      'Acme 株式会社',
      '--group',
      'hd',
      '--region',
      'jp-west',
      '--sector',
      'finance',
    );
    expect(company.code).toBe(0);
    expect(company.stdout).toMatch(/created company acme .* region=jp-west sector=finance/);
    const user = await runCli(
      [
        '--data-dir',
        dataDir,
        'user',
        'create',
        '--tenant',
        'acme',
        '--email',
        'Boss@Acme.example',
        '--role',
        'admin',
        '--password-stdin',
      ],
      {},
      'a long enough password\n',
    );
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(/created user boss@acme.example .* role=admin/);
    expect(user.stdout).not.toMatch(/password \(shown once\)/);
    const generated = await kura(
      'user',
      'create',
      '--tenant',
      'acme',
      '--email',
      'm@acme.example',
      '--role',
      'member',
    );
    expect(generated.stdout).toMatch(/password \(shown once\): \S{10,}/);
    const key = await kura('apikey', 'create', '--tenant', 'acme', '--role', 'viewer');
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^kura_[A-Za-z0-9_-]{87}$/);
    expect(key.stderr).toMatch(/role=viewer/);

    const companies = await kura('tenant', 'list');
    expect(companies.stdout).toMatch(
      /^acme {2}Acme 株式会社 {2}\[group hd, jp-west, finance\] {2}\([0-9a-f-]{36}\)$/,
    );
    expect(JSON.parse((await kura('tenant', 'list', '--json')).stdout)).toEqual([
      expect.objectContaining({ slug: 'acme', name: 'Acme 株式会社', group: 'hd', sector: 'finance' }),
    ]);
    expect((await kura('group', 'list')).stdout).toMatch(/^hd {2}ホールディングス {2}\([0-9a-f-]{36}\)$/);
  });

  it('answers bad input with one line and exit 1, changing nothing', async () => {
    const invalid = await kura('tenant', 'create', 'Not A Slug', '--name', 'x');
    expect(invalid).toMatchObject({ code: 1 });
    expect(invalid.stderr.split('\n')).toHaveLength(1);
    expect(invalid.stderr).toMatch(/^kura: invalid slug/);
    await kura('tenant', 'create', 'dup', '--name', 'Dup');
    const duplicate = await kura('tenant', 'create', 'dup', '--name', 'Dup again');
    expect(duplicate).toMatchObject({ code: 1, stderr: 'kura: slug "dup" is already taken' });
    // The operator hears which slugs there are: the demo's companies are not called "demo".
    expect(await kura('apikey', 'create', '--tenant', 'nobody')).toMatchObject({
      code: 1,
      stderr: 'kura: Company "nobody" not found. The companies here: acme, dup.',
    });
    expect((await kura('tenant', 'create', 'x1', '--name', 'X', '--group', 'nogroup')).stderr).toBe(
      'kura: Group "nogroup" not found. The groups here: hd.',
    );
    const shortPassword = await runCli(
      [
        '--data-dir',
        dataDir,
        'user',
        'create',
        '--tenant',
        'dup',
        '--email',
        'a@dup.example',
        '--role',
        'member',
        '--password-stdin',
      ],
      {},
      'short',
    );
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toMatch(/at least 10 characters/);
  });

  it('names an unwritable data directory without a stack trace', async () => {
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const result = await runCli([
      '--data-dir',
      path.join(file, 'data'),
      'tenant',
      'create',
      'acme',
      '--name',
      'A',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kura: data directory .*a-file\/data is not writable/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('kura command line against a running server', () => {
  const dataDir = tempDir();
  let server: KuraProcess;
  beforeAll(async () => {
    server = await startKuraProcess(['--data-dir', dataDir, '--no-demo']);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('reaches the server that holds the data directory, and the key it prints works over HTTP', async () => {
    const created = await runCli([
      '--data-dir',
      dataDir,
      'tenant',
      'create',
      'acme',
      '--name',
      'Acme',
      '--region',
      'jp-east',
    ]);
    expect(created.code).toBe(0);
    const key = (await runCli(['--data-dir', dataDir, 'apikey', 'create', '--tenant', 'acme'])).stdout.trim();
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      kind: 'api_key',
      role: 'member',
      company: { slug: 'acme', region: 'jp-east' },
    });
  });

  it('refuses a second server on the same data directory and leaves the first one working', async () => {
    const second = await runCli(['--data-dir', dataDir, 'serve', '--port', '0', '--no-demo']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/is in use by another Kura process \(pid \d+\)/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('keeps the data across a restart and removes its lock on shutdown', async () => {
    expect(await server.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, 'kura.lock'))).toBe(false);
    server = await startKuraProcess(['--data-dir', dataDir, '--no-demo']);
    const again = await runCli(['--data-dir', dataDir, 'tenant', 'create', 'acme', '--name', 'Acme']);
    expect(again.stderr).toBe('kura: slug "acme" is already taken');
  }, 90_000);
});

describe('kura command line with DATABASE_URL', () => {
  it('works against server PostgreSQL', async () => {
    const url = await createServerDatabase();
    // Server mode needs the master key that seals credentials (see test/cli/provider-cli.test.ts).
    const env = { DATABASE_URL: url, KURA_MASTER_KEY: TEST_MASTER_KEY };
    const result = await runCli(['tenant', 'create', 'pgco', '--name', 'PG Co'], env);
    expect(result).toMatchObject({ code: 0 });
    const key = await runCli(['apikey', 'create', '--tenant', 'pgco'], env);
    expect(key.stdout).toMatch(/^kura_/);
  });

  it('names an unreachable database without its password or a stack trace', async () => {
    const base = new URL(inject('postgresUrl'));
    const result = await runCli(['tenant', 'create', 'x', '--name', 'X'], {
      DATABASE_URL: `postgres://kura:s3cret-pw@127.0.0.1:1/${base.pathname.slice(1)}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^kura: cannot connect to DATABASE_URL \(postgres:\/\/kura:\*\*\*@127\.0\.0\.1:1\/postgres\)/,
    );
    expect(result.stderr).not.toContain('s3cret-pw');
  });
});
