import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { createAnalyzer } from '../../src/search/analysis/create-analyzer.js';
import type { LexicalIndex, LexicalQuery } from '../../src/search/lexical/lexical-index.js';
import { LEXICAL_ONLY, SearchService } from '../../src/search/search-service.js';
import type { Actor } from '../../src/tenancy/actor.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { createCompany } from '../helpers/factories.js';
import { ENGINES, createTestDatabase } from '../helpers/test-database.js';
import { bothPaths, saveDocs, type Paths } from './helpers.js';

const analyzer = await createAnalyzer();
const USERS = ['u1', 'u2'];
const ACL_ENTRIES = ['everyone', ...USERS.map((u) => `user:${u}`), 'group:legal'];
const DEPARTMENTS = ['sales', 'legal'];
const DATES = ['2025-01-15T00:00:00Z', '2026-03-10T12:00:00Z', '2026-06-01T00:00:00Z'].map(
  (d) => new Date(d),
);

interface DocSpec {
  acl: string[];
  source: 0 | 1;
  department: string;
  modifiedAt: Date;
}

const docSpec = fc.record({
  acl: fc.subarray(ACL_ENTRIES),
  source: fc.constantFrom<0 | 1>(0, 1),
  department: fc.constantFrom(...DEPARTMENTS),
  modifiedAt: fc.constantFrom(...DATES),
});

const filterSpec = fc.record({
  source: fc.option(fc.constantFrom<0 | 1>(0, 1), { nil: undefined }),
  department: fc.option(fc.constantFrom(...DEPARTMENTS), { nil: undefined }),
  from: fc.option(fc.constantFrom('2026-01-01', '2026-03-10T12:00:00Z'), { nil: undefined }),
  to: fc.option(fc.constantFrom('2026-03-10', '2026-05-31T23:59:59+09:00'), { nil: undefined }),
});

