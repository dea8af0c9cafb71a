/**
 * `node --import tsx bench/ingest-cli.ts [--runs N] [--files N]`: `kura ingest` as a person runs
 * it, a new process each time, into a new company of one embedded data directory, on the mixed
 * corpus of bench:ingest (bench/ingest-corpus.ts). bench:ingest measures the pipeline with its
 * threads started and its dictionary loaded before the clock; this bench counts everything the
 * command does: starting Node, opening PGlite, the threads and the dictionary, the ingest and the
 * index build. Per run: the whole command's wall time (and its CPU, from the child's rusage), and
 * the time the command's own summary line prints (the ingest alone, after the database opened).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childrenCpuSeconds } from './bench-process.js';
import { writeCorpus } from './ingest-corpus.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, files: { type: 'string', default: '60' } },
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kura = path.join(root, 'bin', 'kura.mjs');
const MB = 1024 * 1024;
const folder = mkdtempSync(path.join(os.tmpdir(), 'kura-ingest-cli-corpus-'));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-ingest-cli-data-'));

/** Runs `kura` with the bench's data directory; fails the bench on an unexpected exit. */
function run(...args: string[]) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [kura, '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KURA_LOG_LEVEL: 'silent' },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`kura ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

try {
  const corpus = await writeCorpus(folder, Number(values.files), 16);
  // Ingesting files written a moment ago measured up to a third slower (the disk's write-back of the
  // 10 MB just written, this process's clean-up after building them): flush them, let things settle.
  spawnSync('sync');
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  console.error(
    `corpus: ${corpus.files} files, ${(corpus.inputBytes / MB).toFixed(2)} MB on disk, ${(corpus.textBytes / MB).toFixed(2)} MB of Japanese text`,
  );
  // The first command compiles the sources if they changed, and creates the database: not timed.
  run('tenant', 'list');
  console.log(
    '\n| run | wall s | text MB/s (wall) | ingest s (summary) | text MB/s (ingest) | CPU s (user + sys) | load average |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (let i = 1; i <= Number(values.runs); i++) {
    run('tenant', 'create', `bench-${i}`, '--name', `Bench ${i}`);
    const cpuBefore = childrenCpuSeconds();
    const { seconds, stdout } = run('ingest', '--tenant', `bench-${i}`, folder);
    const cpu = childrenCpuSeconds() - cpuBefore;
    const summary = /in ([\d.]+) s: (\d+) indexed/.exec(stdout);
    if (!summary || Number(summary[2]) !== corpus.files) throw new Error(`unexpected summary: ${stdout}`);
    const ingest = Number(summary[1]);
    const textMb = corpus.textBytes / MB;
    console.log(
      `| ${i} | ${seconds.toFixed(2)} | ${(textMb / seconds).toFixed(2)} | ${ingest.toFixed(1)} | ${(textMb / ingest).toFixed(2)} | ${cpu.toFixed(1)} | ${os.loadavg()[0]!.toFixed(1)} |`,
    );
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
