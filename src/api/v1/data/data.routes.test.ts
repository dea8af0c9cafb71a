import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createAnalytics } from '../../../analytics/analytics-module.js';
import type { QueryProposer } from '../../../analytics/service/query-proposer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../../tenancy/actor.js';
import { bearer, createApiKey, createCompany } from '../../../../test/helpers/factories.js';
import { tempFolder } from '../../../../test/helpers/connectors-harness.js';
import { SALES_MODEL_YAML, writeSalesSqlite } from '../../../../test/helpers/sales-fixture-files.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/test-app.js';
import { ENGINES } from '../../../../test/helpers/test-database.js';

const dbFile = path.join(tempFolder('kura-data-api-'), 'sales.db');
writeSalesSqlite(dbFile);

describe.each(ENGINES)('the data API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  async function company() {
    const co = await createCompany(t.tenancy);
    await t.connectors.sources.create(OPERATOR, co.id, {
      kind: 'sqlite',
      name: '基幹DB',
      settings: { path: dbFile, tables: [] },
    });
    return {
      co,
      admin: bearer(await createApiKey(t.tenancy, co.id, 'admin')),
      member: bearer(await createApiKey(t.tenancy, co.id, 'member')),
      viewer: bearer(await createApiKey(t.tenancy, co.id, 'viewer')),
    };
  }
  const put = (headers: Record<string, string>, yaml: string) =>
    t.app.inject({ method: 'PUT', url: '/api/v1/data/model', headers, payload: { yaml } });
  const ask = (headers: Record<string, string>, question: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/data/ask', headers, payload: { question } });

  it('lets an admin save the model (errors with lines), members ask, viewers ask but not read the model', async () => {
    const a = await company();
    expect((await ask(a.member, '地域別の売上')).statusCode).toBe(404);
    const broken = await put(
      a.admin,
      SALES_MODEL_YAML.replace('column: amount', 'column: amount\n    aggregation: sum'),
    );
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toMatchObject({
      code: 'invalid_model',
      message: expect.stringMatching(/line \d+/u),
    });
    expect((await put(a.member, SALES_MODEL_YAML)).statusCode).toBe(403);
    const saved = await put(a.admin, SALES_MODEL_YAML);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, origin: 'edited' });

    const answer = await ask(a.viewer, '2024年度の地域別売上と前年比は？');
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({ kind: 'answer', parser: 'offline', modelVersion: 1 });
    expect(body.rows).toHaveLength(6);
    expect(body.columns.map((c: { name: string }) => c.name)).toEqual([
      'region',
      'sales',
      'sales_previous_year',
      'sales_yoy',
    ]);
    expect(body.chart).toMatchObject({ mark: 'bar' });
    expect(body.narrative).toContain('前年比');
    expect(body.sql[0].sql).toMatch(/^SELECT "regions"\."name" AS "region"/u);

    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/data/model', headers: a.viewer })).statusCode,
    ).toBe(403);
    const model = await t.app.inject({ method: 'GET', url: '/api/v1/data/model', headers: a.member });
    expect(model.json().yaml).toBe(SALES_MODEL_YAML);

    const unclear = await ask(a.member, '天気はどう？');
    expect(unclear.json()).toMatchObject({ kind: 'clarification', reason: 'nothing_understood' });
    expect(unclear.json().choices.map((c: { value: string }) => c.value)).toContain('sales');
  });

  it('runs admin SQL only through the guard, and semantic queries for everyone', async () => {
    const a = await company();
    await put(a.admin, SALES_MODEL_YAML);
    const sql = (headers: Record<string, string>, text: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/data/query', headers, payload: { sql: text } });
    expect((await sql(a.admin, 'SELECT count(*) AS n FROM regions')).json()).toMatchObject({
      rows: [{ n: 6 }],
    });
    expect((await sql(a.admin, 'DELETE FROM orders')).json().error.code).toBe('sql_not_select');
    expect((await sql(a.admin, 'SELECT 1 FROM orders; DROP TABLE orders')).json().error.code).toBe(
      'sql_multiple_statements',
    );
    expect((await sql(a.member, 'SELECT count(*) FROM regions')).statusCode).toBe(403);
    const query = await t.app.inject({
      method: 'POST',
      url: '/api/v1/data/query',
      headers: a.member,
      payload: { query: { metrics: ['order_count'], dimensions: [{ name: 'channel' }] } },
    });
    expect(query.statusCode).toBe(200);
    expect(query.json().rows).toHaveLength(3);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/data/query',
      headers: a.member,
      payload: { query: { metrics: ['profit'] } },
    });
    expect(unknown.json().error.code).toBe('unknown_metric');
  });

  it('proposes a model from the database that answers questions, lists tables, and never serves an old version', async () => {
    const a = await company();
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/data/model/propose',
      headers: a.admin,
      payload: { source: '基幹DB' },
    });
    expect(proposed.statusCode).toBe(201);
    expect(proposed.json()).toMatchObject({ version: 1, origin: 'proposed' });
    expect(proposed.json().model.joins).toHaveLength(4);
    const byRegion = await ask(a.member, '地域別の売上');
    expect(byRegion.json()).toMatchObject({ kind: 'answer', modelVersion: 1 });
    expect(byRegion.json().rows).toHaveLength(6);

    const tables = await t.app.inject({ method: 'GET', url: '/api/v1/data/tables', headers: a.admin });
    expect(
      tables
        .json()
        .tables.map((x: { name: string }) => x.name)
        .sort(),
    ).toEqual(['customers', 'order_lines', 'orders', 'products', 'regions']);

    await put(a.admin, SALES_MODEL_YAML.replace('label: 地域', 'label: エリア区分'));
    const again = await ask(a.member, 'エリア別の売上');
    expect(again.json()).toMatchObject({ modelVersion: 2 });
    expect(again.json().columns[0].label).toBe('エリア区分');
  });

  it('says clearly when the database went away', async () => {
    const co = await createCompany(t.tenancy);
    const file = path.join(tempFolder('kura-data-gone-'), 'sales.db');
    copyFileSync(dbFile, file);
    await t.connectors.sources.create(OPERATOR, co.id, {
      kind: 'sqlite',
      name: '基幹DB',
      settings: { path: file, tables: [] },
    });
    const admin = bearer(await createApiKey(t.tenancy, co.id, 'admin'));
    await put(admin, SALES_MODEL_YAML);
    expect((await ask(admin, '地域別の売上')).statusCode).toBe(200);
    rmSync(file);
    const gone = await ask(admin, 'チャネル別の売上');
    expect(gone.statusCode).toBe(502);
    expect(gone.json().error.code).toBe('source_unavailable');
  });

  it('runs a query proposed by a model through the same validation and guard', async () => {
    const a = await company();
    await put(a.admin, SALES_MODEL_YAML);
    let proposal: unknown;
    const proposer: QueryProposer = {
      name: 'scripted',
      propose: async () => ({ kind: 'query', query: proposal }),
    };
    const service = createAnalytics(t.db, t.knowledge, { proposer }).service;
    const actor = OPERATOR;
    proposal = { metrics: ['order_count'], dimensions: [{ name: 'channel' }] };
    const answer = await service.ask(actor, a.co.id, 'チャネル別の注文数');
    expect(answer).toMatchObject({ kind: 'answer', parser: 'scripted' });
    proposal = { metrics: ['sales"; DROP TABLE orders; --'] };
    await expect(service.ask(actor, a.co.id, 'x')).rejects.toMatchObject({ code: 'unknown_metric' });
    proposal = { metrics: ['sales'], filters: [{ dimension: 'region', op: 'eq', values: ["' OR 1=1 --"] }] };
    expect(await service.ask(actor, a.co.id, 'x')).toMatchObject({ kind: 'answer', rows: [{ sales: null }] });
    proposal = { metrics: ['sales'], limit: -1 };
    await expect(service.ask(actor, a.co.id, 'x')).rejects.toMatchObject({ code: 'invalid_query' });
  });
});
