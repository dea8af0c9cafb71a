import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentRepository } from '../../src/ingest/documents/document-repository.js';
import type { Database } from '../../src/platform/db/database.js';
import type { LexicalHit } from '../../src/search/lexical/lexical-index.js';
import { createAnalyzer } from '../../src/search/analysis/create-analyzer.js';
import { bm25IndexName, PgTextsearchIndex } from '../../src/search/lexical/pg-textsearch-index.js';
import { prepareQuery } from '../../src/search/query.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { loadBenchmark } from '../../bench/tokenizers/data.js';
import { createCompany } from '../helpers/factories.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { bothPaths, closeTo, reference, saveDocs, type Paths } from './helpers.js';

const analyzer = await createAnalyzer();

/**
 * Writes can bound pg_textsearch's in-memory table (MEMTABLE_SPILL_POSTINGS, off by default): past
 * the bound, the rows go to a segment on disk at the end of the writing transaction. Search over those segments
 * must be exactly what a freshly built index gives (the state after any rebuild), and equal the
 * reference BM25 with pg_textsearch's 1-byte length encoding.
 */
describe('pg_textsearch with a bounded in-memory table (PGlite)', () => {
  let db: Database;
  let tenancy: Tenancy;
  let paths: Paths;
  let index: PgTextsearchIndex;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    paths = await bothPaths(db, 'pglite');
    // A bound of one posting: every write transaction spills what it indexed.
    index = new PgTextsearchIndex(db, 1);
    paths = {
      ...paths,
      documents: new DocumentRepository(db, {
        beforeWrite: (tenantId) => index.prepareTenant(tenantId),
        inTransaction: (tx) => index.boundMemtable(tx),
      }),
    };
  });
  afterAll(() => db.close());

  const search = (tenantId: string, terms: readonly string[]) =>
    db.tenant(tenantId, (tx) => index.search(tx, { tenantId, terms, principals: null, limit: 10 }));

  it('ranks spilled rows exactly as a rebuilt index and the reference do', async () => {
    const bench = loadBenchmark();
    const company = await createCompany(tenancy);
    const docs = bench.docs.slice(0, 80).map((text) => ({ tokens: analyzer.analyze(text), text }));
    await saveDocs(paths, company.id, docs);
    const summary = await db.owner((tx) =>
      tx.query<{ s: string }>('SELECT bm25_summarize_index($1) AS s', [bm25IndexName(company.id)]),
    );
    // The rows are in segments on disk, not in memory.
    expect(summary[0]!.s).toMatch(/L\d Segment/);
    expect((await index.stats(company.id))?.index.docs).toBe(80);

    const queries = bench.queries
      .slice(0, 30)
      .map((q) => prepareQuery((t) => analyzer.analyze(t), q.text).terms);
    const spilled: LexicalHit[][] = [];
    for (const terms of queries) spilled.push(await search(company.id, terms));
    const ref = await reference(db, company.id, true);
    queries.forEach((terms, q) => {
      const expected = ref.top(terms, 10);
      expect(spilled[q]!.length).toBe(expected.length);
      spilled[q]!.forEach((hit, i) =>
        expect(closeTo(hit.score, expected[i]!, 1e-5), `${terms.join(' ')} rank ${i + 1}`).toBe(true),
      );
    });

    await index.reconcile(company.id, true);
    for (const [q, terms] of queries.entries()) {
      const rebuilt = await search(company.id, terms);
      expect(rebuilt.map((h) => `${h.documentId}/${h.ordinal}`)).toEqual(
        spilled[q]!.map((h) => `${h.documentId}/${h.ordinal}`),
      );
      // float4 scores: equal to float4 precision (segments merged in another order sum differently).
      rebuilt.forEach((hit, i) => expect(closeTo(hit.score, spilled[q]![i]!.score, 1e-6)).toBe(true));
    }
  }, 120_000);
});
