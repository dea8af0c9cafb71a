import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeXlsx } from '../../../test/fixtures/make-xlsx.js';
import { sharedAnalyzer } from '../../../test/helpers/connectors-harness.js';
import { companyAdmin, createCompany } from '../../../test/helpers/factories.js';
import { createTestDatabase, ENGINES, type Engine } from '../../../test/helpers/test-database.js';
import { createConnectors, type Connectors } from '../../connectors/connectors-module.js';
import { createKnowledge } from '../../ingest/knowledge-module.js';
import type { Database } from '../../platform/db/database.js';
import { createTenancy } from '../../tenancy/tenancy-module.js';
import { createAnalytics, type Analytics } from '../analytics-module.js';
import { KuraExecutor } from '../engine/kura-executor.js';
import { companySchema } from './physical-names.js';
import { UPLOADED_SOURCE, UploadedTableStore } from './uploaded-table-store.js';

const admin = companyAdmin;
const limits = { maxRows: 1000, timeoutMs: 10_000 };

/** A CSV a Japanese back office exports: headers that are SQL words or attacks, mixed date styles. */
const SALES_CSV = [
  '日付,地域,"select","order","amount""; DROP TABLE x; --",単価,売上',
  '2024/4/1,関東,1,a,x,10.5,"1,000"',
  '令和6年4月15日,関西,2,b,y,20.25,2500',
  '2024-05-03,関東,3,c,z,1.125,4000',
  '2024年5月20日,九州,4,d,w,3,500',
  '',
].join('\r\n');

