/**
 * `node --import tsx bench/retrieval-pdf.ts [--dataset FILE] [--queries N]`: `kura bench retrieval`
 * with each paragraph ingested as a one-page PDF instead of a text file (the test fixture
 * generator's PDF: IPAGothic, 44 characters a printed line). The same questions, so the two reports
 * compare how much a PDF's layout costs search. Embedded PGlite, the engine `auto` picks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type * as RetrievalBenchModule from '../src/search/bench/retrieval-bench.js';
import type * as LoggerModule from '../src/platform/log/logger.js';
import { makePdf } from '../test/fixtures/index.js';
import { srcModule } from './compiled-modules.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: path.resolve(here, '../../shared/bench/jsquad/test-v1.3.json') },
    queries: { type: 'string' },
  },
});
const { runRetrievalBench } = await srcModule<typeof RetrievalBenchModule>('search/bench/retrieval-bench.js');
const { createLogger } = await srcModule<typeof LoggerModule>('platform/log/logger.js');

const report = await runRetrievalBench({
  dataset: values.dataset,
  maxQueries: values.queries === undefined ? undefined : Number(values.queries),
  document: async (paragraph, i) => ({ name: `p${i}.pdf`, bytes: await makePdf([[paragraph]]) }),
  logger: createLogger('warn'),
  progress: (line) => console.error(line),
});
const q = report.quality;
const f4 = (x: number) => x.toFixed(4);
console.log(
  `PDF documents: ${report.documents} (${report.chunks} chunks), ${report.queries} questions, ${report.engine}`,
);
console.log(`nDCG@10 ${f4(q.ndcg10)} ± ${f4(q.ndcg10Ci95)}, MRR@10 ${f4(q.mrr10)}`);
console.log(
  `Recall@1/5/20 ${f4(q.r1)} / ${f4(q.r5)} / ${f4(q.r20)} (${q.misses20} questions without their paragraph in the top 20)`,
);
console.log(`index time ${(report.index.ms / 1000).toFixed(1)} s`);
