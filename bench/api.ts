/**
 * `npm run bench:api`: authenticated GET /api/v1/me under load, on the embedded database.
 * Starts a real `kura serve` child process on a temporary data directory, creates keys through the
 * CLI, drives it with autocannon (100 connections, 20 s by default), then measures how long a revoked
 * key keeps working. Prints a Markdown row for docs/BENCHMARKS.md.
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../test/helpers/run-cli.js';
import { startKuraProcess } from '../test/helpers/kura-process.js';

const connections = Number(process.argv[2] ?? 100);
const duration = Number(process.argv[3] ?? 20);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-bench-api-'));
const server = await startKuraProcess(['--data-dir', dataDir, '--no-demo']);
try {
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  await cli('tenant', 'create', 'bench', '--name', 'Bench 株式会社');
  const adminKey = (await cli('apikey', 'create', '--tenant', 'bench', '--role', 'admin')).stdout.trim();
  const memberKey = (await cli('apikey', 'create', '--tenant', 'bench', '--role', 'member')).stdout.trim();

  const result = await autocannon({
    url: `${server.url}/api/v1/me`,
    connections,
    duration,
    headers: { authorization: `Bearer ${memberKey}` },
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;

  // Revocation: how long after DELETE does the revoked key still get through?
  const created = (await (
    await fetch(`${server.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'to revoke' }),
    })
  ).json()) as { apiKey: { id: string }; key: string };
  const me = () => fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${created.key}` } });
  await me(); // warm the credential cache, as a busy client would
  const revokedAt = performance.now();
  await fetch(`${server.url}/api/v1/api-keys/${created.apiKey.id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${adminKey}` },
  });
  let revocationMs = Number.NaN;
  while (performance.now() - revokedAt < 5_000) {
    if ((await me()).status === 401) {
      revocationMs = performance.now() - revokedAt;
      break;
    }
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `GET /api/v1/me, embedded PGlite, ${connections} connections, ${duration} s, ${os.cpus().length} cores (${cpu}), Node ${process.version}`,
  );
  console.log(
    `requests/s: mean ${result.requests.average.toFixed(0)}, total ${result.requests.total}, non-2xx/errors ${non2xx}`,
  );
  console.log(
    `latency ms: p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99}, max ${result.latency.max}`,
  );
  console.log(`revocation took effect after ${revocationMs.toFixed(1)} ms`);
  console.log(
    `| ${new Date().toISOString().slice(0, 10)} | ${connections} | ${duration} s | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${non2xx} | ${revocationMs.toFixed(1)} ms |`,
  );
  if (non2xx > 0 || !(revocationMs <= 1_000)) process.exitCode = 1;
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
