import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKnowledge } from '../../ingest/knowledge-module.js';
import type { Database } from '../../platform/db/database.js';
import { openDatabase } from '../../platform/db/open-database.js';
import { createScratchDatabase } from '../../platform/db/scratch-database.js';
import { redactUrl } from '../../platform/db/postgres-database.js';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { Logger } from '../../platform/log/logger.js';
import { OPERATOR, type Actor } from '../../tenancy/actor.js';
import { createTenancy } from '../../tenancy/tenancy-module.js';
import type { LexicalEngine } from '../lexical/lexical-index.js';
import { bm25IndexName, partitionName, PgTextsearchIndex } from '../lexical/pg-textsearch-index.js';
import {
  analyseSentences,
  composeChunk,
  composedAgreement,
  storeGeneratedDocuments,
} from './generated-chunks.js';
import { ndcgCi95, qualityFromRanks, type Quality } from './metrics.js';

/** SQuAD-format file: data[].paragraphs[].context and qas[].question. */
interface SquadFile {
  data?: {
    paragraphs?: {
      context?: unknown;
      qas?: { question?: unknown; id?: unknown; answers?: { text?: unknown }[] }[];
    }[];
  }[];
}

export interface BenchCorpus {
  paragraphs: string[];
  /** `answers`: the gold answer strings (SQuAD `answers[].text`), for `kura bench answer`. */
  queries: { id: string; text: string; gold: number; answers: string[] }[];
}

/** Queries and their paragraphs from the dataset; more paragraphs (no queries) from the distractor files. Duplicates count once. */
export function loadSquadCorpus(dataset: string, distractors: readonly string[]): BenchCorpus {
  const paragraphs: string[] = [];
  const index = new Map<string, number>();
  const add = (context: string): number => {
    let i = index.get(context);
    if (i === undefined) {
      i = paragraphs.length;
      paragraphs.push(context);
      index.set(context, i);
    }
    return i;
  };
  const read = (file: string): SquadFile => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as SquadFile;
    } catch (error) {
      throw new InvalidRequestError(
        `cannot read ${file} as SQuAD JSON: ${(error as Error).message}`,
        'invalid_dataset',
      );
    }
  };
  const queries: BenchCorpus['queries'] = [];
  for (const article of read(dataset).data ?? []) {
    for (const p of article.paragraphs ?? []) {
      if (typeof p.context !== 'string' || p.context.trim() === '') continue;
      const gold = add(p.context);
      for (const qa of p.qas ?? []) {
        if (typeof qa.question === 'string' && qa.question.trim() !== '') {
          const answers = (qa.answers ?? [])
            .map((a) => a.text)
            .filter((a): a is string => typeof a === 'string' && a !== '');
          queries.push({ id: String(qa.id ?? queries.length), text: qa.question, gold, answers });
        }
      }
    }
  }
  if (queries.length === 0)
    throw new InvalidRequestError(
      `${dataset} has no questions (data[].paragraphs[].qas[])`,
      'invalid_dataset',
    );
  for (const file of distractors) {
    for (const article of read(file).data ?? []) {
      for (const p of article.paragraphs ?? [])
        if (typeof p.context === 'string' && p.context.trim() !== '') add(p.context);
    }
  }
  return { paragraphs, queries };
}

export interface RetrievalBenchOptions {
  dataset: string;
  distractors?: readonly string[];
  /** A PostgreSQL server: the bench creates a fresh database there and drops it afterwards. */
  dbUrl?: string | undefined;
  /** Add generated distractor chunks until the company holds this many chunks. */
  scale?: number | undefined;
  engine?: 'auto' | LexicalEngine;
  /** Only the first N questions (quick runs). */
  maxQueries?: number | undefined;
  /** Shared buffers of the embedded database (KURA_EMBEDDED_BUFFERS_MB). */
  embeddedBuffersMb?: number;
  /** The file each paragraph is ingested as; by default a UTF-8 text file (bench/retrieval-files.ts passes other formats). */
  document?: (paragraph: string, index: number) => Promise<{ name: string; bytes: Buffer }>;
  logger: Logger;
  progress?: (line: string) => void;
}

