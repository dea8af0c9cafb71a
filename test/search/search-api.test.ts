import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestService } from '../../src/ingest/pipeline/ingest-service.js';
import type { LexicalIndex } from '../../src/search/lexical/lexical-index.js';
import { PgTextsearchIndex } from '../../src/search/lexical/pg-textsearch-index.js';
import { PortableIndex } from '../../src/search/lexical/portable-index.js';
import { prepareQuery } from '../../src/search/query.js';
import type { SearchResponse } from '../../src/search/search-service.js';
import type { Actor } from '../../src/tenancy/actor.js';
import { makePdf } from '../fixtures/index.js';
import { bearer, createApiKey, createCompany, createGroup } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { ENGINES } from '../helpers/test-database.js';

const POLICY = `# 経費精算規程

## 第1条 目的

この規程は、社員の出張旅費および経費の精算について定める。

## 第2条 申請期限

経費は発生日から30日以内に申請しなければならない。期限を過ぎた申請は、部長の承認を要する。`;

// makePdf prints 44 full-width characters a line: the first line ends with 顧 and the second starts with 客.
const WRAPPED =
  'お客様から受け付けた苦情は、記録をして速やかに回答する。担当者は記録の写しを保管して、顧客満足度の調査に役立てる。';
// Two short printed lines after it: joined, they would read ソラペイカスタマーセンター, one unknown word.
const CONTACT = ['お問い合わせ：ソラペイ', 'カスタマーセンターまで連絡する。'];

const ENGLISH = `Travel expense policy

Employees must submit travel expenses within 30 days. Late claims need the approval of a director.`;

