import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedAnalyzer } from '../../../test/helpers/connectors-harness.js';
import { companyAdmin, createCompany } from '../../../test/helpers/factories.js';
import { createTestDatabase } from '../../../test/helpers/test-database.js';
import { createKnowledge } from '../../ingest/knowledge-module.js';
import type { Database } from '../../platform/db/database.js';
import { createTenancy } from '../../tenancy/tenancy-module.js';
import { createAnalytics, type Analytics } from '../analytics-module.js';
import { PostgresExecutor } from '../engine/postgres-executor.js';
import { companySchema } from '../tables/physical-names.js';
import { UPLOADED_SOURCE } from '../tables/uploaded-table-store.js';

const admin = companyAdmin;

/** A model over one uploaded sheet; `measure` is the column 売上 sums (so a change shows in the numbers). */
const modelYaml = (schema: string, measure: 'amount' | 'quantity') => `
version: 1
source: "${UPLOADED_SOURCE}"
tables: [{ name: sales, table: sales, schema: ${schema} }]
dimensions:
  - { name: region, label: 地域, table: sales, column: region, values: [関東, 関西] }
measures:
  - { name: sales, label: 売上, table: sales, aggregation: sum, column: ${measure}, format: yen }
`;

/** Issue 7's bad input, on server PostgreSQL through Kura's own database (uploaded tables). */
describe('analytics under bad input', () => {
  let db: Database;
  let analytics: Analytics;
  let tenantId: string;
  let schema: string;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    analytics = createAnalytics(
      db,
      { ...createKnowledge(db), analyzer: sharedAnalyzer },
      {
        limits: { maxRows: 10_000, timeoutMs: 5_000 },
      },
    );
    tenantId = (await createCompany(tenancy)).id;
    schema = companySchema(tenantId);
    await analytics.store.load(tenantId, {
      documentId: null,
      ordinal: 0,
      name: 'sales',
      columns: ['region', 'amount', 'quantity'],
      rows: [
        ['関東', 1000, 1],
        ['関西', 500, 2],
        ['関東', 250, 3],
      ],
    });
    await analytics.service.setModel(admin(tenantId), tenantId, modelYaml(schema, 'amount'));
  }, 120_000);
  afterAll(async () => db.close());

  it('keeps each answer consistent with the model version it ran under while the model changes', async () => {
    const query = { metrics: ['sales'], dimensions: [{ name: 'region' }] };
    const expected: Record<number, number> = {};
    const before = await analytics.service.query(admin(tenantId), tenantId, query);
    expected[before.modelVersion] = 1250;
    const [during] = await Promise.all([
      analytics.service.query(admin(tenantId), tenantId, { ...query, filters: [] }),
      analytics.service
        .setModel(admin(tenantId), tenantId, modelYaml(schema, 'quantity'))
        .then((saved) => (expected[saved.version] = 4)),
    ]);
    const after = await analytics.service.query(admin(tenantId), tenantId, query);
    for (const result of [before, during, after]) {
      const kanto = result.rows.find((r) => r.region === '関東');
      expect(kanto?.sales).toBe(expected[result.modelVersion]);
    }
    // The cached answer of the old version is never served for the new one.
    expect(after.modelVersion).toBeGreaterThan(before.modelVersion);
    expect(after.rows.find((r) => r.region === '関東')?.sales).toBe(4);
    await analytics.service.setModel(admin(tenantId), tenantId, modelYaml(schema, 'amount'));
  });

  it('says a table that went away is missing, and a database that cannot be reached is unavailable', async () => {
    await db.owner((tx) => tx.query(`ALTER TABLE "${schema}".sales RENAME TO sales_gone`));
    try {
      await expect(
        analytics.service.query(admin(tenantId), tenantId, { metrics: ['sales'], filters: [] }),
      ).rejects.toMatchObject({
        code: 'source_query_failed',
        message: expect.stringContaining('out of date'),
      });
    } finally {
      await db.owner((tx) => tx.query(`ALTER TABLE "${schema}".sales_gone RENAME TO sales`));
    }
    await expect(PostgresExecutor.connect('postgres://kura@127.0.0.1:1/gone')).rejects.toMatchObject({
      code: 'source_unavailable',
      message: expect.stringContaining('cannot connect'),
    });
  });

  it('limits a query that would return 10 million rows, reads only that many, and says so', async () => {
    await db.owner(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await tx.query(
        `CREATE VIEW "${schema}".ten_million AS SELECT n FROM generate_series(1, 10000000) AS n`,
      );
      await tx.query(`GRANT SELECT ON "${schema}".ten_million TO kura_app`);
      await analytics.store.register(tx, tenantId, {
        name: 'ten million',
        table: 'ten_million',
        columns: [{ header: 'n', name: 'n', type: 'integer' }],
        rowCount: 10_000_000,
      });
    });
    const started = performance.now();
    const result = await analytics.service.runSql(
      admin(tenantId),
      tenantId,
      `SELECT n FROM "${schema}".ten_million -- every row`,
    );
    expect(result.rows).toHaveLength(10_000);
    expect(result.truncated).toBe(true);
    expect(result.notes.join()).toContain('limited to 10,000 rows');
    // Streaming 10 million rows would take far longer than reading 10,001.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('stops a statement past the timeout with a clear error', async () => {
    const slow = createAnalytics(
      db,
      { ...createKnowledge(db), analyzer: sharedAnalyzer },
      {
        limits: { maxRows: 10, timeoutMs: 50 },
      },
    );
    await expect(
      slow.service.runSql(
        admin(tenantId),
        tenantId,
        `SELECT count(*) AS n FROM "${schema}".ten_million a, "${schema}".ten_million b`,
      ),
    ).rejects.toMatchObject({
      code: 'query_timeout',
      message: expect.stringContaining('took longer than 50 ms'),
    });
  });

  it('treats injection through names as unknown names and through values as data', async () => {
    const attacks = ['sales; DROP TABLE sales', 'sales" FROM x; --', "region') OR 1=1 --"];
    for (const name of attacks) {
      await expect(
        analytics.service.query(admin(tenantId), tenantId, { metrics: [name] }),
      ).rejects.toMatchObject({
        code: 'unknown_metric',
      });
      await expect(
        analytics.service.query(admin(tenantId), tenantId, { metrics: ['sales'], dimensions: [{ name }] }),
      ).rejects.toMatchObject({ code: 'unknown_dimension' });
    }
    await expect(
      analytics.service.setModel(
        admin(tenantId),
        tenantId,
        modelYaml(schema, 'amount').replace('column: region', "column: 'region\"; DROP TABLE sales; --'"),
      ),
    ).rejects.toMatchObject({ status: 400 });
    const byValue = await analytics.service.query(admin(tenantId), tenantId, {
      metrics: ['sales'],
      filters: [{ dimension: 'region', op: 'eq', values: ["関東' OR '1'='1"] }],
    });
    expect(byValue.rows).toEqual([{ sales: null }]);
    const still = await analytics.service.query(admin(tenantId), tenantId, { metrics: ['sales'] });
    expect(still.rows).toEqual([{ sales: 1750 }]);
  });

  it('answers a question naming nothing in the model with a question back, not an error', async () => {
    const reply = await analytics.service.ask(admin(tenantId), tenantId, '明日の天気は？');
    expect(reply).toMatchObject({ kind: 'clarification', reason: 'nothing_understood' });
  });
});
