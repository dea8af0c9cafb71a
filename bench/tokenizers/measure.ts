/**
 * Kura tokenizer bench: JSQuAD test questions vs. JSQuAD test + JaQuAD dev paragraphs.
 * Run: npm run bench:tokenizers            (all candidates)
 *      npx tsx measure.ts kuromoji   (only candidates whose name contains "kuromoji")
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAnalyzer } from '../../src/search/analysis/analyzer.js';
import { loadBackend, type Backend } from './backends.js';
import { Bm25Index } from './bm25.js';
import { CANDIDATES } from './candidates.js';
import { loadBenchmark } from './data.js';
import { ndcgCi95, qualityFromRanks } from './metrics.js';
import type { MorphTokenizer } from '../../src/search/analysis/morph.js';

interface InitStats {
  initMs: number;
  rssMB: number;
  heapMB: number;
}

function probeInit(backend: Backend): InitStats {
  const probe = fileURLToPath(new URL('./init-probe.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe, backend], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as InitStats;
}

const filter = process.argv[2];
const bench = loadBenchmark();
const corpusChars = bench.docs.reduce((n, d) => n + d.length, 0);
console.log(
  `docs=${bench.docs.length} queries=${bench.queries.length} corpus=${corpusChars} chars (${(Buffer.byteLength(bench.docs.join(''), 'utf8') / 2 ** 20).toFixed(2)} MiB UTF-8)`,
);

const backends = new Map<Backend, MorphTokenizer | null>();
const inits = new Map<Backend, InitStats>();
const rows: string[][] = [];
const header = [
  'candidate',
  'nDCG@10',
  'MRR@10',
  'R@1',
  'R@5',
  'R@20',
  'corpus k chars/s',
  'query µs (mean/p95)',
  'tok/doc',
  'pg-quantized nDCG@10/R@5',
  'init ms',
  'mem MB (rss/heap)',
];

for (const c of CANDIDATES) {
  if (filter !== undefined && !c.name.includes(filter)) continue;
  if (!inits.has(c.backend)) inits.set(c.backend, probeInit(c.backend));
  if (!backends.has(c.backend)) backends.set(c.backend, await loadBackend(c.backend));
  const analyzer = buildAnalyzer({ ...c.config, morph: backends.get(c.backend) ?? null });

  for (const d of bench.docs.slice(0, 300)) analyzer.analyze(d); // JIT warm-up
  let t = performance.now();
  const docTokens = bench.docs.map((d) => analyzer.analyze(d));
  const corpusMs = performance.now() - t;

  const qTimes: number[] = [];
  const queryTokens = bench.queries.map((q) => {
    const t0 = performance.now();
    const toks = analyzer.analyze(q.text);
    qTimes.push(performance.now() - t0);
    return toks;
  });
  qTimes.sort((a, b) => a - b);
  const qMean = (qTimes.reduce((a, b) => a + b, 0) / qTimes.length) * 1000;
  const qP95 = (qTimes[Math.floor(qTimes.length * 0.95)] ?? 0) * 1000;

  t = performance.now();
  const index = new Bm25Index(docTokens);
  const ranks = bench.queries.map((q, i) => index.rankOf(queryTokens[i] ?? [], q.gold));
  const searchMs = performance.now() - t;
  const m = qualityFromRanks(ranks);
  // Same, with pg_textsearch's 1-byte (Lucene SmallFloat) document-length quantization.
  const pgIndex = new Bm25Index(docTokens, 1.2, 0.75, false, true);
  const pm = qualityFromRanks(bench.queries.map((q, i) => pgIndex.rankOf(queryTokens[i] ?? [], q.gold)));
  const init = inits.get(c.backend) as InitStats;
  const tokPerDoc = docTokens.reduce((n, d) => n + d.length, 0) / docTokens.length;
  const f = (x: number): string => x.toFixed(4);
  rows.push([
    c.name,
    `${f(m.ndcg10)} ±${ndcgCi95(ranks).toFixed(3)}`,
    f(m.mrr10),
    f(m.r1),
    f(m.r5),
    f(m.r20),
    (corpusChars / corpusMs).toFixed(0),
    `${qMean.toFixed(0)}/${qP95.toFixed(0)}`,
    tokPerDoc.toFixed(0),
    `${f(pm.ndcg10)}/${f(pm.r5)}`,
    String(init.initMs),
    `${init.rssMB}/${init.heapMB}`,
  ]);
  console.error(
    `${c.name}: nDCG@10=${f(m.ndcg10)} R@5=${f(m.r5)} (analysis ${corpusMs.toFixed(0)} ms, bm25 ${searchMs.toFixed(0)} ms)`,
  );
}

console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
