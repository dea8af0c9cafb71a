import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { createAnalyzer } from '../../src/search/analysis/create-analyzer.js';
import type { LexicalIndex } from '../../src/search/lexical/lexical-index.js';
import { SearchService } from '../../src/search/search-service.js';
import type { Actor } from '../../src/tenancy/actor.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { createCompany } from '../helpers/factories.js';
import { ENGINES, createTestDatabase } from '../helpers/test-database.js';
import { bothPaths, saveDocs, type Paths } from './helpers.js';

const analyzer = await createAnalyzer();
const USERS = ['u1', 'u2', 'u3'];
const ENTRIES = ['everyone', ...USERS.map((u) => `user:${u}`), 'group:経理', 'group:legal'];

/** A document of random length whose text carries a marker naming it (so that any leak is visible). */
const doc = (i: number, acl: string[]) => {
  const filler = Array.from({ length: 1 + ((i * 7) % 11) }, (_, k) => `filler${k}`);
  return {
    acl,
    tokens: ['共通', `only${i}`, ...filler],
    text: `共通の規程 only${i} secret-marker-${i} ${filler.join(' ')}`,
  };
};

describe.each(ENGINES)('document permissions in search on %s', (engine) => {
  let db: Database;
  let tenancy: Tenancy;
  let paths: Paths;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    paths = await bothPaths(db, engine);
  });
  afterAll(() => db.close());

  const visible = (acls: string[][], principals: readonly string[]) =>
    new Set(acls.flatMap((acl, i) => (acl.some((e) => principals.includes(e)) ? [i] : [])));

  it('the ACL filter is applied before the top-k cut, on every path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.subarray(ENTRIES), { minLength: 1, maxLength: 12 }),
        fc.subarray(ENTRIES, { minLength: 1 }),
        async (acls, principals) => {
          const company = await createCompany(tenancy);
          const ids = await saveDocs(
            paths,
            company.id,
            acls.map((acl, i) => doc(i, acl)),
          );
          const allowed = visible(acls, principals);
          for (const index of paths.indexes as LexicalIndex[]) {
            const hits = await db.tenant(company.id, (tx) =>
              index.search(tx, { tenantId: company.id, terms: ['共通'], principals, limit: 4 }),
            );
            const seen = hits.map((h) => ids.indexOf(h.documentId));
            expect(
              seen.every((i) => allowed.has(i)),
              `${index.engine}: only allowed documents`,
            ).toBe(true);
            // Filtering after the cut would return fewer than min(k, allowed) rows.
            expect(hits.length, `${index.engine}: as many as allowed`).toBe(Math.min(4, allowed.size));
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 180_000);

  it('when the ACL hides every chunk of the top-N window, the ranking still finds the k visible ones', async () => {
    const company = await createCompany(tenancy);
    // 40 hidden chunks that score high (the term twice, short), then 3 visible ones that score low.
    const hidden = Array.from({ length: 40 }, () => ({ acl: ['user:u1'], tokens: ['共通', '共通'] }));
    const shown = Array.from({ length: 3 }, (_, i) => ({
      acl: ['everyone'],
      tokens: ['共通', ...Array.from({ length: 20 }, (_, k) => `pad${i}${k}`)],
    }));
    const ids = await saveDocs(paths, company.id, [...hidden, ...shown]);
    for (const index of paths.indexes as LexicalIndex[]) {
      const hits = await db.tenant(company.id, (tx) =>
        index.search(tx, { tenantId: company.id, terms: ['共通'], principals: ['everyone'], limit: 2 }),
      );
      expect(
        hits.map((h) => ids.indexOf(h.documentId) >= 40),
        index.engine,
      ).toEqual([true, true]);
    }
  }, 180_000);

  it('a caller never sees a hidden document in results, totals or snippets', async () => {
    const lexical = paths.indexes[paths.indexes.length - 1] as LexicalIndex;
    const service = new SearchService(db, { index: async () => lexical }, analyzer);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.subarray(ENTRIES), { minLength: 1, maxLength: 10 }),
        fc.oneof(
          fc.constantFrom(...USERS).map((u) => ({ kind: 'user' as const, id: u })),
          fc.constant({ kind: 'api_key' as const, id: 'key' }),
        ),
        async (acls, who) => {
          const company = await createCompany(tenancy);
          await saveDocs(
            paths,
            company.id,
            acls.map((acl, i) => doc(i, acl)),
          );
          const actor: Actor = {
            kind: who.kind,
            id: randomUUID(),
            role: 'member',
            tenantId: company.id,
            groupId: null,
          };
          // Users are known by id in ACLs: give the actor the id the ACL entries use.
          if (who.kind === 'user') actor.id = who.id;
          const principals = who.kind === 'user' ? ['everyone', `user:${who.id}`] : ['everyone'];
          const allowed = visible(acls, principals);
          const response = await service.search(actor, company.id, { q: '共通', limit: 50 });
          expect(response.total).toBe(allowed.size);
          expect(response.totalExact).toBe(true);
          const shown = response.results.map((r) => Number(/secret-marker-(\d+)/.exec(r.snippet)?.[1]));
          expect(new Set(shown)).toEqual(allowed);
          // Asking for a hidden document by its own word finds nothing, and says nothing about it.
          for (const [i] of acls.entries()) {
            if (allowed.has(i)) continue;
            const probe = await service.search(actor, company.id, { q: `only${i}` });
            expect(probe).toMatchObject({ total: 0, results: [] });
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 180_000);
});
