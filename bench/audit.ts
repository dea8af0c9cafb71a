/**
 * Audit log write and verify speed on a fresh embedded (PGlite) database, or on PostgreSQL when
 * DATABASE_URL is set: sequential appends, concurrent appends to one company (they queue on its
 * chain head), and `verify` over the result. Run: node --import tsx bench/audit.ts
 */
import { performance } from 'node:perf_hooks';
import { createAuditGovernance } from '../src/governance/audit-module.js';
import { loadConfig, processEnvironment } from '../src/platform/config/config.js';
import { migrate } from '../src/platform/db/migrations.js';
import { PgliteDatabase } from '../src/platform/db/pglite-database.js';
import { PostgresDatabase } from '../src/platform/db/postgres-database.js';
import { createLogger } from '../src/platform/log/logger.js';
import { OPERATOR } from '../src/tenancy/actor.js';
import { createTenancy } from '../src/tenancy/tenancy-module.js';

const config = loadConfig(processEnvironment());
const db = config.databaseUrl
  ? await PostgresDatabase.connect(config.databaseUrl)
  : await PgliteDatabase.open(undefined);
await migrate(db);
const tenancy = createTenancy(db, { sessionTtlMs: 3_600_000, login: config.login });
const governance = createAuditGovernance(db, tenancy, {
  auditKey: 'bench-audit-key-0123456789abcdef0123456789',
  dataDir: '/nonexistent',
  logger: createLogger('silent'),
});
const company = await tenancy.companies.create(OPERATOR, { slug: `bench-${Date.now()}`, name: 'Bench' });
const event = (i: number) => ({
  action: 'document.viewed' as const,
  payload: {},
  actor: { kind: 'user' as const, id: `user-${i % 50}` },
  target: { type: 'document', id: `doc-${i}` },
  requestId: `req-${i}`,
  ip: '192.0.2.1',
});

const N = 2_000;
let start = performance.now();
for (let i = 0; i < N; i += 1) await governance.audit.record(company.id, event(i));
const sequential = performance.now() - start;

const CONCURRENCY = 16;
start = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) await governance.audit.record(company.id, event(next++));
  }),
);
const concurrent = performance.now() - start;

start = performance.now();
const verified = await governance.audit.verify(company.id);
const verify = performance.now() - start;

console.log(
  JSON.stringify({
    engine: db.kind,
    sequential: {
      events: N,
      perSecond: Math.round(N / (sequential / 1000)),
      msPerEvent: +(sequential / N).toFixed(2),
    },
    concurrent: { events: N, writers: CONCURRENCY, perSecond: Math.round(N / (concurrent / 1000)) },
    verify: {
      events: verified.ok ? verified.events : -1,
      ms: Math.round(verify),
      perSecond: Math.round((2 * N) / (verify / 1000)),
    },
  }),
);
await db.close();
