/**
 * Sweeps the extractive engine's not-found threshold (and scoring weights) over the passages
 * bench/answer-calibrate.ts dumped: node --import tsx bench/answer-sweep.ts /tmp/answer-passages.json
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_EXTRACT,
  extractAnswer,
  type ExtractOptions,
} from '../src/assistant/engine/extract-answer.js';
import type { Passage } from '../src/search/search-service.js';

interface Row {
  text: string;
  answers: string[];
  answerable: boolean;
  passages: Passage[];
}
const rows = JSON.parse(readFileSync(process.argv[2] ?? '/tmp/answer-passages.json', 'utf8')) as Row[];

function evaluate(options: ExtractOptions) {
  let hit = 0,
    answerable = 0,
    cited = 0,
    citedRight = 0,
    nf = 0,
    unanswerable = 0;
  for (const r of rows) {
    const x = extractAnswer(r.text, r.passages, options);
    const text = x.parts.map((p) => `${p.text}[1]`).join('');
    if (text.length > options.maxChars) throw new Error(`too long: ${text.length}`);
    if (r.answerable) {
      answerable++;
      if (x.found && r.answers.some((a) => text.includes(a))) hit++;
      for (const i of new Set(x.parts.map((p) => p.passage))) {
        cited++;
        if (r.answers.some((a) => r.passages[i]!.text.includes(a))) citedRight++;
      }
    } else {
      unanswerable++;
      if (!x.found) nf++;
    }
  }
  return { hit: hit / answerable, precision: citedRight / cited, notFound: nf / unanswerable };
}

const f = (n: number) => n.toFixed(4);
const grid = (process.argv[3] ?? '0,0.3,0.4,0.5,0.55,0.6,0.65,0.7').split(',').map(Number);
for (const otherPassages of [false, true])
  for (const passageWeight of [0.6, 1])
    for (const cueWeight of [0.2])
      for (const threshold of grid) {
        const r = evaluate({ ...DEFAULT_EXTRACT, threshold, passageWeight, cueWeight, otherPassages });
        console.log(
          `other=${otherPassages} pw=${passageWeight} cue=${cueWeight} t=${threshold}: hit ${f(r.hit)} precision ${f(r.precision)} notFound ${f(r.notFound)}`,
        );
      }