describe.each(ENGINES)('search filters and facets on %s', (engine) => {
  let db: Database;
  let tenancy: Tenancy;
  let paths: Paths;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    paths = await bothPaths(db, engine);
  });
  afterAll(() => db.close());

  /** A company with two sources and the documents, each of one chunk whose text names it. */
  async function company(specs: readonly DocSpec[]) {
    const { id } = await createCompany(tenancy);
    const sources: string[] = [];
    for (const name of ['s0', 's1'])
      sources.push(
        (
          await paths.sources.insert(id, {
            id: randomUUID(),
            kind: 'upload',
            name,
            settings: {},
            secret: null,
          })
        ).id,
      );
    const ids: string[] = [];
    for (const [i, spec] of specs.entries()) {
      const [docId] = await saveDocs(
        paths,
        id,
        [
          {
            acl: spec.acl,
            tokens: ['共通', `only${i}`],
            text: `共通 only${i} marker-${i}`,
            metadata: { department: spec.department },
            modifiedAt: spec.modifiedAt,
          },
        ],
        sources[spec.source],
      );
      ids.push(docId!);
    }
    return { tenantId: id, sources, ids };
  }

  /** The reference: which documents a caller holding `principals` may see and that pass the filters. */
  const eligible = (
    specs: readonly DocSpec[],
    principals: readonly string[],
    f: { source?: 0 | 1; department?: string; from?: string; to?: string },
  ) => {
    const from = f.from === undefined ? -Infinity : Date.parse(f.from);
    const to =
      f.to === undefined
        ? Infinity
        : /^\d{4}-\d{2}-\d{2}$/.test(f.to)
          ? Date.parse(`${f.to}T00:00:00Z`) + 86_400_000
          : Date.parse(f.to);
    return new Set(
      specs.flatMap((s, i) =>
        s.acl.some((e) => principals.includes(e)) &&
        (f.source === undefined || s.source === f.source) &&
        (f.department === undefined || s.department === f.department) &&
        s.modifiedAt.getTime() >= from &&
        s.modifiedAt.getTime() < to
          ? [i]
          : [],
      ),
    );
  };

  it('source, date range and metadata filters run with the ACL before the top-k cut, on every path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(docSpec, { minLength: 1, maxLength: 10 }),
        filterSpec,
        fc.subarray(ACL_ENTRIES, { minLength: 1 }),
        async (specs, f, principals) => {
          const c = await company(specs);
          const allowed = eligible(specs, principals, f);
          const query: LexicalQuery = {
            tenantId: c.tenantId,
            terms: ['共通'],
            principals,
            limit: 3,
            ...(f.source !== undefined ? { sourceId: c.sources[f.source] } : {}),
            ...(f.department !== undefined ? { metadata: { department: f.department } } : {}),
            ...(f.from !== undefined ? { modifiedFrom: new Date(f.from) } : {}),
            ...(f.to !== undefined
              ? {
                  modifiedTo: /^\d{4}-\d{2}-\d{2}$/.test(f.to)
                    ? new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)
                    : new Date(f.to),
                }
              : {}),
          };
          for (const index of paths.indexes as LexicalIndex[]) {
            const hits = await db.tenant(c.tenantId, (tx) => index.search(tx, query));
            const seen = hits.map((h) => c.ids.indexOf(h.documentId));
            expect(
              seen.every((i) => allowed.has(i)),
              `${index.engine}: only eligible documents`,
            ).toBe(true);
            expect(hits.length, `${index.engine}: min(k, eligible)`).toBe(Math.min(3, allowed.size));
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 180_000);

  it('totals and facets count only what the caller may see and what the filters keep (random ACLs)', async () => {
    const index = paths.indexes[paths.indexes.length - 1] as LexicalIndex;
    const service = new SearchService(db, { index: async () => index }, analyzer);
    await fc.assert(
      fc.asyncProperty(
        fc.array(docSpec, { minLength: 1, maxLength: 10 }),
        filterSpec,
        fc.constantFrom(...USERS),
        async (specs, f, user) => {
          const c = await company(specs);
          const actor: Actor = {
            kind: 'user',
            id: user,
            role: 'member',
            tenantId: c.tenantId,
            groupId: null,
          };
          const allowed = eligible(specs, ['everyone', `user:${user}`], f);
          const response = await service.search(actor, c.tenantId, {
            q: '共通',
            limit: 50,
            ...(f.source !== undefined ? { source: `s${f.source}` } : {}),
            ...(f.department !== undefined ? { metadata: JSON.stringify({ department: f.department }) } : {}),
            ...(f.from !== undefined ? { from: f.from } : {}),
            ...(f.to !== undefined ? { to: f.to } : {}),
          });
          expect(response.retrieval).toBe(LEXICAL_ONLY);
          expect(response.total).toBe(allowed.size);
          const shown = response.results.map((r) => c.ids.indexOf(r.documentId));
          expect(new Set(shown)).toEqual(allowed);
          expect(
            response.results.every(
              (r) => !/marker-/.test(r.snippet) || allowed.has(Number(/marker-(\d+)/.exec(r.snippet)![1])),
            ),
          ).toBe(true);
          // Facets: exactly the visible documents per source and per type, nothing of the hidden.
          const perSource = new Map<string, number>();
          for (const i of allowed) {
            const sourceId = c.sources[specs[i]!.source]!;
            perSource.set(sourceId, (perSource.get(sourceId) ?? 0) + 1);
          }
          expect(new Map(response.facets.sources.map((s) => [s.sourceId, s.count]))).toEqual(perSource);
          expect(response.facets.types).toEqual(
            allowed.size > 0 ? [{ mimeType: 'text/plain', count: allowed.size }] : [],
          );
        },
      ),
      { numRuns: 20 },
    );
  }, 180_000);

  it('bad filters answer 400 invalid_filter', async () => {
    const index = paths.indexes[0] as LexicalIndex;
    const service = new SearchService(db, { index: async () => index }, analyzer);
    const { id } = await createCompany(tenancy);
    const actor: Actor = { kind: 'api_key', id: randomUUID(), role: 'member', tenantId: id, groupId: null };
    for (const request of [
      { from: 'yesterday' },
      { to: '2026-02-30' },
      { from: '2026-05-01', to: '2026-04-01' },
      { metadata: '{not json' },
      { metadata: '[1,2]' },
      { metadata: '{}' },
      { metadata: '{"a":{"nested":1}}' },
      { from: "2026-01-01'; drop table chunks; --" },
    ]) {
      await expect(
        service.search(actor, id, { q: '共通', ...request }),
        JSON.stringify(request),
      ).rejects.toMatchObject({
        status: 400,
        code: 'invalid_filter',
      });
    }
  });
});