export interface Latency {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
}

export interface RetrievalBenchReport {
  database: 'pglite' | 'postgres';
  engine: LexicalEngine;
  documents: number;
  chunks: number;
  queries: number;
  quality: Quality & { ndcg10Ci95: number; misses20: number };
  index: {
    /** Ingest of the dataset's paragraphs, end to end. */
    ms: number;
    /** The lexical index (everything but the chunks table). */
    bytes: number;
    parts: Record<string, number>;
    scaleMs?: number;
    scaleChunks?: number;
    /** With --scale: the index of the dataset's paragraphs alone, before the generated chunks. */
    base?: { bytes: number; parts: Record<string, number> };
    scale?: ScaleReport & { bytes: number };
  };
  query: Latency;
  /** pg_textsearch: the index rebuilt from its table (what a restart does), then the questions asked again. */
  rebuild?: { ms: number; query: Latency; ndcg10: number };
  setupMs: { database: number; analyzer: number; searchEngine: number };
}

/** How `--scale` chunks were made and loaded. */
export interface ScaleReport {
  chunks: number;
  documents: number;
  /** Distinct corpus sentences, each analysed once. */
  sentences: number;
  /** Share of a sample of generated chunks whose composed tokens equal the analysis of their whole text. */
  composedAgreement: number;
  analyseMs: number;
  loadMs: number;
  /** The index built once over every chunk after the load (portable: every posting rebuilt). */
  buildMs: number;
}

const indexBytes = (parts: Record<string, number>) =>
  Object.values(parts).reduce((a, b) => a + b, 0) - (parts.chunks ?? 0);

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number);

/** Small deterministic PRNG (mulberry32) so that --scale builds the same distractors every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sentences of the corpus (Japanese 。！？ or Latin . ! ?), the material of generated distractors. */
export function corpusSentences(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs)
    for (const m of p.matchAll(/[^。！？!?]+[。！？!?]*/gu))
      if (m[0].trim().length >= 8) out.push(m[0].trim());
  return out;
}

async function sizes(db: Database, engine: LexicalEngine, tenantId: string): Promise<Record<string, number>> {
  return db.owner(async (tx) => {
    const size = async (relation: string) =>
      Number(
        (
          await tx.query<{ n: string }>('SELECT pg_total_relation_size($1::regclass)::text AS n', [relation])
        )[0]?.n ?? 0,
      );
    const parts: Record<string, number> = { chunks: await size('chunks') };
    if (engine === 'pg_textsearch') {
      parts.bm25Index = await size(bm25IndexName(tenantId));
      parts.searchChunks = Number(
        (
          await tx.query<{ n: string }>('SELECT pg_table_size($1::regclass)::text AS n', [
            partitionName(tenantId),
          ])
        )[0]?.n ?? 0,
      );
    } else {
      parts.postings = await size('search_postings');
      parts.terms = await size('search_terms');
      parts.stats = await size('search_stats');
    }
    return parts;
  });
}

/**
 * `kura bench retrieval`: the product's own ingest and search path on a fresh database. Each unique
 * paragraph becomes one document, a text file unless `document` says otherwise (IngestService:
 * parse → chunk → analyse → store), each question is asked through SearchService as a member API
 * key of the company (so the document ACL filter is part of every query), and the question's own
 * paragraph is the one relevant document.
 */
