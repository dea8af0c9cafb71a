import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { embeddingStore } from '../../src/search/vectors/embedding-store.js';
import { unitVector } from '../../src/search/vectors/embedding-target.js';
import { openVectorIndex, VectorIndex, vectorStartupLine } from '../../src/search/vectors/vector-index.js';
import { createCompany } from '../helpers/factories.js';
import { createTestDatabase, ENGINES, type Engine } from '../helpers/test-database.js';
import { createTenancy } from '../../src/tenancy/tenancy-module.js';
import { bothPaths, saveDocs } from './helpers.js';

const DIMS = 16;
const DOCS = 300;

/** Deterministic pseudo-random unit vectors (a linear congruential generator). */
function vectors(count: number, seed: number): number[][] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: count }, () => unitVector(Array.from({ length: DIMS }, next)));
}

function recordingLogger() {
  const lines: { msg: string; engine?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe.each(ENGINES)('the vector index on %s', (engine: Engine) => {
  let db: Database;
  let tenantId: string;
  let index: VectorIndex;
  let generation: number;
  let ids: string[];
  const logged = recordingLogger();
  const query = vectors(1, 7)[0]!;
  // Three documents the caller may see, among 300: the ACL must act before the top-k cut.
  const visible = new Set([17, 150, 288]);

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    const paths = await bothPaths(db, engine);
    tenantId = (await createCompany(tenancy)).id;
    ids = await saveDocs(
      paths,
      tenantId,
      Array.from({ length: DOCS }, (_, i) => ({
        tokens: ['x'],
        text: `chunk ${i}`,
        acl: visible.has(i) ? ['user:u1'] : ['user:other'],
      })),
    );
    index = await openVectorIndex(db, logged.logger);
    const embedded = vectors(DOCS, 42);
    generation = await db.tenant(tenantId, async (tx) => {
      const g = await embeddingStore.start(tx, tenantId, { provider: 'p', model: 'm' });
      await embeddingStore.setDimensions(tx, tenantId, g.generation, DIMS);
      const chunks = ids.map((documentId, i) => ({ documentId, ordinal: 0, text: `chunk ${i}` }));
      await embeddingStore.insert(tx, tenantId, { ...g, dimensions: DIMS }, chunks, embedded);
      return g.generation;
    });
    await index.ensureIndex(tenantId, generation, DIMS);
  }, 120_000);
  afterAll(() => db.close());

  const ask = (principals: string[] | null, limit: number, engineIndex = index) =>
    db.tenant(tenantId, (tx) =>
      engineIndex.search(tx, { tenantId, principals, generation, dimensions: DIMS, vector: query, limit }),
    );

  it('says which path it uses at start-up, recommending pgvector where it is missing', () => {
    const line = logged.lines.find((l) => l.msg.startsWith('vectors:'));
    if (engine === 'pglite') {
      expect(index.engine).toBe('pgvector');
      expect(line?.msg).not.toMatch(/install/);
    } else {
      // Debian's PostgreSQL 15 has no pgvector package.
      expect(index.engine).toBe('exact');
      expect(line?.msg).toMatch(/install the pgvector extension/);
      expect(vectorStartupLine('exact')).toMatch(/install the pgvector extension/);
    }
  });

  it('the ACL filters before the top-k cut: all three visible documents come back, nothing else', async () => {
    const hits = await ask(['user:u1'], 10);
    expect(new Set(hits.map((h) => ids.indexOf(h.documentId)))).toEqual(visible);
  });

  it('ranks like an exact cosine computation', async () => {
    const expected = vectors(DOCS, 42)
      .map((v, i) => ({ i, similarity: v.reduce((s, x, k) => s + x * query[k]!, 0) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 10)
      .map((e) => e.i);
    const hits = await ask(null, 10);
    const got = hits.map((h) => ids.indexOf(h.documentId));
    expect(got[0]).toBe(expected[0]);
    // HNSW is approximate; on 300 vectors it finds at least 9 of the exact top 10.
    expect(got.filter((i) => expected.includes(i)).length).toBeGreaterThanOrEqual(9);
    expect(hits[0]!.similarity).toBeCloseTo(
      vectors(DOCS, 42)[expected[0]!]!.reduce((s, x, k) => s + x * query[k]!, 0),
      4,
    );
    const exact = await ask(null, 10, new VectorIndex('exact', db));
    expect(exact.map((h) => ids.indexOf(h.documentId))).toEqual(expected);
  });

  it('embedded: the query uses the company’s HNSW index, ACL inside the scan; server: plain SQL only', async () => {
    const { sql, params } = index.statement({
      tenantId,
      principals: ['user:u1'],
      generation,
      dimensions: DIMS,
      vector: query,
      limit: 10,
    });
    const plan = await db.tenant(tenantId, async (tx) => {
      await tx.query(`SELECT set_config('hnsw.iterative_scan', 'strict_order', true)`);
      return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    if (engine === 'pglite') {
      expect(text).toMatch(/Index Scan using kura_vec_[0-9a-f]{32}_g\d+/);
      expect(text).not.toMatch(/Sort/);
    } else {
      expect(sql).not.toMatch(/vector\(|<=>/);
      expect(text).toMatch(/Seq Scan on chunk_embeddings|Index Scan using chunk_embeddings/);
    }
  });
});