describe.each(ENGINES)('GET /api/v1/search on %s', (engine) => {
  let t: TestApp;
  let ingest: IngestService;
  let index: LexicalIndex;
  let key: string;
  let tenantId: string;
  let sourceName: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    ingest = await t.knowledge.ingest();
    index = await t.knowledge.lexical.index();
    const company = await createCompany(t.tenancy);
    tenantId = company.id;
    key = await createApiKey(t.tenancy, company.id, 'viewer');
    sourceName = `uploads-${randomUUID().slice(0, 8)}`;
    const source = await t.knowledge.repos.sources.insert(company.id, {
      id: randomUUID(),
      kind: 'upload',
      name: sourceName,
      settings: {},
      secret: null,
    });
    const add = (name: string, body: string | Buffer, acl = ['everyone']) =>
      ingest.ingest(
        company.id,
        {
          sourceId: source.id,
          externalId: name,
          title: name,
          uri: `upload://${name}`,
          sizeBytes: body.length,
          modifiedAt: null,
          acl,
        },
        Buffer.from(body),
      );
    await add('経費精算規程.md', POLICY);
    await add('travel-policy.txt', ENGLISH);
    await add('苦情対応手引.pdf', await makePdf([[WRAPPED, ...CONTACT]]));
    await add('役員報酬.txt', '役員報酬の経費精算は取締役会が決める。', ['user:ceo']);
    // Another company with the same words: never visible from this one.
    const other = await createCompany(t.tenancy);
    const otherSource = await t.knowledge.repos.sources.insert(other.id, {
      id: randomUUID(),
      kind: 'upload',
      name: 'uploads',
      settings: {},
      secret: null,
    });
    await ingest.ingest(
      other.id,
      {
        sourceId: otherSource.id,
        externalId: 'x.txt',
        title: '他社の経費精算',
        uri: 'upload://x',
        sizeBytes: 0,
        modifiedAt: null,
        acl: ['everyone'],
      },
      Buffer.from('経費精算の申請期限は7日。'),
    );
  });
  afterAll(() => t.close());

  const get = async (query: Record<string, string>, auth: Record<string, string> = bearer(key)) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/search', query, headers: auth });
    return {
      status: response.statusCode,
      body: response.json() as SearchResponse & { error?: { code: string } },
    };
  };

  it('finds a Japanese document with a snippet, highlights as offsets and the lexical-mode note', async () => {
    const { status, body } = await get({ q: '経費の申請期限' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: 'lexical', engine: index.engine, total: 1, totalExact: true });
    expect(body.notes.join(' ')).toMatch(/lexical only: no embedding provider/);
    expect(body.retrieval).toBe('lexical only: no embedding provider');
    const [first] = body.results;
    expect(first).toMatchObject({
      title: '経費精算規程',
      uri: 'upload://経費精算規程.md',
      mimeType: 'text/markdown',
    });
    expect(first!.anchor.heading).toContain('第2条');
    expect(first!.snippet).toContain('30日以内に申請');
    expect(first!.highlights.map((h) => first!.snippet.slice(h.start, h.end))).toEqual(
      expect.arrayContaining(['経費', '申請', '期限']),
    );
    expect(first!.score).toBeGreaterThan(0);
  });

  it('finds a word that a PDF line end splits in two (顧 | 客), and shows it whole in the snippet', async () => {
    expect(WRAPPED.indexOf('顧客')).toBe(43);
    const { body } = await get({ q: '顧客' });
    expect(body.results.map((r) => r.uri)).toEqual(['upload://苦情対応手引.pdf']);
    const [hit] = body.results;
    expect(hit!.anchor.page).toBe(1);
    expect(hit!.snippet).toContain('保管して、顧客満足度の調査');
    expect(hit!.highlights.map((h) => hit!.snippet.slice(h.start, h.end))).toEqual(['顧客']);
  });

  it('keeps a PDF line end that is not a wrap (a short line): the words on either side are found', async () => {
    const { body } = await get({ q: 'ソラペイ' });
    expect(body.results.map((r) => r.uri)).toEqual(['upload://苦情対応手引.pdf']);
    const [hit] = body.results;
    expect(hit!.highlights.map((h) => hit!.snippet.slice(h.start, h.end))).toEqual(['ソラペイ']);
    // Snippets show a line break as a space.
    expect(hit!.snippet).toContain('お問い合わせ：ソラペイ カスタマーセンター');
  });

  it('finds an English document, stemmed (expenses → expense) and case-folded', async () => {
    const { body } = await get({ q: 'EXPENSE approval' });
    expect(body.results.map((r) => r.title)).toEqual(['travel-policy']);
    expect(body.results[0]!.highlights.map((h) => body.results[0]!.snippet.slice(h.start, h.end))).toEqual([
      'expense',
      'expenses',
      'approval',
    ]);
  });

  it("never shows a document the caller may not see, nor another company's", async () => {
    const { body } = await get({ q: '経費精算 役員報酬 取締役会 7日', limit: '50' });
    expect(body.results.map((r) => r.title)).toEqual(['経費精算規程']);
    expect(body.total).toBe(1);
  });

  it('filters by source and type inside the query', async () => {
    expect((await get({ q: '経費', type: 'markdown' })).body.results).toHaveLength(1);
    expect((await get({ q: '経費', type: 'pdf' })).body.results).toHaveLength(0);
    expect((await get({ q: 'expenses', source: sourceName })).body.results).toHaveLength(1);
    expect((await get({ q: 'expenses', source: 'no-such-source' })).body).toMatchObject({
      results: [],
      total: 0,
    });
    expect((await get({ q: 'expenses', type: 'not a type' })).body).toMatchObject({ results: [] });
  });

  it('requires a caller, and refuses a group admin (companies, not their content)', async () => {
    expect((await get({ q: '経費' }, {})).status).toBe(401);
    const group = await createGroup(t.tenancy);
    const holding = await createCompany(t.tenancy, { groupId: group.id });
    const groupAdmin: Actor = {
      kind: 'user',
      id: randomUUID(),
      role: 'group_admin',
      tenantId: holding.id,
      groupId: group.id,
    };
    const service = await t.knowledge.search();
    await expect(service.search(groupAdmin, holding.id, { q: '経費' })).rejects.toMatchObject({
      status: 403,
    });
    // A caller of another company asking for this one: not found, not forbidden.
    const stranger: Actor = {
      kind: 'api_key',
      id: randomUUID(),
      role: 'admin',
      tenantId: holding.id,
      groupId: group.id,
    };
    await expect(service.search(stranger, tenantId, { q: '経費' })).rejects.toMatchObject({ status: 404 });
  });

  it('answers bad queries with a clean result or 400 invalid_query, never a 500', async () => {
    const cases: [Record<string, string>, number, string?][] = [
      [{}, 400, 'invalid_query'],
      [{ q: '' }, 400, 'invalid_query'],
      [{ q: '   ' }, 400, 'invalid_query'],
      [{ q: 'a '.repeat(5_000) }, 400, 'invalid_query'],
      [{ q: '！？。…😀🎉🙏' }, 200],
      [{ q: `'; drop table chunks; --` }, 200],
      [{ q: '&|!:* <-> 経費:* !申請' }, 200],
      [{ q: '"経費 \'申請' }, 200],
      [{ q: '\u0000\u0007経費\u001b[2J\u007f' }, 200],
      [{ q: '経費', limit: '0' }, 400, 'invalid_request'],
      [{ q: '経費', limit: 'lots' }, 400, 'invalid_request'],
    ];
    for (const [query, status, code] of cases) {
      const response = await get(query);
      expect(response.status, JSON.stringify(query).slice(0, 80)).toBe(status);
      if (code) expect(response.body.error?.code).toBe(code);
    }
    expect((await get({ q: '"経費 \'申請' })).body.results[0]?.title).toBe('経費精算規程');
    expect((await get({ q: '！？。…😀🎉🙏' })).body).toMatchObject({ results: [], total: 0 });
  });

  it('random query strings: never a 500, and the query examines no more rows than the company holds', async () => {
    const analyzer = await t.knowledge.analyzer();
    const held = await t.db.owner(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      const chunks = Number(
        (
          await tx.query<{ n: string }>('SELECT count(*)::text AS n FROM chunks WHERE tenant_id = $1', [
            tenantId,
          ])
        )[0]!.n,
      );
      const postings =
        index.engine === 'portable'
          ? Number(
              (
                await tx.query<{ n: string }>(
                  'SELECT count(*)::text AS n FROM search_postings WHERE tenant_id = $1',
                  [tenantId],
                )
              )[0]!.n,
            )
          : 0;
      return { chunks, postings };
    });
    // Every node of the plan, rows × loops: the work the query did, whatever the clock says.
    const examined = async (terms: string[]) =>
      t.db.tenant(tenantId, async (tx) => {
        const query = { tenantId, terms, principals: ['everyone'], limit: 30 };
        const statements = [index.statement(query)];
        if (index instanceof PgTextsearchIndex) await tx.query(index.statement(query).setup);
        if (index instanceof PortableIndex) {
          // The pruned plan too: the rarer half of the terms scanned, the others probed per candidate.
          const weights = await tx.query<{ term: string; df: number; idf: number; avgdl: number }>(
            `SELECT t.term, t.df, ln(1 + (s.chunk_count - t.df + 0.5) / (t.df + 0.5)) AS idf,
                    s.token_total::float8 / greatest(s.chunk_count, 1) AS avgdl
               FROM search_terms t JOIN search_stats s ON s.tenant_id = t.tenant_id
              WHERE t.tenant_id = $1 AND t.term = ANY ($2::text[]) ORDER BY t.df, t.term`,
            [tenantId, terms],
          );
          const w = weights.map((r) => ({ term: r.term, df: r.df, idf: r.idf, bound: 0 }));
          const half = Math.ceil(w.length / 2);
          if (w.length > 1)
            statements.push(
              index.prunedStatement(query, w.slice(0, half), w.slice(half), weights[0]!.avgdl, 120),
            );
        }
        let rows = 0;
        for (const statement of statements) {
          const [row] = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`,
            statement.params,
          );
          const walk = (n: PlanNode): number =>
            n['Actual Rows'] * n['Actual Loops'] + (n.Plans ?? []).reduce((a, p) => a + walk(p), 0);
          rows = Math.max(rows, walk(row!['QUERY PLAN'][0].Plan));
        }
        return rows;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 3000 }),
          fc.constantFrom('経費', 'expenses 30 days', '&|!:*', "'"),
        ),
        async (q) => {
          const response = await t.app.inject({
            method: 'GET',
            url: '/api/v1/search',
            query: { q },
            headers: bearer(key),
          });
          expect([200, 400]).toContain(response.statusCode);
          if (response.statusCode === 400)
            expect(response.json()).toMatchObject({ error: { code: 'invalid_query' } });
          let terms: string[];
          try {
            terms = prepareQuery((x) => analyzer.analyze(x), q).terms;
          } catch {
            return;
          }
          if (terms.length === 0) return;
          // A linear bound in what the company holds, independent of the query text: each of its
          // chunks and postings at most a few times (scan, aggregate, sort, probe), plus the terms.
          const bound = 4 * (held.chunks + held.postings) + 3 * terms.length + 100;
          expect(await examined(terms)).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 60 },
    );
    // 60 runs with EXPLAIN ANALYZE each: seconds on a quiet machine, more on a shared one.
  }, 180_000);
});

interface PlanNode {
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}
