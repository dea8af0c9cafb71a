import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectors } from '../../src/connectors/connectors-module.js';
import { SourceRepository } from '../../src/connectors/source-repository.js';
import { DocumentRepository } from '../../src/ingest/documents/document-repository.js';
import { FIRST_LOAD_MIN_FILES } from '../../src/connectors/sync/first-load.js';
import { createKnowledge, type Knowledge } from '../../src/ingest/knowledge-module.js';
import { IngestTracker, type IngestPhase } from '../../src/ingest/pipeline/ingest-tracker.js';
import type { Database } from '../../src/platform/db/database.js';
import type { PgTextsearchIndex } from '../../src/search/lexical/pg-textsearch-index.js';
import { bm25IndexName, partitionName } from '../../src/search/lexical/pg-textsearch-index.js';
import { LexicalSearch } from '../../src/search/lexical/lexical-search.js';
import { PortableIndex } from '../../src/search/lexical/portable-index.js';
import { bindTenant } from '../../src/search/lexical/search-triggers.js';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { createCompany } from '../helpers/factories.js';
import { ENGINES, createTestDatabase } from '../helpers/test-database.js';
import { closeTo, reference, saveDocs, type Paths } from './helpers.js';

/**
 * A company's first load on pg_textsearch (embedded): its bm25 index is built once after the
 * load instead of row by row. What a user checks: nothing errors meanwhile, and afterwards every
 * document is found with the scores a reference BM25 gives over all the company's chunks.
 */
let db: Database;
let tenancy: Tenancy;
let paths: Paths;
let lexical: LexicalSearch;
let index: PgTextsearchIndex;

beforeAll(async () => {
  db = await createTestDatabase('pglite');
  tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
  lexical = new LexicalSearch(db, { engine: 'pg_textsearch', reconcileDelayMs: 3_600_000 });
  index = (await lexical.index()) as PgTextsearchIndex;
  // Written as ingest writes: the repository tells this process's index before each write.
  const documents = new DocumentRepository(db, lexical.hooks);
  paths = { documents, sources: new SourceRepository(db) } as unknown as Paths;
});
afterAll(async () => {
  lexical.stop();
  await db.close();
});

const docs = (n: number, word: string) =>
  Array.from({ length: n }, (_, i) => ({ tokens: [word, `語${i % 7}`, '規程', ...Array(i % 5).fill('の')] }));

const indexExists = async (tenantId: string) =>
  (await db.owner((tx) => tx.query('SELECT 1 FROM pg_class WHERE relname = $1', [bm25IndexName(tenantId)])))
    .length > 0;

const search = (tenantId: string, terms: string[]) =>
  db.tenant(tenantId, (tx) => index.search(tx, { tenantId, terms, principals: ['everyone'], limit: 50 }));

/** Every query's hits have the reference BM25's scores (lengths in the build's 1-byte encoding). */
async function expectExact(tenantId: string, queries: string[][]) {
  const ref = await reference(db, tenantId, true);
  for (const terms of queries) {
    const hits = await search(tenantId, terms);
    const expected = ref.top(terms, 50);
    expect(hits.length, terms.join(' ')).toBe(expected.length);
    hits.forEach((hit, i) =>
      expect(closeTo(hit.score, expected[i]!, 1e-5), `${terms.join(' ')} #${i}`).toBe(true),
    );
  }
}

