import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKnowledge } from '../../ingest/knowledge-module.js';
import type { Database } from '../../platform/db/database.js';
import { openDatabase } from '../../platform/db/open-database.js';
import type { Logger } from '../../platform/log/logger.js';
import { loadSquadCorpus, type BenchCorpus } from '../../search/bench/retrieval-bench.js';
import type { Passage } from '../../search/search-service.js';
import { OPERATOR, type Actor } from '../../tenancy/actor.js';
import { createTenancy } from '../../tenancy/tenancy-module.js';
import type { Citation } from '../engine/answer-engine.js';
import { ExtractiveEngine, EXTRACTIVE_PASSAGES } from '../engine/extractive-engine.js';
import { DEFAULT_EXTRACT, type ExtractOptions } from '../engine/extract-answer.js';
import { languageOf } from '../language.js';

export interface AnswerBenchOptions {
  dataset: string;
  distractors?: readonly string[];
  /**
   * Questions with no answer in the corpus: their paragraphs are left out. When the file is also a
   * distractor file, every other paragraph of it is held out (its questions asked) and the rest kept.
   */
  unanswerable?: string | undefined;
  /** Only the first N questions of the dataset (and of the unanswerable file). */
  maxQueries?: number | undefined;
  extract?: ExtractOptions;
  logger: Logger;
  progress?: (line: string) => void;
  /** Every question's retrieved passages (calibration scripts). */
  onQuestion?: (
    question: { text: string; answers: string[]; answerable: boolean },
    passages: Passage[],
  ) => void;
}

export interface AnswerBenchReport {
  documents: number;
  questions: number;
  /** Share of answerable questions whose gold answer appears in the ≤ 200-character answer. */
  answerHit: number;
  /** Share of citations (of answerable questions) whose quoted passage contains the gold answer. */
  citationPrecision: number;
  /** Answerable questions answered "not found". */
  notFoundOnAnswerable: number;
  unanswerable: { questions: number; notFoundRate: number } | null;
  /** Time to the first text event of the engine (retrieval included). */
  firstTextMs: { p50: number; p95: number };
  indexMs: number;
  threshold: number;
}

interface Question {
  text: string;
  answers: string[];
  answerable: boolean;
}

/** Corpus and questions: the dataset's, plus the held-out unanswerable ones. */
function buildCorpus(options: AnswerBenchOptions): { paragraphs: string[]; questions: Question[] } {
  const distractors = (options.distractors ?? []).filter((d) => d !== options.unanswerable);
  const main: BenchCorpus = loadSquadCorpus(options.dataset, distractors);
  const limit = (n: number) => options.maxQueries ?? n;
  const questions: Question[] = main.queries
    .slice(0, limit(main.queries.length))
    .map((q) => ({ text: q.text, answers: q.answers, answerable: true }));
  const paragraphs = [...main.paragraphs];
  if (options.unanswerable) {
    const other = loadSquadCorpus(options.unanswerable, []);
    const alsoDistractor = (options.distractors ?? []).includes(options.unanswerable);
    const present = new Set(paragraphs);
    const heldOut = new Set<number>();
    other.paragraphs.forEach((p, i) => {
      if (alsoDistractor && i % 2 === 0) {
        if (!present.has(p)) paragraphs.push(p);
      } else if (!present.has(p)) heldOut.add(i);
    });
    const unanswerable = other.queries.filter((q) => heldOut.has(q.gold));
    questions.push(
      ...unanswerable
        .slice(0, limit(unanswerable.length))
        .map((q) => ({ text: q.text, answers: q.answers, answerable: false })),
    );
  }
  return { paragraphs, questions };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number);

/**
 * `kura bench answer`: each paragraph ingested as a text document through IngestService on a fresh
 * embedded database, each question answered by the extractive engine over SearchService as a
 * member API key of the company (the ACL filter is part of every query).
 */
