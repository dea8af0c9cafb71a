/**
 * Vector search speed on a fresh embedded (PGlite) database, or on PostgreSQL when DATABASE_URL is
 * set: N chunks of one company with random unit vectors of D dimensions, the company's HNSW index
 * build (pgvector) and query latency through VectorIndex.search with an ACL filter, plus the exact
 * SQL scan for comparison on fewer queries. No provider is called: this measures the database side.
 * Run: node --import tsx bench/vectors.ts [chunks=10000] [dimensions=384] [queries=200]
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadConfig, processEnvironment } from '../src/platform/config/config.js';
import { migrate } from '../src/platform/db/migrations.js';
import { PgliteDatabase } from '../src/platform/db/pglite-database.js';
import { PostgresDatabase } from '../src/platform/db/postgres-database.js';
import { embeddingStore } from '../src/search/vectors/embedding-store.js';
import { unitVector } from '../src/search/vectors/embedding-target.js';
import { openVectorIndex, VectorIndex } from '../src/search/vectors/vector-index.js';
import { OPERATOR } from '../src/tenancy/actor.js';
import { createTenancy } from '../src/tenancy/tenancy-module.js';

const [N = 10_000, D = 384, Q = 200] = process.argv.slice(2).map(Number);
const config = loadConfig(processEnvironment());
const db = config.databaseUrl
  ? await PostgresDatabase.connect(config.databaseUrl)
  : await PgliteDatabase.open(undefined);
await migrate(db);
const tenancy = createTenancy(db, { sessionTtlMs: 3_600_000, login: config.login });
const company = await tenancy.companies.create(OPERATOR, { slug: `bench-${Date.now()}`, name: 'Bench' });
const tenantId = company.id;
const random = () => unitVector(Array.from({ length: D }, () => Math.random() * 2 - 1));

// Documents and chunks straight in SQL (one chunk per document; every 10th visible to everyone).
const sourceId = randomUUID();
await db.tenant(tenantId, async (tx) => {
  await tx.query(`INSERT INTO sources (tenant_id, id, kind, name) VALUES ($1, $2, 'upload', 'bench')`, [
    tenantId,
    sourceId,
  ]);
  await tx.query(
    `INSERT INTO documents (tenant_id, id, source_id, external_id, title, uri, status, acl)
     SELECT $1, gen_random_uuid(), $2, 'd' || g, 'd' || g, 'bench://' || g, 'indexed',
            CASE WHEN g % 10 = 0 THEN ARRAY['everyone'] ELSE ARRAY['user:other'] END
       FROM generate_series(1, $3::int) g`,
    [tenantId, sourceId, N],
  );
  await tx.query(
    `INSERT INTO chunks (tenant_id, document_id, ordinal, text, tokens, token_count, acl)
     SELECT tenant_id, id, 0, title, title, 1, acl FROM documents WHERE tenant_id = $1`,
    [tenantId],
  );
});

let started = performance.now();
const generation = await db.tenant(tenantId, async (tx) => {
  const g = await embeddingStore.start(tx, tenantId, { provider: 'bench', model: 'random' });
  await embeddingStore.setDimensions(tx, tenantId, g.generation, D);
  return { ...g, dimensions: D };
});
for (;;) {
  const chunks = await db.tenant(tenantId, (tx) =>
    embeddingStore.missing(tx, tenantId, generation.generation, 500),
  );
  if (chunks.length === 0) break;
  await db.tenant(tenantId, (tx) =>
    embeddingStore.insert(tx, tenantId, generation, chunks, chunks.map(random)),
  );
}
const insertMs = performance.now() - started;

const index = await openVectorIndex(db);
started = performance.now();
await index.ensureIndex(tenantId, generation.generation, D);
const buildMs = performance.now() - started;

async function measure(vectors: VectorIndex, queries: number) {
  const times: number[] = [];
  for (let i = 0; i < queries; i += 1) {
    const vector = random();
    const t0 = performance.now();
    const hits = await db.tenant(tenantId, (tx) =>
      vectors.search(tx, {
        tenantId,
        principals: ['everyone'],
        generation: generation.generation,
        dimensions: D,
        vector,
        limit: 30,
      }),
    );
    times.push(performance.now() - t0);
    if (hits.length !== 30) throw new Error(`expected 30 hits, got ${hits.length}`);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  return { p50: at(0.5), p95: at(0.95) };
}

const main = await measure(index, Q);
const exact = await measure(new VectorIndex('exact', db), Math.min(Q, 20));
console.log(
  JSON.stringify(
    {
      database: db.kind,
      engine: index.engine,
      chunks: N,
      dimensions: D,
      visibleShare: 0.1,
      insertMs: Math.round(insertMs),
      indexBuildMs: Math.round(buildMs),
      queryMs: main,
      exactScanMs: exact,
      loadAverage: loadavg().map((l) => l.toFixed(2)),
    },
    null,
    2,
  ),
);
await db.close();
