import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSynonymFile } from '../../src/cli/commands/search-commands.js';
import type { IngestService } from '../../src/ingest/pipeline/ingest-service.js';
import type { SearchResponse } from '../../src/search/search-service.js';
import { validateGroups } from '../../src/search/synonyms/synonym-service.js';
import { bearer, createApiKey, createCompany } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { ENGINES } from '../helpers/test-database.js';

describe.each(ENGINES)('per-company synonyms on %s', (engine) => {
  let t: TestApp;
  let ingest: IngestService;
  const companies: { id: string; admin: string; viewer: string }[] = [];
  beforeAll(async () => {
    t = await startTestApp(engine);
    ingest = await t.knowledge.ingest();
    for (let i = 0; i < 2; i++) {
      const company = await createCompany(t.tenancy);
      const source = await t.knowledge.repos.sources.insert(company.id, {
        id: randomUUID(),
        kind: 'upload',
        name: 'uploads',
        settings: {},
        secret: null,
      });
      const add = (name: string, body: string) =>
        ingest.ingest(
          company.id,
          {
            sourceId: source.id,
            externalId: name,
            title: name,
            uri: `upload://${name}`,
            sizeBytes: body.length,
            modifiedAt: null,
            acl: ['everyone'],
          },
          Buffer.from(body),
        );
      await add('決算短信.txt', '当期の売上高は前年同期比で一割増えた。');
      await add('annual-report.txt', 'Revenue grew by ten percent over the previous year.');
      await add('人事.txt', '新入社員の研修は四月に始まる。');
      companies.push({
        id: company.id,
        admin: await createApiKey(t.tenancy, company.id, 'admin'),
        viewer: await createApiKey(t.tenancy, company.id, 'viewer'),
      });
    }
  });
  afterAll(() => t.close());

  const search = async (key: string, q: string) => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search',
      query: { q },
      headers: bearer(key),
    });
    expect(response.statusCode).toBe(200);
    return response.json<SearchResponse>();
  };
  const titles = (r: SearchResponse) => r.results.map((x) => x.title).sort();
  const put = (key: string, groups: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: '/api/v1/search/synonyms',
      headers: bearer(key),
      payload: { groups },
    });

  it('売上 = 売上高 = revenue: set by an admin, applied at query time, to this company only', async () => {
    const [a, b] = companies as [(typeof companies)[0], (typeof companies)[0]];
    // Without a dictionary, 売上 does not reach the English report.
    expect(titles(await search(a.viewer, '売上'))).not.toContain('annual-report');

    const set = await put(a.admin, [
      ['売上', '売上高', 'revenue'],
      [' 研修 ', 'training', '研修'],
    ]);
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({
      groups: [
        ['売上', '売上高', 'revenue'],
        ['研修', 'training'],
      ],
    });
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search/synonyms',
      headers: bearer(a.viewer),
    });
    expect(read.json()).toEqual(set.json());

    const ja = await search(a.viewer, '売上');
    expect(titles(ja)).toEqual(['annual-report', '決算短信']);
    expect(ja.notes.join(' ')).toMatch(/Synonyms added/);
    // Width and case folded, stemmed: ＲＥＶＥＮＵＥＳ finds the Japanese document too.
    expect(titles(await search(a.viewer, 'ＲＥＶＥＮＵＥＳ'))).toEqual(['annual-report', '決算短信']);
    expect(titles(await search(a.viewer, 'training'))).toEqual(['人事']);
    // Highlights include the synonym found in the text.
    const report = ja.results.find((r) => r.title === 'annual-report')!;
    expect(report.highlights.map((h) => report.snippet.slice(h.start, h.end).toLowerCase())).toContain(
      'revenue',
    );

    // Company B has no dictionary: its search is unchanged, and it cannot read A's.
    expect(titles(await search(b.viewer, '売上'))).not.toContain('annual-report');
    const other = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search/synonyms',
      headers: bearer(b.viewer),
    });
    expect(other.json()).toEqual({ groups: [] });

    // Clearing the dictionary takes effect on the next query.
    expect((await put(a.admin, [])).statusCode).toBe(200);
    expect(titles(await search(a.viewer, '売上'))).not.toContain('annual-report');
  });

  it('only an admin replaces the dictionary; bad dictionaries answer 400 invalid_synonyms', async () => {
    const [a] = companies as [(typeof companies)[0]];
    expect((await put(a.viewer, [['a', 'b']])).statusCode).toBe(403);
    for (const groups of [
      [['only-one']],
      [['same', 'SAME', 'ｓａｍｅ']],
      [['', '  ']],
      [['x'.repeat(101), 'y']],
    ]) {
      const response = await put(a.admin, groups);
      expect(response.statusCode, JSON.stringify(groups).slice(0, 60)).toBe(400);
      expect(response.json()).toMatchObject({
        error: { code: expect.stringMatching(/^invalid_(synonyms|request)$/) },
      });
    }
  });
});

describe('synonym validation and files', () => {
  it('validateGroups keeps distinct trimmed members and refuses groups of fewer than two (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }), { maxLength: 5 }),
        (groups) => {
          let out: string[][];
          try {
            out = validateGroups(groups);
          } catch (error) {
            expect(error).toMatchObject({ status: 400, code: 'invalid_synonyms' });
            return;
          }
          expect(out).toHaveLength(groups.length);
          for (const group of out) {
            expect(group.length).toBeGreaterThanOrEqual(2);
            for (const member of group) expect(member).toBe(member.trim());
          }
        },
      ),
    );
  });

  it('reads JSON and one comma-separated group per line', () => {
    expect(parseSynonymFile('[["売上","売上高","revenue"]]')).toEqual([['売上', '売上高', 'revenue']]);
    expect(parseSynonymFile('# 会計\n売上, 売上高, revenue\n\n研修、training\n')).toEqual([
      ['売上', '売上高', 'revenue'],
      ['研修', 'training'],
    ]);
  });
});
