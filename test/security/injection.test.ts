import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { SALES_MODEL_YAML, writeSalesSqlite } from '../helpers/sales-fixture-files.js';
import { multipartBody } from '../helpers/multipart.js';
import { SHARED_WORD, startSecurityWorld, type SecurityWorld } from './security-world.js';

/**
 * SQL and tsquery syntax in every text field and filter a client can send: never a 5xx, never
 * another company's data, stored text comes back as typed. Then path traversal through folder
 * sources (paths, globs, symlinks). Upload file names are security-checks.test.ts's.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Hand-picked payloads: SQL breaking out of literals, stacked statements, RLS tampering, tsquery operators. */
const PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE documents; --",
  '"; DROP TABLE chunks; --',
  "1'); DELETE FROM documents WHERE ('1'='1",
  "' UNION SELECT id, title, tenant_id::text FROM documents --",
  "'; SET LOCAL app.tenant_id = '00000000-0000-0000-0000-000000000000'; --",
  "'; RESET ROLE; SELECT * FROM documents; --",
  '$$; SELECT pg_sleep(10); $$',
  "current_setting('app.tenant_id')",
  '\\',
  "\\'",
  '%',
  '_%_',
  'foo & !bar',
  'foo:* | bar:*',
  '!!!',
  '&|!():*<->',
  '(((((',
  'a <-> b <2> c',
  "' & '",
  '::text',
  '/* comment */',
  '\u0000',
  '%00',
  '\uFFFF\uD800',
  '\u202E',
  '🙂 𠮷',
  '{"$gt": ""}',
  'x'.repeat(1999),
];

