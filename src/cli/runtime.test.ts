import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialisedDataDir } from '../../test/helpers/data-dir.js';
import { loadConfig } from '../platform/config/config.js';
import { createLogger } from '../platform/log/logger.js';
import { OPERATOR } from '../tenancy/actor.js';
import { openRuntime } from './runtime.js';

describe('openRuntime and the preparation threads', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await initialisedDataDir('kura-runtime-');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = () => loadConfig({ KURA_DATA_DIR: dataDir, KURA_WORKER_CONCURRENCY: '2' });

  it('starts them while the database opens when asked (kura ingest of a folder), and stops them on close', async () => {
    const rt = await openRuntime(config(), createLogger('silent'), { startPreparation: true });
    const pool = rt.connectors.preparation!;
    try {
      // Started before any file: the pool the ingest uses is the one started before the database.
      expect(pool.startedThreads).toBe(2);
      await pool.warm();
      expect(pool.readyThreads).toBe(2);
      const prepared = await pool.prepareFile(Buffer.from('経費精算規程を改定する。'), '規程.txt');
      expect(prepared.ok && prepared.chunks[0]!.tokens.split(' ')).toContain('経費');
    } finally {
      await rt.close();
    }
    expect(pool.startedThreads).toBe(0);
  }, 60_000);

  it('starts none otherwise: a command that ingests nothing never pays for them', async () => {
    const rt = await openRuntime(config(), createLogger('silent'));
    try {
      expect(rt.connectors.preparation!.startedThreads).toBe(0);
      await rt.tenancy.companies.create(OPERATOR, { slug: 'acme', name: 'Acme' });
      expect((await rt.tenancy.companies.list(OPERATOR)).map((c) => c.slug)).toContain('acme');
      expect(rt.connectors.preparation!.startedThreads).toBe(0);
    } finally {
      await rt.close();
    }
  }, 60_000);
});
