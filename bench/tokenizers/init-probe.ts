/**
 * Child-process probe: cold init time and memory of one backend.
 * Usage: node --expose-gc --import tsx bench/init-probe.ts <backend>
 */
import { buildAnalyzer, DEFAULT_PIPELINE } from '../../src/search/analysis/analyzer.js';
import { loadBackend, type Backend } from './backends.js';

const backend = (process.argv[2] ?? 'none') as Backend;
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
const t0 = performance.now();
const morph = await loadBackend(backend);
const analyzer = buildAnalyzer({ ...DEFAULT_PIPELINE, morph });
analyzer.analyze('東京都に行きました。Running J-CAST ニュース');
const initMs = performance.now() - t0;
gc?.();
const after = process.memoryUsage();
const mb = (x: number): number => Math.round((x / 2 ** 20) * 10) / 10;
process.stdout.write(
  JSON.stringify({
    backend,
    initMs: Math.round(initMs),
    rssMB: mb(after.rss - before.rss),
    heapMB: mb(after.heapUsed - before.heapUsed),
    externalMB: mb(after.external + after.arrayBuffers - before.external - before.arrayBuffers),
  }),
);
