import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../src/platform/db/pglite-database.js';
import { startKuraProcess, type KuraProcess } from '../helpers/kura-process.js';
import { runCli } from '../helpers/run-cli.js';
import { initialisedDataDir } from '../helpers/data-dir.js';
import { createServerDatabase } from '../helpers/test-database.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'kura-provider-cli-'));
const API_KEY = 'sk-live-provider-key-7d1e0c';

describe('kura provider and tenant set-policy on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await initialisedDataDir('kura-provider-cli-');
  });
  const kura = (args: string[], stdin = '') => runCli(['--data-dir', dataDir, ...args], {}, stdin);

  it('registers providers with a sealed key, shows sector presets, sets and shows a policy', async () => {
    const added = await kura(
      [
        'provider',
        'add',
        'us-openai',
        '--kind',
        'openai',
        '--base-url',
        'https://api.openai.com/v1',
        '--api-key-stdin',
        '--region',
        'us',
        '--chat-model',
        'gpt-4.1-mini',
        '--embedding-model',
        'text-embedding-3-small',
        '--retains-data',
      ],
      `${API_KEY}\n`,
    );
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toMatch(/added provider us-openai .*region=us .*retains-data=yes key=sealed/);
    expect(added.stdout).not.toContain(API_KEY);
    expect(statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);

    const onPrem = await kura([
      'provider',
      'add',
      'onprem-vllm',
      '--kind',
      'openai-compatible',
      '--base-url',
      'http://10.0.0.5:8000/v1',
      '--region',
      'on-prem',
      '--chat-model',
      'qwen2.5-32b',
    ]);
    expect(onPrem).toMatchObject({ code: 0 });
    const unknownRegion = await kura([
      'provider',
      'add',
      'mars',
      '--kind',
      'openai-compatible',
      '--base-url',
      'http://10.0.0.6/v1',
      '--region',
      'mars-north',
      '--chat-model',
      'm',
    ]);
    expect(unknownRegion.code).toBe(1);
    expect(unknownRegion.stderr).toMatch(/region must be one of jp-east, jp-west, on-prem, us, eu/);
    const noKey = await kura([
      'provider',
      'add',
      'azure-jp',
      '--kind',
      'azure',
      '--base-url',
      'https://x.openai.azure.com/openai',
      '--region',
      'jp-east',
      '--chat-model',
      'gpt-4o',
    ]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/needs an API key/);

    const list = await kura(['provider', 'list']);
    expect(list.stdout.split('\n')).toEqual([
      expect.stringMatching(/^us-openai {2}kind=openai region=us/),
      expect.stringMatching(/^onprem-vllm {2}kind=openai-compatible region=on-prem .* key=none/),
    ]);

    const gov = await kura(['tenant', 'create', 'city', '--name', '市役所', '--sector', 'government']);
    expect(gov.stdout).toContain(
      'residency policy (government preset): regions=jp-east,jp-west,on-prem providers=any retaining=no pii=pseudonymize',
    );
    const set = await kura([
      'tenant',
      'set-policy',
      'city',
      '--regions',
      'jp-east,on-prem',
      '--pii',
      'block',
    ]);
    expect(set.stdout).toBe('policy of city: regions=jp-east,on-prem providers=any retaining=no pii=block');
    const shown = await kura([
      'tenant',
      'set-policy',
      'city',
      '--providers',
      'onprem-vllm',
      '--allow-retaining',
    ]);
    expect(shown.stdout).toBe(
      'policy of city: regions=jp-east,on-prem providers=onprem-vllm retaining=allowed pii=block',
    );
    expect((await kura(['tenant', 'set-policy', 'city', '--regions', 'any', '--no-retaining'])).stdout).toBe(
      'policy of city: regions=any providers=onprem-vllm retaining=no pii=block',
    );
    expect((await kura(['tenant', 'set-policy', 'city', '--regions', 'moon'])).code).toBe(1);
    expect((await kura(['tenant', 'set-policy', 'city', '--pii', 'shout'])).code).toBe(2);

    expect((await kura(['provider', 'remove', 'us-openai'])).stdout).toBe('removed provider us-openai');
    expect((await kura(['provider', 'remove', 'us-openai'])).code).toBe(1);

    // What the database holds: the API key only sealed.
    const db = await PgliteDatabase.open(path.join(dataDir, 'pgdata'));
    try {
      const rows = await db.owner((tx) =>
        tx.query<{ api_key: string | null }>('SELECT api_key FROM model_providers'),
      );
      expect(JSON.stringify(rows)).not.toContain(API_KEY);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('kura provider through a running server, and the HTTP API', () => {
  let dataDir: string;
  let server: KuraProcess;
  beforeAll(async () => {
    dataDir = await initialisedDataDir('kura-provider-cli-');
    server = await startKuraProcess(['--data-dir', dataDir, '--no-demo']);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });
  const kura = (args: string[], stdin = '') => runCli(['--data-dir', dataDir, ...args], {}, stdin);

  it('forwards to the server; operators manage providers, company admins their policy', async () => {
    const added = await kura(
      [
        'provider',
        'add',
        'jp-azure',
        '--kind',
        'azure',
        '--base-url',
        'https://kura-jp.openai.azure.com/openai',
        '--api-key-stdin',
        '--region',
        'jp-east',
        '--chat-model',
        'gpt-4o',
      ],
      API_KEY,
    );
    expect(added).toMatchObject({ code: 0 });
    expect((await kura(['group', 'create', 'hd', '--name', 'HD'])).code).toBe(0);
    const company = await kura([
      'tenant',
      'create',
      'bank',
      '--name',
      '銀行',
      '--group',
      'hd',
      '--sector',
      'finance',
    ]);
    expect(company.stdout).toContain(
      'regions=jp-east,jp-west providers=any retaining=allowed pii=pseudonymize',
    );
    const id = /\(([0-9a-f-]{36})\)/.exec(company.stdout)![1]!;
    const adminKey = (await kura(['apikey', 'create', '--tenant', 'bank', '--role', 'admin'])).stdout.trim();
    const memberKey = (await kura(['apikey', 'create', '--tenant', 'bank'])).stdout.trim();
    const call = (key: string, method: string, url: string, body?: unknown) =>
      fetch(`${server.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });

    const providers = await call(adminKey, 'GET', '/api/v1/providers');
    expect(providers.status).toBe(200);
    const text = await providers.text();
    expect(JSON.parse(text)).toMatchObject({
      providers: [{ name: 'jp-azure', region: 'jp-east', hasApiKey: true }],
    });
    expect(text).not.toContain(API_KEY);
    expect((await call(memberKey, 'GET', '/api/v1/providers')).status).toBe(403);
    const post = await call(adminKey, 'POST', '/api/v1/providers', {
      name: 'sneaky',
      kind: 'openai-compatible',
      baseUrl: 'http://evil.example/v1',
      region: 'us',
      chatModel: 'm',
    });
    expect(post.status).toBe(403);
    expect((await call(adminKey, 'DELETE', '/api/v1/providers/jp-azure')).status).toBe(403);

    const policy = await call(adminKey, 'GET', `/api/v1/companies/${id}/policy`);
    expect(await policy.json()).toMatchObject({
      allowedRegions: ['jp-east', 'jp-west'],
      piiMode: 'pseudonymize',
    });
    const put = await call(adminKey, 'PUT', `/api/v1/companies/${id}/policy`, {
      allowedRegions: ['jp-east'],
      allowRetaining: false,
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({
      allowedRegions: ['jp-east'],
      allowRetaining: false,
      piiMode: 'pseudonymize',
    });
    expect((await call(memberKey, 'GET', `/api/v1/companies/${id}/policy`)).status).toBe(403);
    const bad = await call(adminKey, 'PUT', `/api/v1/companies/${id}/policy`, { piiMode: 'loud' });
    expect(bad.status).toBe(400);
    const shown = await kura(['tenant', 'set-policy', 'bank']);
    expect(shown.stdout).toBe('policy of bank: regions=jp-east providers=any retaining=no pii=pseudonymize');
  }, 120_000);
});

describe('server mode without a master key', () => {
  it('refuses to start with master_key_missing', async () => {
    const result = await runCli(['serve', '--no-demo', '--port', '0'], {
      DATABASE_URL: await createServerDatabase(),
      KURA_DATA_DIR: tempDir(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kura: no master key \(master_key_missing\): set KURA_MASTER_KEY/);
  }, 60_000);
});
