/**
 * The mixed Japanese corpus of `bench/ingest.ts`: JSQuAD paragraphs (../shared/bench) written as
 * text, Markdown, HTML, DOCX and PDF files by the test fixture generators, into a folder.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDocx, makeHtml, makeMarkdown, makePdf } from '../test/fixtures/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const datasetPath = path.resolve(here, '../../shared/bench/jsquad/test-v1.3.json');

interface Squad {
  data: { title: string; paragraphs: { context: string }[] }[];
}

type Sections = { heading: string; paragraphs: string[] }[];
const FORMATS: Record<string, (i: number, sections: Sections) => Promise<Buffer> | Buffer> = {
  txt: (_, sections) => Buffer.from(sections.flatMap((s) => s.paragraphs).join('\n\n')),
  md: (i, sections) => makeMarkdown({ title: `文書${i + 1}`, sections }),
  html: (i, sections) => makeHtml({ title: `ページ${i + 1}`, sections }),
  docx: (i, sections) => makeDocx({ title: `規程${i + 1}`, chapters: sections }),
  pdf: (_, sections) => makePdf(sections.map((s) => s.paragraphs)),
};

export interface Corpus {
  files: number;
  inputBytes: number;
  /** UTF-8 bytes of the Japanese paragraphs written into the files: what "MB/s of text" counts. */
  textBytes: number;
  byFormat: Record<string, number>;
}

export async function writeCorpus(
  folder: string,
  filesPerFormat: number,
  paragraphsPerFile: number,
): Promise<Corpus> {
  const dataset = JSON.parse(readFileSync(datasetPath, 'utf8')) as Squad;
  // JSQuAD contexts read "title [SEP] paragraph": keep the paragraph.
  const paragraphs = [
    ...new Set(dataset.data.flatMap((a) => a.paragraphs.map((p) => p.context.replace(/^.*?\[SEP\]\s*/, '')))),
  ];
  let cursor = 0;
  const corpus: Corpus = { files: 0, inputBytes: 0, textBytes: 0, byFormat: {} };
  for (const [extension, build] of Object.entries(FORMATS)) {
    for (let i = 0; i < filesPerFormat; i++) {
      const texts = Array.from(
        { length: paragraphsPerFile },
        () => paragraphs[cursor++ % paragraphs.length]!,
      );
      const sections = Array.from({ length: Math.ceil(texts.length / 4) }, (_, j) => ({
        heading: `第${j + 1}章`,
        paragraphs: texts.slice(j * 4, j * 4 + 4),
      }));
      const bytes = await build(i, sections);
      writeFileSync(path.join(folder, `${extension}-${i}.${extension}`), bytes);
      corpus.files++;
      corpus.inputBytes += bytes.length;
      corpus.textBytes += Buffer.byteLength(texts.join(''));
      corpus.byFormat[extension] = (corpus.byFormat[extension] ?? 0) + 1;
    }
  }
  return corpus;
}