export async function runRetrievalBench(options: RetrievalBenchOptions): Promise<RetrievalBenchReport> {
  const say = options.progress ?? (() => undefined);
  const corpus = loadSquadCorpus(options.dataset, options.distractors ?? []);
  const queries = options.maxQueries ? corpus.queries.slice(0, options.maxQueries) : corpus.queries;
  say(`corpus: ${corpus.paragraphs.length} paragraphs, ${queries.length} questions`);

  let t = performance.now();
  const server = options.dbUrl ? await createScratchDatabase(options.dbUrl) : undefined;
  const dataDir = server ? undefined : mkdtempSync(path.join(os.tmpdir(), 'kura-bench-'));
  let db: Database | undefined;
  let stopSearch = () => undefined as void;
  try {
    db = await openDatabase({
      dataDir: dataDir ?? os.tmpdir(),
      databaseUrl: server?.url,
      embeddedBuffersMb: options.embeddedBuffersMb,
    });
    say(`database: ${server ? `PostgreSQL ${redactUrl(server.url)}` : `embedded PGlite in ${dataDir}`}`);
    const setupDatabase = performance.now() - t;
    const tenancy = createTenancy(db, {
      sessionTtlMs: 3_600_000,
      login: { maxFailures: 5, lockoutMs: 60_000 },
    });
    const knowledge = createKnowledge(db, { logger: options.logger, searchEngine: options.engine ?? 'auto' });
    stopSearch = () => knowledge.lexical.stop();
    t = performance.now();
    const index = await knowledge.lexical.index();
    const setupEngine = performance.now() - t;
    t = performance.now();
    const ingest = await knowledge.ingest();
    const search = await knowledge.search();
    const setupAnalyzer = performance.now() - t;
    say(`search engine: ${index.engine}`);

    const company = await tenancy.companies.create(OPERATOR, {
      slug: `bench-${randomBytes(3).toString('hex')}`,
      name: 'Retrieval bench',
    });
    const source = await knowledge.repos.sources.insert(company.id, {
      id: randomUUID(),
      kind: 'upload',
      name: 'bench',
      settings: {},
      secret: null,
    });
    const identity = (name: string) => ({
      sourceId: source.id,
      externalId: name,
      title: name,
      uri: `bench://${name}`,
      sizeBytes: 0,
      modifiedAt: null,
      acl: ['everyone'],
    });

    // Index the corpus through the real ingest path.
    const docOf = new Map<string, number>();
    t = performance.now();
    const document =
      options.document ??
      ((paragraph, i) => Promise.resolve({ name: `p${i}.txt`, bytes: Buffer.from(paragraph) }));
    for (const [i, paragraph] of corpus.paragraphs.entries()) {
      const file = await document(paragraph, i);
      const outcome = await ingest.ingest(company.id, identity(file.name), file.bytes);
      if (outcome.status !== 'indexed') throw new Error(`paragraph ${i} was not indexed: ${outcome.status}`);
      docOf.set(outcome.document.id, i);
      if ((i + 1) % 1000 === 0) say(`indexed ${i + 1}/${corpus.paragraphs.length}`);
    }
    const indexMs = performance.now() - t;

    const countChunks = async () =>
      Number(
        (
          await db!.tenant(company.id, (tx) =>
            tx.query<{ n: string }>('SELECT count(*)::text AS n FROM chunks WHERE tenant_id = $1', [
              company.id,
            ]),
          )
        )[0]?.n ?? 0,
      );
    let chunks = await countChunks();
    let base: Record<string, number> | undefined;

    // --scale: generated distractors (shuffled corpus sentences) stored as real text documents of
    // the company, each distinct sentence analysed once, loaded in bulk, the index built once.
    let scale: ScaleReport | undefined;
    if (options.scale !== undefined && options.scale > chunks) {
      base = await sizes(db, index.engine, company.id);
      const analyzer = await knowledge.analyzer();
      t = performance.now();
      const sentences = analyseSentences(corpusSentences(corpus.paragraphs), analyzer);
      const analyseMs = performance.now() - t;
      const random = prng(20261125);
      const sample = Array.from({ length: 200 }, () => composeChunk(sentences, random));
      const agreement = composedAgreement(sample, analyzer);
      const want = options.scale - chunks;
      t = performance.now();
      const { loaded, buildMs } = await knowledge.lexical.bulkLoad(company.id, () =>
        storeGeneratedDocuments(
          db!,
          { tenantId: company.id, sourceId: source.id },
          () => composeChunk(sentences, random),
          want,
          {
            progress: (done) =>
              done % 20_000 < 2_000 && say(`scale: ${done}/${want} generated chunks stored`),
          },
        ),
      );
      const totalMs = performance.now() - t;
      chunks = await countChunks();
      scale = {
        chunks: loaded.chunks,
        documents: loaded.documents,
        sentences: sentences.length,
        composedAgreement: agreement,
        analyseMs,
        loadMs: totalMs - buildMs,
        buildMs,
      };
      say(`scale: ${chunks} chunks; index built in ${(buildMs / 1000).toFixed(1)} s`);
    }

    // What autovacuum would do on a server (PGlite has none): fresh planner statistics.
    await db.owner((tx) => tx.exec('ANALYZE'));

    const actor: Actor = {
      kind: 'api_key',
      id: randomUUID(),
      role: 'member',
      tenantId: company.id,
      groupId: null,
    };
    const measure = async (label: string) => {
      for (const q of queries.slice(0, 20)) await search.search(actor, company.id, { q: q.text, limit: 20 });
      const ranks: number[] = [];
      const times: number[] = [];
      for (const [i, q] of queries.entries()) {
        const start = performance.now();
        const response = await search.search(actor, company.id, { q: q.text, limit: 20 });
        times.push(performance.now() - start);
        const at = response.results.findIndex((r) => docOf.get(r.documentId) === q.gold);
        ranks.push(at < 0 ? Infinity : at + 1);
        if ((i + 1) % 1000 === 0) say(`${label}: ${i + 1}/${queries.length} questions`);
      }
      times.sort((a, b) => a - b);
      return {
        ranks,
        latency: {
          p50Ms: percentile(times, 0.5),
          p95Ms: percentile(times, 0.95),
          p99Ms: percentile(times, 0.99),
          meanMs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
        },
      };
    };
    const first = await measure('queries');
    const ranks = first.ranks;
    // Said at once: at scale the rebuild below can take long, and a run stopped during it keeps this.
    const l = first.latency;
    say(
      `queries: p50 ${l.p50Ms.toFixed(1)} ms, p95 ${l.p95Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms; nDCG@10 ${qualityFromRanks(ranks).ndcg10.toFixed(4)}`,
    );
    // pg_textsearch: the index as a restart leaves it (rebuilt from the table, segments on disk).
    let rebuild: RetrievalBenchReport['rebuild'];
    if (index instanceof PgTextsearchIndex) {
      t = performance.now();
      await index.reconcile(company.id, true);
      const ms = performance.now() - t;
      say(`rebuild: the index rebuilt as a restart would in ${(ms / 1000).toFixed(1)} s`);
      const again = await measure('queries after rebuild');
      rebuild = { ms, query: again.latency, ndcg10: qualityFromRanks(again.ranks).ndcg10 };
    }
    const parts = await sizes(db, index.engine, company.id);
    return {
      database: db.kind,
      engine: index.engine,
      documents: corpus.paragraphs.length,
      chunks,
      queries: queries.length,
      quality: {
        ...qualityFromRanks(ranks),
        ndcg10Ci95: ndcgCi95(ranks),
        misses20: ranks.filter((r) => r > 20).length,
      },
      index: {
        ms: indexMs,
        bytes: indexBytes(parts),
        parts,
        ...(scale
          ? {
              scaleMs: scale.analyseMs + scale.loadMs + scale.buildMs,
              scaleChunks: chunks,
              base: { bytes: indexBytes(base ?? {}), parts: base ?? {} },
              scale: { ...scale, bytes: indexBytes(parts) - indexBytes(base ?? {}) },
            }
          : {}),
      },
      query: first.latency,
      ...(rebuild ? { rebuild } : {}),
      setupMs: { database: setupDatabase, analyzer: setupAnalyzer, searchEngine: setupEngine },
    };
  } finally {
    stopSearch();
    await db?.close().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await server?.drop().catch(() => undefined);
  }
}
