import { readFileSync } from 'node:fs';

interface SquadFile {
  data: { paragraphs: { context: string; qas: { question: string; id: string }[] }[] }[];
}

export interface Benchmark {
  readonly docs: readonly string[];
  readonly queries: readonly { readonly id: string; readonly text: string; readonly gold: number }[];
}

import { fileURLToPath } from 'node:url';

// The project's shared folder sits beside the repository (../shared), in CI as on a developer's machine.
const SHARED = fileURLToPath(new URL('../../../shared/bench/', import.meta.url));
const JSQUAD = `${SHARED}jsquad/test-v1.3.json`;
const JAQUAD = `${SHARED}jaquad/dev.json`;

/** Queries: all JSQuAD test questions. Corpus: unique paragraphs of JSQuAD test + JaQuAD dev. */
export function loadBenchmark(): Benchmark {
  const jsquad = JSON.parse(readFileSync(JSQUAD, 'utf8')) as SquadFile;
  const jaquad = JSON.parse(readFileSync(JAQUAD, 'utf8')) as SquadFile;
  const docIndex = new Map<string, number>();
  const docs: string[] = [];
  const add = (context: string): number => {
    let i = docIndex.get(context);
    if (i === undefined) {
      i = docs.length;
      docs.push(context);
      docIndex.set(context, i);
    }
    return i;
  };
  const queries: { id: string; text: string; gold: number }[] = [];
  for (const article of jsquad.data)
    for (const p of article.paragraphs) {
      const gold = add(p.context);
      for (const qa of p.qas) queries.push({ id: qa.id, text: qa.question, gold });
    }
  for (const article of jaquad.data) for (const p of article.paragraphs) add(p.context);
  return { docs, queries };
}
