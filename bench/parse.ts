/**
 * `node --import tsx bench/parse.ts [filesPerFormat] [rounds] [formats]`: parse + chunk throughput per format on a
 * Japanese corpus built from JSQuAD paragraphs (../shared/bench/jsquad/test-v1.3.json), written
 * with the test fixture generators as real files of every supported type (20 per type by default,
 * 200 in all). Pure library code: no database, one thread. Prints a Markdown table: input MB/s,
 * extracted-text MB/s (UTF-8 bytes of the text the parser produced), documents/s, chunks/s and CPU
 * milliseconds per file (user + system of this process: steadier than wall time on a shared machine).
 * A fourth argument keeps only the named formats (comma-separated, e.g. `docx,html`).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkSections } from '../src/ingest/chunking/chunk-sections.js';
import { parseDocument } from '../src/ingest/parsers/parse-document.js';
import type { ParsedDocument } from '../src/ingest/parsers/parsed-document.js';
import {
  encodeText,
  makeDocx,
  makeEml,
  makeHtml,
  makeMarkdown,
  makePdf,
  makePptx,
  makeXlsx,
} from '../test/fixtures/index.js';

const filesPerFormat = Number(process.argv[2] ?? 20);
/** Each format is timed this many times and the fastest round reported: the machine is shared. */
const ROUNDS = Number(process.argv[3] ?? 3);
const onlyFormats = process.argv[4]?.split(',');
const PARAGRAPHS_PER_FILE = 20;
const here = path.dirname(fileURLToPath(import.meta.url));
const datasetPath = path.resolve(here, '../../shared/bench/jsquad/test-v1.3.json');