describe('first load on pg_textsearch', () => {
  it('an empty company: no index while loading, searches answer nothing instead of failing; then exact BM25 over everything', async () => {
    const company = await createCompany(tenancy);
    const phases: string[] = [];
    const loaded = await lexical.firstLoad(
      company.id,
      async () => {
        await saveDocs(paths, company.id, docs(30, '経費'));
        expect(await indexExists(company.id)).toBe(false);
        expect(await search(company.id, ['経費'])).toEqual([]);
        phases.push('loaded');
        return 'done';
      },
      () => phases.push('building'),
    );
    expect(loaded).toBe('done');
    expect(phases).toEqual(['loaded', 'building']);
    expect(await indexExists(company.id)).toBe(true);
    expect((await search(company.id, ['経費'])).length).toBe(30);
    const stats = await index.stats(company.id);
    expect(stats?.index).toEqual(stats?.rows);
    await expectExact(company.id, [['経費'], ['語3', '規程'], ['の', '語1']]);
  });

  it('a company that has documents keeps its index: they stay searchable during the load, new ones are found at once', async () => {
    const company = await createCompany(tenancy);
    await saveDocs(paths, company.id, docs(5, '旅費'));
    await lexical.firstLoad(company.id, async () => {
      expect(await indexExists(company.id)).toBe(true);
      await saveDocs(paths, company.id, docs(10, '経費'));
      expect((await search(company.id, ['旅費'])).length).toBe(5);
      expect((await search(company.id, ['経費'])).length).toBe(10);
    });
    await expectExact(company.id, [['旅費'], ['経費', '規程']]);
  });

  it('a load that fails still ends with the index built over what it wrote', async () => {
    const company = await createCompany(tenancy);
    await expect(
      lexical.firstLoad(company.id, async () => {
        await saveDocs(paths, company.id, docs(8, '経費'));
        throw new Error('the folder went away');
      }),
    ).rejects.toThrow('the folder went away');
    expect(await indexExists(company.id)).toBe(true);
    await expectExact(company.id, [['経費']]);
  });

  it('overlapping loads of one company share one build, made when the last ends', async () => {
    const company = await createCompany(tenancy);
    let releaseFirst!: () => void;
    const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));
    const builds: string[] = [];
    const first = lexical.firstLoad(
      company.id,
      async () => {
        await saveDocs(paths, company.id, docs(6, '経費'));
        await firstMayEnd;
      },
      () => builds.push('first'),
    );
    await lexical.firstLoad(
      company.id,
      async () => {
        await saveDocs(paths, company.id, docs(4, '旅費'));
      },
      () => builds.push('second'),
    );
    expect(await indexExists(company.id)).toBe(false);
    releaseFirst();
    await first;
    expect(builds).toEqual(['first']);
    await expectExact(company.id, [['経費'], ['旅費'], ['規程']]);
  });

  it('cut short by a crash: start-up fills the partition again from chunks and builds the index', async () => {
    const company = await createCompany(tenancy);
    await saveDocs(paths, company.id, docs(12, '経費'));
    // What a kill -9 in the middle of a first load leaves on PGlite: no index, and an unlogged
    // partition that recovery emptied.
    await db.owner(async (tx) => {
      await tx.query(`DROP INDEX ${bm25IndexName(company.id)}`);
      await bindTenant(tx, company.id);
      await tx.query(`DELETE FROM ${partitionName(company.id)}`);
    });
    const restarted = new LexicalSearch(db, { engine: 'pg_textsearch', reconcileDelayMs: 3_600_000 });
    const fresh = (await restarted.index()) as PgTextsearchIndex;
    expect(await indexExists(company.id)).toBe(true);
    const stats = await fresh.stats(company.id);
    expect(stats).toMatchObject({ chunks: 12, rows: { docs: 12 }, index: { docs: 12 } });
    await expectExact(company.id, [['経費', '語2']]);
    restarted.stop();
  });
});

/**
 * The portable path (a PostgreSQL server without pg_textsearch): a company's postings are computed
 * from its chunks once when its first load ends.
 */