/** Random mixtures of SQL and tsquery syntax, for the property. */
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "'",
        '"',
        ';',
        '--',
        '/*',
        '*/',
        '\\',
        '&',
        '|',
        '!',
        ':*',
        '<->',
        '(',
        ')',
        '%',
        '_',
        '$$',
        '\u0000',
        ' OR 1=1',
        ' DROP TABLE documents',
        ' UNION SELECT ',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('injection and traversal (embedded database)', () => {
  let w: SecurityWorld;
  let conversationId: string;
  let sourceId: string;
  const root = mkdtempSync(path.join(os.tmpdir(), 'kura-inject-root-'));
  // A sibling whose name starts like the root's: a prefix check would let it through.
  const sibling = `${root}-evil`;
  const outside = mkdtempSync(path.join(os.tmpdir(), 'kura-inject-outside-'));
  const SECRET = 'outsidesecretword';

  beforeAll(async () => {
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs', 'inside.md'), '# inside\n\ninsideword');
    mkdirSync(sibling);
    writeFileSync(path.join(sibling, 'secret.md'), `# secret\n\n${SECRET}`);
    writeFileSync(path.join(outside, 'secret.md'), `# secret\n\n${SECRET}`);
    symlinkSync(outside, path.join(root, 'docs', 'link-out'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'docs', 'file-link.md'));
    const salesDb = path.join(root, 'sales.db');
    writeSalesSqlite(salesDb);
    w = await startSecurityWorld({ KURA_FOLDER_ROOTS: root });
    // Company A also has a database with a semantic model: questions reach the NL → SQL path.
    await w.services.connectors.sources.create(OPERATOR, w.a.company.id, {
      kind: 'sqlite',
      name: '基幹DB',
      settings: { path: salesDb, tables: [] },
    });
    const model = await w.app.inject({
      method: 'PUT',
      url: '/api/v1/data/model',
      headers: w.a.admin,
      payload: { yaml: SALES_MODEL_YAML },
    });
    expect(model.statusCode, model.body).toBe(200);
    const asked = await w.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: w.a.member,
      payload: { question: `${SHARED_WORD}?` },
    });
    conversationId = asked.json<{ conversationId: string }>().conversationId;
    sourceId = (await w.services.knowledge.repos.documents.findById(w.a.company.id, w.a.documentIds[0]!))!
      .sourceId;
  });
  afterAll(async () => {
    await w.close();
    for (const dir of [root, sibling, outside]) rmSync(dir, { recursive: true, force: true });
  });

  /** Every text field and filter, each a request of company A carrying the payload. */
  const FIELDS: Record<
    string,
    (p: string) => { method: Method; url: string; payload?: object; key?: 'admin' }
  > = {
    'search q': (p) => ({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(p)}` }),
    'search source': (p) => ({
      method: 'GET',
      url: `/api/v1/search?q=${SHARED_WORD}&source=${encodeURIComponent(p)}`,
    }),
    'search type': (p) => ({
      method: 'GET',
      url: `/api/v1/search?q=${SHARED_WORD}&type=${encodeURIComponent(p)}`,
    }),
    'search from/to': (p) => ({
      method: 'GET',
      url: `/api/v1/search?q=${SHARED_WORD}&from=${encodeURIComponent(p.slice(0, 60))}&to=${encodeURIComponent(p.slice(0, 60))}`,
    }),
    'search metadata value': (p) => ({
      method: 'GET',
      url: `/api/v1/search?q=${SHARED_WORD}&metadata=${encodeURIComponent(JSON.stringify({ department: p.slice(0, 500) }))}`,
    }),
    'search metadata key': (p) => ({
      method: 'GET',
      url: `/api/v1/search?q=${SHARED_WORD}&metadata=${encodeURIComponent(JSON.stringify({ [p.slice(0, 500)]: 'x' }))}`,
    }),
    'search metadata raw': (p) => ({
      method: 'GET',
      url: `/api/v1/search?metadata=${encodeURIComponent(p.slice(0, 500))}`,
    }),
    'documents q': (p) => ({
      method: 'GET',
      url: `/api/v1/documents?q=${encodeURIComponent(p.slice(0, 200))}`,
    }),
    'ask question': (p) => ({ method: 'POST', url: '/api/v1/ask', payload: { question: p } }),
    'data ask question': (p) => ({ method: 'POST', url: '/api/v1/data/ask', payload: { question: p } }),
    'data query metric': (p) => ({
      method: 'POST',
      url: '/api/v1/data/query',
      payload: { query: { metrics: [p] } },
    }),
    'data query filter value': (p) => ({
      method: 'POST',
      url: '/api/v1/data/query',
      payload: {
        query: {
          metrics: ['order_count'],
          dimensions: [{ name: 'channel' }],
          filters: [{ dimension: 'channel', op: 'eq', values: [p] }],
        },
      },
    }),
    'data query filter dimension': (p) => ({
      method: 'POST',
      url: '/api/v1/data/query',
      payload: { query: { metrics: ['order_count'], filters: [{ dimension: p, op: 'in', values: ['x'] }] } },
    }),
    'data tables source': (p) => ({
      method: 'GET',
      url: `/api/v1/data/tables?source=${encodeURIComponent(p)}`,
      key: 'admin',
    }),
    'audit filters': (p) => ({
      method: 'GET',
      url: `/api/v1/audit?actor=${encodeURIComponent(p.slice(0, 200))}&action=${encodeURIComponent(p.slice(0, 100))}`,
      key: 'admin',
    }),
    'audit export filters': (p) => ({
      method: 'GET',
      url: `/api/v1/audit/export?actor=${encodeURIComponent(p.slice(0, 200))}&format=csv`,
      key: 'admin',
    }),
    'conversation title': (p) => ({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversationId}`,
      payload: { title: p },
    }),
    'user name and e-mail': (p) => ({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `${p}@example.com`, name: p, role: 'member', password: 'long enough password 1' },
      key: 'admin',
    }),
    'api key name': (p) => ({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: p, role: 'viewer' },
      key: 'admin',
    }),
    'source name': (p) => ({
      method: 'PATCH',
      url: `/api/v1/sources/${sourceId}`,
      payload: { name: p },
      key: 'admin',
    }),
    'company name': (p) => ({
      method: 'PATCH',
      url: '/api/v1/companies/ID',
      payload: { name: p },
      key: 'admin',
    }),
    synonyms: (p) => ({
      method: 'PUT',
      url: '/api/v1/search/synonyms',
      payload: { groups: [[p, 'sales']] },
      key: 'admin',
    }),
    'folder source settings': (p) => ({
      method: 'POST',
      url: '/api/v1/sources',
      payload: { kind: 'folder', name: p, settings: { path: root, include: [p], exclude: [p] } },
      key: 'admin',
    }),
  };

  async function send(field: string, payload: string): Promise<LightMyRequestResponse> {
    const make = FIELDS[field]!;
    // A lone surrogate cannot be percent-encoded: query strings carry U+FFFD in its place.
    const request = make(make('').method === 'GET' ? payload.replace(LONE_SURROGATE, '\uFFFD') : payload);
    return w.app.inject({
      method: request.method,
      url: request.url.replace('/companies/ID', `/companies/${w.a.company.id}`),
      headers: request.key === 'admin' ? w.a.admin : w.a.member,
      ...(request.payload ? { payload: request.payload } : {}),
    });
  }

  /** A clean answer: no server error, nothing of company B, search results of A only. */
  function expectClean(field: string, payload: string, response: LightMyRequestResponse): void {
    const what = `${field} ← ${JSON.stringify(payload).slice(0, 80)}`;
    expect(response.statusCode, `${what}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
    if (response.statusCode >= 400)
      expect(response.json<{ error: { code: string } }>().error.code, what).toMatch(/^[a-z_]+$/);
    expect(response.body, what).not.toContain(w.b.marker);
    expect(response.body, what).not.toContain(w.b.company.id);
    if (field.startsWith('search') && response.statusCode === 200)
      for (const result of response.json<{ results: { title: string }[] }>().results)
        expect(result.title.startsWith(w.a.marker), what).toBe(true);
  }

  it.each(Object.keys(FIELDS))('%s: every hand-picked payload is answered cleanly', async (field) => {
    for (const payload of PAYLOADS) expectClean(field, payload, await send(field, payload));
  });

  it('random SQL and tsquery syntax in any field is answered cleanly (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(FIELDS)), hostile, async (field, payload) => {
        expectClean(field, payload, await send(field, payload));
      }),
      { numRuns: 150 },
    );
  });

  it('stores hostile text as typed and reads it back unchanged', async () => {
    for (const payload of PAYLOADS.filter((p) => !p.includes('\u0000') && !p.includes('\uD800'))) {
      const title = payload.trim() === '' ? 'x' : payload.slice(0, 200);
      const patched = await send('conversation title', title);
      expect(patched.statusCode, patched.body).toBe(200);
      const read = await w.app.inject({
        method: 'GET',
        url: `/api/v1/conversations/${conversationId}`,
        headers: w.a.member,
      });
      expect(read.json<{ title: string }>().title).toBe(title.trim());
    }
  });

  it('after all of it, both companies still have exactly their own documents', async () => {
    for (const [tenant, other] of [
      [w.a, w.b],
      [w.b, w.a],
    ] as const) {
      const search = await w.app.inject({
        method: 'GET',
        url: `/api/v1/search?q=${tenant.marker}`,
        headers: tenant.member,
      });
      const ids = search.json<{ results: { documentId: string }[] }>().results.map((r) => r.documentId);
      expect(ids.sort()).toEqual([...tenant.documentIds].sort());
      const cross = await w.app.inject({
        method: 'GET',
        url: `/api/v1/search?q=${other.marker}`,
        headers: tenant.member,
      });
      expect(cross.json<{ results: unknown[] }>().results).toEqual([]);
    }
  });

  describe('folder sources: paths, globs and links stay inside the allowed roots', () => {
    const create = (settings: Record<string, unknown>) =>
      w.app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: w.a.admin,
        payload: { kind: 'folder', name: `probe ${Math.random()}`, settings },
      });

    it('refuses a path outside the roots, however it is spelled', async () => {
      for (const p of [
        '/',
        '/etc',
        outside,
        sibling,
        `${root}/..`,
        `${root}/../`,
        `${root}/docs/../..`,
        `${root}/docs/../../${path.basename(sibling)}`,
        `${root}/./docs/../../../etc`,
        `${root}//..//`,
        `${root}/docs/link-out`,
        `${root}\u0000/docs`,
        'docs',
        '../etc',
      ]) {
        const response = await create({ path: p });
        expect([400, 403], `${p}: ${response.body}`).toContain(response.statusCode);
      }
      // Percent-encoding is not decoded: a folder literally named "%2e%2e" inside the root.
      const literal = await create({ path: `${root}/%2e%2e` });
      expect(literal.statusCode, literal.body).toBeLessThan(500);
      if (literal.statusCode === 201)
        expect(literal.json<{ settings: { path: string } }>().settings.path).toBe(`${root}/%2e%2e`);
    });

    it('a sync reads nothing through "..", absolute globs or symbolic links that lead outside', async () => {
      const globs = [
        ['../**'],
        ['../../**/*.md'],
        [`${outside}/**`],
        ['/etc/**'],
        ['**/link-out/**'],
        ['**'],
      ];
      for (const include of globs) {
        const response = await create({ path: root, include });
        expect(response.statusCode, `${include.join()}: ${response.body}`).toBeLessThan(500);
        if (response.statusCode !== 201) {
          expect(response.statusCode).toBe(400);
          continue;
        }
        const source = response.json<{ id: string }>();
        const sync = await w.app.inject({
          method: 'POST',
          url: `/api/v1/sources/${source.id}/sync`,
          headers: w.a.admin,
        });
        expect(sync.statusCode, sync.body).toBeLessThan(300);
      }
      await w.drain();
      const found = await w.app.inject({
        method: 'GET',
        url: `/api/v1/search?q=${SECRET}`,
        headers: w.a.member,
      });
      expect(found.json<{ results: unknown[] }>().results, 'a file outside the root was indexed').toEqual([]);
      const listed = await w.app.inject({
        method: 'GET',
        url: '/api/v1/documents?limit=200',
        headers: w.a.admin,
      });
      const documents = listed.json<{
        documents: { uri: string; status: string; errorCode: string | null; chunkCount: number }[];
      }>().documents;
      expect(documents.some((d) => d.uri.endsWith('inside.md') && d.status === 'indexed')).toBe(true);
      for (const d of documents) {
        expect(d.uri).not.toContain('secret');
        // Links that lead out are listed as skipped, with why, and nothing of them indexed.
        if (/link-out|file-link/.test(d.uri))
          expect(d, d.uri).toMatchObject({ status: 'skipped', errorCode: 'outside_root', chunkCount: 0 });
      }
    });

    it('an upload file name never reaches the title as a path', async () => {
      for (const fileName of [
        '../../etc/passwd',
        '..\\..\\windows\\win.ini',
        `${outside}/secret.md`,
        '%2e%2e%2fx.md',
      ]) {
        const upload = multipartBody(w.a.admin, [
          { name: 'file', fileName, content: '# t\n\nuploadtraversal' },
        ]);
        const response = await w.app.inject({ method: 'POST', url: '/api/v1/documents', ...upload });
        expect(response.statusCode, response.body).toBeLessThan(300);
        const { title, uri } = response.json<{ results: { document: { title: string; uri: string } }[] }>()
          .results[0]!.document;
        expect(title, fileName).not.toMatch(/[/\\]|\.\./);
        expect(uri, fileName).not.toContain('..');
      }
    });
  });
});
