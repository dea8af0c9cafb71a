import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceRepository } from '../../src/connectors/source-repository.js';
import { DocumentRepository } from '../../src/ingest/documents/document-repository.js';
import { storedChunk } from '../../src/ingest/documents/document-types.js';
import type { Database } from '../../src/platform/db/database.js';
import { createAnalyzer } from '../../src/search/analysis/create-analyzer.js';
import {
  analyseSentences,
  composeChunk,
  composedAgreement,
  storeGeneratedDocuments,
} from '../../src/search/bench/generated-chunks.js';
import { corpusSentences, prng } from '../../src/search/bench/retrieval-bench.js';
import { LexicalSearch } from '../../src/search/lexical/lexical-search.js';
import type { LexicalIndex } from '../../src/search/lexical/lexical-index.js';
import { prepareQuery } from '../../src/search/query.js';
import { createTenancy } from '../../src/tenancy/tenancy-module.js';
import { loadBenchmark } from '../../bench/tokenizers/data.js';
import { createCompany } from '../helpers/factories.js';
import { ENGINES, createTestDatabase } from '../helpers/test-database.js';
import { closeTo, reference } from './helpers.js';

const analyzer = await createAnalyzer();

/**
 * `kura bench retrieval --scale`: generated chunks are loaded in bulk and the index built once.
 * What a user checks: they are real documents of the company, searched by the product's path
 * with exactly the BM25 scores of every chunk the company now holds.
 */
describe.each(ENGINES)('bulk-loaded generated chunks on %s', (engine) => {
  let db: Database;
  let lexical: LexicalSearch;
  let index: LexicalIndex;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    // PGlite has pg_textsearch (auto picks it); the test server has not (portable SQL).
    lexical = new LexicalSearch(db, { reconcileDelayMs: 3_600_000 });
    index = await lexical.index();
  });
  afterAll(async () => {
    lexical.stop();
    await db.close();
  });

  it('are documents of the company, ranked exactly as the reference BM25 over all its chunks', async () => {
    const tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    const company = await createCompany(tenancy);
    const bench = loadBenchmark();
    const paragraphs = bench.docs.slice(0, 80);
    const source = await new SourceRepository(db).insert(company.id, {
      id: randomUUID(),
      kind: 'upload',
      name: 'bench',
      settings: {},
      secret: null,
    });
    // The base corpus through the repository ingest uses (one chunk per paragraph).
    const documents = new DocumentRepository(db, lexical.hooks);
    for (const [i, text] of paragraphs.slice(0, 20).entries()) {
      await documents.saveIndexed(company.id, {
        id: randomUUID(),
        identity: {
          sourceId: source.id,
          externalId: `p${i}.txt`,
          title: `p${i}`,
          uri: `test://p${i}`,
          sizeBytes: 0,
          modifiedAt: null,
          acl: ['everyone'],
        },
        mimeType: 'text/plain',
        contentHash: String(i),
        metadata: {},
        chunks: [storedChunk(0, text, analyzer.analyze(text))],
        tables: [],
      });
    }

    const sentences = analyseSentences(corpusSentences(paragraphs), analyzer);
    const random = prng(7);
    const sample = Array.from({ length: 40 }, () => composeChunk(sentences, random));
    expect(sample.every((c) => c.text.length <= 400)).toBe(true);
    // The composed token streams are what analysing the whole chunk text gives.
    expect(composedAgreement(sample, analyzer)).toBeGreaterThanOrEqual(0.95);

    const { loaded } = await lexical.bulkLoad(company.id, () =>
      storeGeneratedDocuments(
        db,
        { tenantId: company.id, sourceId: source.id },
        () => composeChunk(sentences, random),
        230,
        { chunksPerDocument: 50, documentsPerStatement: 2 },
      ),
    );
    expect(loaded).toEqual({ documents: 5, chunks: 230 });
    const [counts] = await db.tenant(company.id, (tx) =>
      tx.query<{ docs: number; chunks: number; indexed: number }>(
        `SELECT (SELECT count(*)::int FROM documents WHERE tenant_id = $1) AS docs,
                (SELECT count(*)::int FROM chunks WHERE tenant_id = $1) AS chunks,
                (SELECT sum(chunk_count)::int FROM documents WHERE tenant_id = $1 AND status = 'indexed') AS indexed`,
        [company.id],
      ),
    );
    expect(counts).toEqual({ docs: 25, chunks: 250, indexed: 250 });

    // pg_textsearch: the index was built after the load, so lengths are in its 1-byte encoding.
    const ref = await reference(db, company.id, index.engine === 'pg_textsearch');
    const tolerance = index.engine === 'pg_textsearch' ? 1e-5 : 1e-9;
    for (const q of bench.queries.slice(0, 15)) {
      const terms = prepareQuery((t) => analyzer.analyze(t), q.text).terms;
      const hits = await db.tenant(company.id, (tx) =>
        index.search(tx, { tenantId: company.id, terms, principals: ['everyone'], limit: 10 }),
      );
      const expected = ref.top(terms, 10);
      expect(hits.length, q.text).toBe(expected.length);
      hits.forEach((hit, i) =>
        expect(closeTo(hit.score, expected[i]!, tolerance), `${q.text} rank ${i + 1}`).toBe(true),
      );
    }
  }, 300_000);
});