describe('first load on the portable path', () => {
  let server: Database;
  let serverTenancy: Tenancy;
  let serverPaths: Paths;
  let serverLexical: LexicalSearch;
  beforeAll(async () => {
    server = await createTestDatabase('postgres');
    serverTenancy = createTenancy(server, {
      sessionTtlMs: 60_000,
      login: { maxFailures: 5, lockoutMs: 60_000 },
    });
    serverLexical = new LexicalSearch(server, { engine: 'portable' });
    await serverLexical.index();
    serverPaths = {
      documents: new DocumentRepository(server, serverLexical.hooks),
      sources: new SourceRepository(server),
    } as unknown as Paths;
  });
  afterAll(async () => {
    serverLexical.stop();
    await server.close();
  });

  const portable = new PortableIndex();
  const find = (tenantId: string, terms: string[]) =>
    server.tenant(tenantId, (tx) =>
      portable.search(tx, { tenantId, terms, principals: ['everyone'], limit: 50 }),
    );
  const deferred = async (tenantId: string) =>
    (
      await server.owner((tx) =>
        tx.query('SELECT 1 FROM search_postings_deferred WHERE tenant_id = $1', [tenantId]),
      )
    ).length > 0;
  async function expectExactOn(tenantId: string, queries: string[][]) {
    const ref = await reference(server, tenantId, false);
    for (const terms of queries) {
      const hits = await find(tenantId, terms);
      const expected = ref.top(terms, 50);
      expect(hits.length, terms.join(' ')).toBe(expected.length);
      hits.forEach((hit, i) =>
        expect(closeTo(hit.score, expected[i]!, 1e-9), `${terms.join(' ')} #${i}`).toBe(true),
      );
    }
  }

  it('an empty company: postings left alone while loading, then exact BM25 over everything', async () => {
    const company = await createCompany(serverTenancy);
    const builds: string[] = [];
    await serverLexical.firstLoad(
      company.id,
      async () => {
        await saveDocs(serverPaths, company.id, docs(30, '経費'));
        expect(await deferred(company.id)).toBe(true);
        expect(await find(company.id, ['経費'])).toEqual([]);
      },
      () => builds.push('building'),
    );
    expect(builds).toEqual(['building']);
    expect(await deferred(company.id)).toBe(false);
    expect((await find(company.id, ['経費'])).length).toBe(30);
    await expectExactOn(company.id, [['経費'], ['語3', '規程'], ['の', '語1']]);
    // Later writes maintain their postings again.
    await saveDocs(serverPaths, company.id, docs(3, '旅費'));
    await expectExactOn(company.id, [['旅費', '規程'], ['経費']]);
  });

  it('a company that has documents is not deferred: new ones are found at once', async () => {
    const company = await createCompany(serverTenancy);
    await saveDocs(serverPaths, company.id, docs(5, '旅費'));
    await serverLexical.firstLoad(company.id, async () => {
      expect(await deferred(company.id)).toBe(false);
      await saveDocs(serverPaths, company.id, docs(10, '経費'));
      expect((await find(company.id, ['経費'])).length).toBe(10);
    });
    await expectExactOn(company.id, [['旅費'], ['経費', '規程']]);
  });

  it('cut short by a crash: start-up computes the postings the load left undone', async () => {
    const company = await createCompany(serverTenancy);
    // What a crash in the middle of a first load leaves: the company deferred, chunks without postings.
    await server.owner(async (tx) => {
      await bindTenant(tx, company.id);
      await tx.query('INSERT INTO search_postings_deferred (tenant_id) VALUES ($1)', [company.id]);
    });
    await saveDocs(serverPaths, company.id, docs(12, '経費'));
    expect(await find(company.id, ['経費'])).toEqual([]);
    const restarted = new LexicalSearch(server, { engine: 'portable' });
    await restarted.index();
    expect(await deferred(company.id)).toBe(false);
    await expectExactOn(company.id, [['経費', '語2'], ['規程']]);
    restarted.stop();
  });
});

describe.each(ENGINES)('a folder sync of many files on %s', (engine) => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'kura-first-load-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it(`of ${FIRST_LOAD_MIN_FILES} files or more into a new company goes through the build, and every file is found`, async () => {
    const files = FIRST_LOAD_MIN_FILES + 5;
    for (let i = 0; i < files; i++)
      writeFileSync(path.join(folder, `規程${i}.txt`), `経費精算規程 第${i}条。申請番号${i}番の書類。`);
    const on = engine === 'pglite' ? db : await createTestDatabase('postgres');
    const onTenancy =
      engine === 'pglite'
        ? tenancy
        : createTenancy(on, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    const knowledge: Knowledge = createKnowledge(on, { searchEngine: 'auto' });
    const connectors = createConnectors(on, knowledge, onTenancy, {
      ingest: { maxFileBytes: 1024 * 1024, folderRoots: [] },
    });
    const company = await createCompany(onTenancy);
    const phases: IngestPhase[] = [];
    const searchedMidway: number[] = [];
    const tracker = new IngestTracker(async (p) => {
      if (phases.at(-1) !== p.phase) phases.push(p.phase);
      // The product's search while the load runs: a clean empty answer, not an error.
      if (p.phase === 'indexing' && p.indexed > 0 && searchedMidway.length === 0) {
        const answer = await (await knowledge.search()).search(OPERATOR, company.id, { q: '経費精算規程' });
        searchedMidway.push(answer.results.length);
      }
    }, 0);
    await connectors.sync.ingestPaths(company.id, [folder], tracker);
    expect(searchedMidway).toEqual([0]);
    expect(phases).toEqual(['discovering', 'indexing', 'building', 'done']);
    expect(tracker.summary()).toMatchObject({ files, indexed: files, failed: 0 });
    if (engine === 'pglite') {
      // One chunk a file, all in the index built at the end, with its exact statistics.
      const stats = await index.stats(company.id);
      expect(stats).toMatchObject({ chunks: files, rows: { docs: files }, index: { docs: files } });
    }
    for (const i of [0, 17, files - 1]) {
      const answer = await (await knowledge.search()).search(OPERATOR, company.id, { q: `申請番号${i}番` });
      expect(answer.results[0]?.title).toBe(`規程${i}`);
    }
    await connectors.close();
    knowledge.lexical.stop();
    if (on !== db) await on.close();
  });
});
