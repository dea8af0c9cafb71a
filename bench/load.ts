/**
 * `npm run bench:load [-- --clients 200 --duration 60 --engines pglite,postgres]`: concurrent clients
 * over two companies searching, asking and uploading against a real `kura serve` child process,
 * first on the embedded database, then on a throwaway PostgreSQL server (Debian's binaries, loopback
 * only, stopped at the end). Fails (exit 1) on any 5xx, network error or cross-company result.
 * Prints per-operation p50/p95/p99 and throughput, and the load average before and after.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import startPostgres from '../test/setup/postgres-server.js';
import { startKuraProcess } from '../test/helpers/kura-process.js';
import { runCli, TEST_MASTER_KEY } from '../test/helpers/run-cli.js';
import { report, runLoad, upload, type LoadCompany } from './load-driver.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    duration: { type: 'string', default: '60' },
    engines: { type: 'string', default: 'pglite,postgres' },
    'seed-documents': { type: 'string', default: '20' },
  },
});
const clients = Number(values.clients);
const durationS = Number(values.duration);
const seedDocuments = Number(values['seed-documents']);
const engines = values.engines.split(',') as ('pglite' | 'postgres')[];
const SHARED_WORD = 'kurabench';

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Two companies, two member keys each, `seedDocuments` documents each, through the CLI and the API. */
async function prepare(url: string, cli: (...args: string[]) => Promise<string>): Promise<LoadCompany[]> {
  const companies: LoadCompany[] = [];
  for (const name of ['alpha', 'bravo']) {
    // A marker no other text contains: the company's name and random letters.
    const marker = `${name}${randomBytes(4)
      .toString('hex')
      .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!)}`;
    await cli('tenant', 'create', marker, '--name', `Load ${name}`);
    const admin = await cli('apikey', 'create', '--tenant', marker, '--role', 'admin');
    const members = [
      await cli('apikey', 'create', '--tenant', marker, '--role', 'member'),
      await cli('apikey', 'create', '--tenant', marker, '--role', 'member'),
    ];
    for (let n = 0; n < seedDocuments; n++) {
      const response = await upload(url, admin, marker, SHARED_WORD, `seed${n}`);
      if (response.status >= 300) throw new Error(`seeding: ${response.status} ${await response.text()}`);
    }
    // Clients search and ask as members (and the admin), and upload as the admin.
    companies.push({ marker, keys: [admin, ...members], uploadKey: admin });
  }
  return companies;
}

async function benchEngine(engine: 'pglite' | 'postgres'): Promise<boolean> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-bench-load-'));
  let stopPostgres: (() => Promise<void>) | undefined;
  let env: Record<string, string> = {};
  try {
    if (engine === 'postgres') {
      let baseUrl = '';
      const project = { provide: (key: string, value: string) => key === 'postgresUrl' && (baseUrl = value) };
      stopPostgres = await startPostgres(project as unknown as TestProject);
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE kura_load');
      await admin.end();
      const url = new URL(baseUrl);
      url.pathname = '/kura_load';
      env = { DATABASE_URL: url.toString(), KURA_MASTER_KEY: TEST_MASTER_KEY };
    }
    // A shared, busy machine can take minutes to start a server: wait up to five.
    const server = await startKuraProcess(
      ['--data-dir', dataDir, '--no-demo', '--host', '127.0.0.1'],
      env,
      300_000,
    );
    try {
      const cli = async (...args: string[]) => {
        const result = await runCli(['--data-dir', dataDir, ...args], env);
        if (result.code !== 0) throw new Error(`kura ${args.join(' ')}: ${result.stderr}`);
        return result.stdout.trim();
      };
      const companies = await prepare(server.url, cli);
      const before = loadAverage();
      const result = await runLoad({
        url: server.url,
        companies,
        clients,
        durationMs: durationS * 1000,
        sharedWord: SHARED_WORD,
      });
      const after = loadAverage();
      console.log(
        `\n${engine === 'pglite' ? 'embedded PGlite' : 'PostgreSQL server'}: ${clients} clients over 2 companies, ${durationS} s, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`,
      );
      for (const line of report(result)) console.log(`  ${line}`);
      console.log(`  load average before: ${before}; after: ${after}`);
      for (const leak of result.leaks.slice(0, 10)) console.log(`  LEAK: ${leak}`);
      return result.serverErrors === 0 && result.networkErrors === 0 && result.leaks.length === 0;
    } finally {
      await server.stop();
    }
  } finally {
    await stopPostgres?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let ok = true;
for (const engine of engines) ok = (await benchEngine(engine)) && ok;
if (!ok) {
  console.log('\nFAILED: a 5xx, a network error or a cross-company result (see above).');
  process.exitCode = 1;
}
