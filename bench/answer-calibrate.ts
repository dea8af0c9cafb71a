/**
 * Dumps every bench question's retrieved passages (through the real ingest and search path) so the
 * extractive engine's scoring and its not-found threshold can be calibrated offline:
 *   node --import tsx bench/answer-calibrate.ts OUT.json [maxQueries]
 * Corpus: JSQuAD test + the even half of JaQuAD dev; unanswerable: the odd half's questions.
 */
import { writeFileSync } from 'node:fs';
import { runAnswerBench } from '../src/assistant/bench/answer-bench.js';
import { createLogger } from '../src/platform/log/logger.js';

const [out = '/tmp/answer-passages.json', max] = process.argv.slice(2);
const rows: unknown[] = [];
const report = await runAnswerBench({
  dataset: '../shared/bench/jsquad/test-v1.3.json',
  distractors: ['../shared/bench/jaquad/dev.json'],
  unanswerable: '../shared/bench/jaquad/dev.json',
  maxQueries: max ? Number(max) : undefined,
  logger: createLogger('warn'),
  progress: (line) => console.error(line),
  onQuestion: (q, passages) => rows.push({ ...q, passages }),
});
writeFileSync(out, JSON.stringify(rows));
console.log(JSON.stringify(report, null, 2));
