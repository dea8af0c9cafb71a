import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCorpus } from './ingest-corpus.js';
import { createAnalyzer } from '../src/search/analysis/create-analyzer.js';
import { parseDocument } from '../src/ingest/parsers/index.js';
import { flattenDocument } from '../src/ingest/pipeline/flatten-document.js';
import { chunkSections } from '../src/ingest/chunking/index.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'tmp-an-'));
await writeCorpus(folder, 60, 16);
const analyzer = await createAnalyzer();
const texts: string[] = [];
const files = readdirSync(folder, { recursive: true }) as string[];
let tp = performance.now();
for (const f of files) {
  const full = path.join(folder, f);
  if (!/\.\w+$/.test(f)) continue;
  const parsed = await parseDocument(readFileSync(full), { fileName: f });
  for (const c of chunkSections(flattenDocument(parsed).sections)) texts.push(c.text);
}
console.log('parse+chunk ms', (performance.now() - tp).toFixed(0), 'chunks', texts.length, 'chars', texts.reduce((a, t) => a + t.length, 0), 'utf8 MB', (texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / 1048576).toFixed(2));
for (let r = 0; r < 6; r++) {
  const t = performance.now();
  let n = 0;
  for (const text of texts) n += analyzer.analyze(text).length;
  console.log('round', r, (performance.now() - t).toFixed(0), 'ms', n, 'tokens');
}
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  for (const f of files) { if (!/\.\w+$/.test(f)) continue; const parsed = await parseDocument(readFileSync(path.join(folder, f)), { fileName: f }); chunkSections(flattenDocument(parsed).sections); }
  console.log('parse round', r, (performance.now() - t).toFixed(0), 'ms');
}