describe.each(ENGINES)('uploaded CSV/XLSX tables as analytics data (%s)', (engine: Engine) => {
  let db: Database;
  let analytics: Analytics;
  let connectors: Connectors;
  let companyA: string;
  let companyB: string;

  const upload = async (tenantId: string, fileName: string, bytes: Buffer) => {
    const source = await connectors.sources.uploadSource(tenantId);
    return (await connectors.ingest()).ingest(
      tenantId,
      {
        sourceId: source.id,
        externalId: `upload/${fileName}`,
        title: fileName,
        uri: `kura://upload/${fileName}`,
        sizeBytes: bytes.length,
        modifiedAt: null,
        acl: ['everyone'],
      },
      bytes,
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    const knowledge = { ...createKnowledge(db), analyzer: sharedAnalyzer };
    analytics = createAnalytics(db, knowledge, { maxUploadedRows: 50 });
    connectors = createConnectors(
      db,
      knowledge,
      tenancy,
      { ingest: { maxFileBytes: 10 * 1024 * 1024, folderRoots: [] } },
      { tables: analytics.tables },
    );
    companyA = (await createCompany(tenancy)).id;
    companyB = (await createCompany(tenancy)).id;
  }, 120_000);
  afterAll(async () => db.close());

  it('loads a CSV with inferred types (Japanese dates too), proposes a model and answers from it', async () => {
    expect((await upload(companyA, '売上.csv', Buffer.from(SALES_CSV))).status).toBe('indexed');
    const [table] = await analytics.store.list(companyA);
    expect(table).toMatchObject({ status: 'loaded', schema_name: companySchema(companyA) });
    expect(table!.columns.map((c) => [c.header, c.type])).toEqual([
      ['日付', 'date'],
      ['地域', 'text'],
      ['select', 'integer'],
      ['order', 'text'],
      ['amount"; DROP TABLE x; --', 'text'],
      ['単価', 'decimal'],
      ['売上', 'integer'],
    ]);
    // Physical names are Kura's own: the attack stays a label, never an identifier.
    expect(table!.columns.map((c) => c.name)).toEqual([
      'col_1',
      'col_2',
      'select',
      'order',
      'col_5',
      'col_6',
      'col_7',
    ]);

    const model = await analytics.service.getModel(admin(companyA), companyA);
    expect(model.origin).toBe('proposed');
    expect(model.model.source).toBe(UPLOADED_SOURCE);

    const monthly = await analytics.service.ask(admin(companyA), companyA, '2024年度の月別売上');
    expect(monthly.kind).toBe('answer');
    if (monthly.kind !== 'answer') return;
    expect(monthly.rows.map((r) => Object.values(r))).toEqual([
      ['2024-04', 3500],
      ['2024-05', 4500],
    ]);
    const byRegion = await analytics.service.ask(admin(companyA), companyA, '地域別の単価の合計');
    expect(byRegion.kind === 'answer' && byRegion.rows).toEqual(
      expect.arrayContaining([expect.objectContaining({ col_6: 11.625 })]),
    );
  });

  it('loads every sheet of an XLSX, and a Shift_JIS CSV decoded to the right headers', async () => {
    const xlsx = await makeXlsx([
      {
        name: 'Budget',
        rows: [
          ['部門', '予算'],
          ['営業', 100],
          ['開発', 250],
        ],
      },
      {
        name: 'Staff',
        rows: [
          ['部門', '人数'],
          ['営業', 4],
        ],
      },
    ]);
    expect((await upload(companyB, 'plan.xlsx', xlsx)).status).toBe('indexed');
    const sjis = iconv.encode('取引先,金額\r\n東京商事,1200\r\n大阪物産,800\r\n', 'cp932');
    expect((await upload(companyB, 'torihiki.csv', sjis)).status).toBe('indexed');
    const tables = await analytics.store.list(companyB);
    expect(tables.map((t) => [t.table_name, t.row_count.toString()])).toEqual([
      ['budget', '2'],
      ['staff', '1'],
      ['torihiki', '2'],
    ]);
    expect(tables[2]!.columns.map((c) => c.header)).toEqual(['取引先', '金額']);
    const answer = await analytics.service.ask(admin(companyB), companyB, '取引先別の金額');
    expect(answer.kind === 'answer' && answer.rows.map((r) => Object.values(r).sort())).toEqual([
      [1200, '東京商事'],
      [800, '大阪物産'],
    ]);
  });

  it('keeps ragged rows: missing cells are empty, extra cells are dropped and said so', async () => {
    const store = new UploadedTableStore(db);
    const outcome = await store.load(companyB, {
      documentId: null,
      ordinal: 0,
      name: 'ragged',
      columns: ['a', 'b'],
      rows: [[1, 2], [3], [4, 5, 6, 7]],
    });
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 3 });
    expect(outcome.status === 'loaded' && outcome.notes.join()).toContain('1 row(s) had more cells');
    const rows = await new KuraExecutor(db, companyB).run(
      `SELECT a, b FROM ${companySchema(companyB)}.ragged ORDER BY _row`,
      [],
      limits,
    );
    // PGlite gives bigint as a number, pg as a string.
    expect(rows.map((r) => [r.a, r.b].map((v) => (v === null ? null : Number(v))))).toEqual([
      [1, 2],
      [3, null],
      [4, 5],
    ]);
  });

  it('refuses a table over the row limit with a clear reason, and the file stays indexed', async () => {
    const million = new UploadedTableStore(db);
    const rows = Array.from({ length: 1_000_001 }, (_, i) => [i]);
    const refused = await million.load(companyB, {
      documentId: null,
      ordinal: 0,
      name: 'huge',
      columns: ['n'],
      rows,
    });
    expect(refused).toEqual({ status: 'refused', message: expect.stringContaining('1,000,001 rows') });
    expect(refused.status === 'refused' && refused.message).toContain('at most 1,000,000 rows');

    const csv = ['n', ...Array.from({ length: 60 }, (_, i) => String(i))].join('\n');
    expect((await upload(companyB, 'long.csv', Buffer.from(csv))).status).toBe('indexed');
    const recorded = (await analytics.store.list(companyB)).find((t) => t.name === 'long');
    expect(recorded).toMatchObject({
      status: 'refused',
      message: expect.stringContaining('at most 50 rows'),
    });
  });

  it("lets a company read only its own tables: the guard refuses another's, RLS hides its rows", async () => {
    const other = `SELECT count(*) AS n FROM ${companySchema(companyA)}.sheet`;
    await expect(analytics.service.runSql(admin(companyB), companyB, other)).rejects.toMatchObject({
      code: 'sql_table_not_allowed',
    });
    // Even past the guard, company B's transaction sees none of company A's rows.
    const direct = await new KuraExecutor(db, companyB).run(other, [], limits);
    expect(direct.map((r) => Number(r.n))).toEqual([0]);
    const own = await analytics.service.runSql(
      admin(companyA),
      companyA,
      `SELECT sum(col_7) AS s FROM ${companySchema(companyA)}.sheet`,
    );
    expect(own.rows.map((r) => Number(r.s))).toEqual([8000]);
    await expect(
      analytics.service.runSql(admin(companyA), companyA, `DELETE FROM ${companySchema(companyA)}.sheet`),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^sql_/u) });
    await expect(
      new KuraExecutor(db, companyA).run(`DELETE FROM ${companySchema(companyA)}.sheet`, [], limits),
    ).rejects.toMatchObject({ code: 'source_query_failed' });
  });
});
