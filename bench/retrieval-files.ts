/**
 * `node --import tsx bench/retrieval-files.ts [--format pdf|markdown|wrapped-text] [--dataset FILE] [--queries N]`:
 * `kura bench retrieval` with each paragraph ingested as another kind of file than a text file —
 * a one-page PDF (the test fixture generator's: IPAGothic, lines as wide as 44 full-width characters),
 * Markdown wrapped by hand at 40 characters a line, or a text file wrapped at 76 columns as a
 * mail program does (`wrapped-text`). The same questions, so the reports compare
 * what a format's layout costs search. Embedded PGlite, the engine `auto` picks.
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
    format: { type: 'string', default: 'pdf' },
  },
});
const FILES: Record<string, (paragraph: string, i: number) => Promise<{ name: string; bytes: Buffer }>> = {
  pdf: async (paragraph, i) => ({ name: `p${i}.pdf`, bytes: await makePdf([[paragraph]]) }),
  markdown: (paragraph, i) =>
    Promise.resolve({
      name: `p${i}.md`,
      bytes: Buffer.from(`# 段落${i + 1}\n\n${paragraph.replace(/.{40}/gu, (line) => `${line}\n`)}\n`),
    }),
  'wrapped-text': (paragraph, i) =>
    Promise.resolve({ name: `p${i}.txt`, bytes: Buffer.from(`${wrapColumns(paragraph, 76)}\n`) }),
};
/** Lines of at most `columns` display columns (a non-ASCII character two), as a mail program wraps. */
function wrapColumns(text: string, columns: number): string {
  let out = '';
  let width = 0;
  for (const char of text) {
    const w = char.charCodeAt(0) < 0x80 ? 1 : 2;
    if (width + w > columns) {
      out += '\n';
      width = 0;
    }
    out += char;
    width += w;
  }
  return out;
}
const document = FILES[values.format];
if (!document) throw new Error(`--format: pdf, markdown or wrapped-text, not ${values.format}`);
const { runRetrievalBench } = await srcModule<typeof RetrievalBenchModule>('search/bench/retrieval-bench.js');
const { createLogger } = await srcModule<typeof LoggerModule>('platform/log/logger.js');

const report = await runRetrievalBench({
  dataset: values.dataset,
  maxQueries: values.queries === undefined ? undefined : Number(values.queries),
  document,
  logger: createLogger('warn'),
  progress: (line) => console.error(line),
});
const q = report.quality;
const f4 = (x: number) => x.toFixed(4);
console.log(
  `${values.format} documents: ${report.documents} (${report.chunks} chunks), ${report.queries} questions, ${report.engine}`,
);
console.log(`nDCG@10 ${f4(q.ndcg10)} ± ${f4(q.ndcg10Ci95)}, MRR@10 ${f4(q.mrr10)}`);
console.log(
  `Recall@1/5/20 ${f4(q.r1)} / ${f4(q.r5)} / ${f4(q.r20)} (${q.misses20} questions without their paragraph in the top 20)`,
);
console.log(`index time ${(report.index.ms / 1000).toFixed(1)} s`);