export async function runAnswerBench(options: AnswerBenchOptions): Promise<AnswerBenchReport> {
  const say = options.progress ?? (() => undefined);
  const { paragraphs, questions } = buildCorpus(options);
  const answerable = questions.filter((q) => q.answerable).length;
  say(
    `corpus: ${paragraphs.length} paragraphs; ${answerable} answerable and ${questions.length - answerable} unanswerable questions`,
  );
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-bench-answer-'));
  let db: Database | undefined;
  let stop = () => undefined as void;
  try {
    db = await openDatabase({ dataDir, databaseUrl: undefined });
    const tenancy = createTenancy(db, {
      sessionTtlMs: 3_600_000,
      login: { maxFailures: 5, lockoutMs: 60_000 },
    });
    const knowledge = createKnowledge(db, { logger: options.logger });
    stop = () => knowledge.lexical.stop();
    const ingest = await knowledge.ingest();
    const search = await knowledge.search();
    const company = await tenancy.companies.create(OPERATOR, {
      slug: `bench-${randomUUID().slice(0, 6)}`,
      name: 'Answer bench',
    });
    const source = await knowledge.repos.sources.insert(company.id, {
      id: randomUUID(),
      kind: 'upload',
      name: 'bench',
      settings: {},
      secret: null,
    });
    let t = performance.now();
    for (const [i, paragraph] of paragraphs.entries()) {
      const name = `p${i}.txt`;
      const identity = {
        sourceId: source.id,
        externalId: name,
        title: name,
        uri: `bench://${name}`,
        sizeBytes: 0,
        modifiedAt: null,
        acl: ['everyone'],
      };
      const outcome = await ingest.ingest(company.id, identity, Buffer.from(paragraph, 'utf8'));
      if (outcome.status !== 'indexed') throw new Error(`paragraph ${i} was not indexed: ${outcome.status}`);
      if ((i + 1) % 1000 === 0) say(`indexed ${i + 1}/${paragraphs.length}`);
    }
    const indexMs = performance.now() - t;
    await db.owner((tx) => tx.exec('ANALYZE'));

    const actor: Actor = {
      kind: 'api_key',
      id: randomUUID(),
      role: 'member',
      tenantId: company.id,
      groupId: null,
    };
    const engine = new ExtractiveEngine(options.extract ?? DEFAULT_EXTRACT);
    let hits = 0;
    let cited = 0;
    let citedRight = 0;
    let notFoundAnswerable = 0;
    let notFoundUnanswerable = 0;
    const times: number[] = [];
    for (const [i, q] of questions.entries()) {
      let retrieved: Passage[] = [];
      const retrieval = {
        passages: async (query: string, limit: number) =>
          (retrieved = await search.passages(actor, company.id, { q: query, limit })),
      };
      t = performance.now();
      let text = '';
      let found = false;
      let first: number | undefined;
      const citations: Citation[] = [];
      for await (const event of engine.answer({
        question: q.text,
        language: languageOf(q.text),
        history: [],
        retrieval,
      })) {
        if (event.type === 'text') {
          first ??= performance.now() - t;
          text += event.delta;
        } else if (event.type === 'citation') citations.push(event.citation);
        else found = event.found;
      }
      times.push(first ?? performance.now() - t);
      options.onQuestion?.(q, retrieved.slice(0, EXTRACTIVE_PASSAGES));
      if (q.answerable) {
        if (!found) notFoundAnswerable++;
        else if (q.answers.some((a) => text.includes(a))) hits++;
        for (const c of citations) {
          cited++;
          if (q.answers.some((a) => c.quote.includes(a))) citedRight++;
        }
      } else if (!found) notFoundUnanswerable++;
      if ((i + 1) % 500 === 0) say(`answered ${i + 1}/${questions.length}`);
    }
    times.sort((a, b) => a - b);
    const unanswerable = questions.length - answerable;
    return {
      documents: paragraphs.length,
      questions: answerable,
      answerHit: hits / Math.max(1, answerable),
      citationPrecision: citedRight / Math.max(1, cited),
      notFoundOnAnswerable: notFoundAnswerable / Math.max(1, answerable),
      unanswerable:
        unanswerable > 0
          ? { questions: unanswerable, notFoundRate: notFoundUnanswerable / unanswerable }
          : null,
      firstTextMs: { p50: percentile(times, 0.5), p95: percentile(times, 0.95) },
      indexMs,
      threshold: (options.extract ?? DEFAULT_EXTRACT).threshold,
    };
  } finally {
    stop();
    await db?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