interface Squad {
  data: { title: string; paragraphs: { context: string }[] }[];
}
const dataset = JSON.parse(readFileSync(datasetPath, 'utf8')) as Squad;
/** JSQuAD contexts read "title [SEP] paragraph": keep the paragraph. */
const paragraphs = dataset.data.flatMap((article) =>
  article.paragraphs.map((paragraph) => paragraph.context.replace(/^.*?\[SEP\]\s*/, '')),
);
let cursor = 0;
const take = (n: number) => Array.from({ length: n }, () => paragraphs[cursor++ % paragraphs.length] ?? '');
const groups = (items: string[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

interface CorpusFile {
  name: string;
  bytes: Buffer;
}

type Builder = (index: number, texts: string[]) => Promise<Buffer> | Buffer;
const headingFor = (i: number, j: number) => `第${j + 1}章 ${i + 1}-${j + 1}`;
const BUILDERS: Record<string, { extension: string; build: Builder }> = {
  text: { extension: 'txt', build: (_, texts) => Buffer.from(texts.join('\n\n')) },
  'text (Shift_JIS)': {
    extension: 'txt',
    // Characters outside CP932 (rare kanji) would not round-trip; drop them from this variant.
    build: (_, texts) =>
      encodeText(texts.join('\r\n\r\n').replace(/[\u{10000}-\u{10ffff}]/gu, ''), 'Shift_JIS'),
  },
  markdown: {
    extension: 'md',
    build: (i, texts) =>
      makeMarkdown({
        title: `文書${i + 1}`,
        sections: groups(texts, 4).map((part, j) => ({ heading: headingFor(i, j), paragraphs: part })),
      }),
  },
  html: {
    extension: 'html',
    build: (i, texts) =>
      makeHtml({
        title: `ページ${i + 1}`,
        sections: groups(texts, 4).map((part, j) => ({ heading: headingFor(i, j), paragraphs: part })),
      }),
  },
  docx: {
    extension: 'docx',
    build: (i, texts) =>
      makeDocx({
        title: `規程${i + 1}`,
        chapters: groups(texts, 4).map((part, j) => ({ heading: headingFor(i, j), paragraphs: part })),
      }),
  },
  pdf: { extension: 'pdf', build: (_, texts) => makePdf(groups(texts, 3)) },
  xlsx: {
    extension: 'xlsx',
    build: (i, texts) =>
      makeXlsx([
        { name: `シート${i + 1}`, rows: [['番号', '本文'], ...texts.map((text, j) => [j + 1, text])] },
      ]),
  },
  csv: {
    extension: 'csv',
    build: (_, texts) =>
      Buffer.from(
        ['番号,本文', ...texts.map((text, j) => `${j + 1},"${text.replace(/"/g, '""')}"`)].join('\r\n'),
      ),
  },
  pptx: {
    extension: 'pptx',
    build: (i, texts) =>
      makePptx(groups(texts, 2).map((part, j) => ({ title: headingFor(i, j), bullets: part }))),
  },
  eml: {
    extension: 'eml',
    build: (i, texts) => makeEml({ subject: `お知らせ${i + 1}`, body: texts.join('\n\n') }),
  },
};

function textBytes(doc: ParsedDocument): number {
  let bytes = 0;
  for (const section of doc.sections) bytes += Buffer.byteLength(section.text);
  for (const attachment of doc.attachments) bytes += textBytes(attachment);
  return bytes;
}

console.error(`building ${filesPerFormat} files per format from ${paragraphs.length} JSQuAD paragraphs…`);
const corpus = new Map<string, CorpusFile[]>();
for (const [format, { extension, build }] of Object.entries(BUILDERS)) {
  if (onlyFormats && !onlyFormats.includes(format)) continue;
  const files: CorpusFile[] = [];
  for (let i = 0; i < filesPerFormat; i++) {
    files.push({ name: `${format}-${i}.${extension}`, bytes: await build(i, take(PARAGRAPHS_PER_FILE)) });
  }
  corpus.set(format, files);
}

// One untimed pass warms up the JIT and each library's lazy imports (pdf.js, exceljs, officeparser).
for (const files of corpus.values())
  await parseDocument(files[0]?.bytes ?? Buffer.alloc(0), { fileName: files[0]?.name });

const rows: string[] = [];
const totals = { files: 0, input: 0, text: 0, chunks: 0, ms: 0, cpuMs: 0 };
for (const [format, files] of corpus) {
  let input = 0;
  let text = 0;
  let chunks = 0;
  let ms = Infinity;
  let cpuMs = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    input = 0;
    text = 0;
    chunks = 0;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (const file of files) {
      const doc = await parseDocument(file.bytes, { fileName: file.name });
      chunks += chunkSections(doc.sections).length;
      for (const attachment of doc.attachments) chunks += chunkSections(attachment.sections).length;
      input += file.bytes.length;
      text += textBytes(doc);
    }
    ms = Math.min(ms, performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    cpuMs = Math.min(cpuMs, (cpu.user + cpu.system) / 1000);
  }
  rows.push(row(format, files.length, input, text, chunks, ms, cpuMs));
  totals.files += files.length;
  totals.input += input;
  totals.text += text;
  totals.chunks += chunks;
  totals.ms += ms;
  totals.cpuMs += cpuMs;
}
rows.push(row('**all**', totals.files, totals.input, totals.text, totals.chunks, totals.ms, totals.cpuMs));

function row(
  format: string,
  files: number,
  input: number,
  text: number,
  chunks: number,
  ms: number,
  cpuMs: number,
): string {
  const seconds = ms / 1000;
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return `| ${format} | ${files} | ${mb(input).toFixed(2)} | ${(mb(input) / seconds).toFixed(2)} | ${mb(text).toFixed(2)} | ${(mb(text) / seconds).toFixed(2)} | ${(files / seconds).toFixed(1)} | ${(chunks / seconds).toFixed(0)} | ${(cpuMs / files).toFixed(2)} |`;
}

console.log(
  `Parse + chunk, one thread, Node ${process.version}, ${PARAGRAPHS_PER_FILE} JSQuAD paragraphs per file, best of ${ROUNDS} rounds, load average ${os.loadavg()[0]?.toFixed(2)}\n`,
);
console.log(
  '| format | files | input MB | input MB/s | text MB | text MB/s | docs/s | chunks/s | CPU ms/file |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const line of rows) console.log(line);
