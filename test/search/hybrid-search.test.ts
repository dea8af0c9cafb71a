import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../src/platform/jobs/job-worker.js';
import { createLogger } from '../../src/platform/log/logger.js';
import type { Actor } from '../../src/tenancy/actor.js';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { seedUser, signIn, cookieHeaders } from '../api/http-helpers.js';
import { bearer, createApiKey, createCompany } from '../helpers/factories.js';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../helpers/scripted-openai-server.js';
import { ENGINES } from '../helpers/test-database.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Hybrid search end to end: a real OpenAI-protocol server embeds by concept (deterministic), the
 * embedding job runs on the real queue, and search is asked over HTTP. Paraphrases are found through
 * vectors, hidden documents never show, a model change re-embeds while search stays lexical, and a
 * provider that is down or forbidden by policy leaves search lexical with the reason.
 */

/** Words → concept dimensions: texts sharing a concept are near, whatever their words. */
const CONCEPTS = [
  ['reimburs', 'money', 'refund', '払い戻'],
  ['automobile', 'car ', 'vehicle', '自動車'],
  ['vacation', 'holiday', '休暇'],
];

function conceptVector(text: string, model: string | undefined): number[] {
  const lower = ` ${text.toLowerCase()} `;
  const v = CONCEPTS.map((words) => (words.some((w) => lower.includes(w)) ? 1 : 0));
  // A second model: other dimensions, other order (its vectors cannot be compared with the first's).
  return model === 'concept-b' ? [0.05, ...v.reverse(), 0.05, 0.05] : [...v, 0.05, 0.05, 0.05, 0.05, 0.05];
}

const PARAPHRASE = 'how do I get my money back';
const FILLERS = 70;

describe.each(ENGINES)('hybrid search on %s', (engine) => {
  let t: TestApp;
  let server: ScriptedOpenAiServer;
  let companyA: { id: string; slug: string };
  let keyA: string;
  const ids = new Map<string, string>();
  const logger = createLogger('silent');
  const drain = () => new JobWorker(t.jobs.repository, t.jobs.catalog, logger, { concurrency: 1 }).drain();
  const embeddingRequests = () => server.modelRequests().filter((r) => r.path.endsWith('/embeddings'));

  async function ingest(tenantId: string, docs: { title: string; body: string; acl?: string[] }[]) {
    const service = await t.knowledge.ingest();
    const source = await t.knowledge.repos.sources.insert(tenantId, {
      id: randomUUID(),
      kind: 'upload',
      name: `uploads-${randomUUID().slice(0, 8)}`,
      settings: {},
      secret: null,
    });
    for (const d of docs) {
      const outcome = await service.ingest(
        tenantId,
        {
          sourceId: source.id,
          externalId: d.title,
          title: d.title,
          uri: `upload://${d.title}`,
          sizeBytes: d.body.length,
          modifiedAt: null,
          acl: d.acl ?? ['everyone'],
        },
        Buffer.from(d.body),
      );
      if (outcome.status !== 'indexed') throw new Error(`${d.title}: ${outcome.status}`);
      ids.set(d.title, outcome.document.id);
    }
  }

  async function search(headers: Record<string, string>, query: Record<string, string>) {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/search', query, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{
      mode: string;
      retrieval: string;
      total: number;
      results: {
        documentId: string;
        title: string;
        snippet: string;
        bm25: number;
        similarity: number | null;
      }[];
      facets: { sources: { count: number }[]; types: { count: number }[] };
      notes: string[];
    }>();
  }

  const embeddingsOf = (tenantId: string) =>
    t.db.tenant(tenantId, (tx) =>
      tx.query<{ model: string; dimensions: number; n: number }>(
        `SELECT model, dimensions, count(*)::int AS n FROM chunk_embeddings WHERE tenant_id = $1 GROUP BY 1, 2`,
        [tenantId],
      ),
    );

  beforeAll(async () => {
    t = await startTestApp(engine, { KURA_LLM_MAX_RETRIES: '0', KURA_LLM_TIMEOUT_MS: '5000' });
    server = await startScriptedOpenAiServer();
    server.script((request) => {
      const input = request.body?.input;
      const texts = Array.isArray(input) ? input : [String(input)];
      return { embeddings: texts.map((text) => conceptVector(String(text), request.body?.model)) };
    });
    companyA = await createCompany(t.tenancy);
    keyA = await createApiKey(t.tenancy, companyA.id, 'viewer');
    await ingest(companyA.id, [
      { title: 'travel-costs.txt', body: 'Travel costs are reimbursed within 30 days of the trip.' },
      { title: 'parking.txt', body: 'The automobile park opens at eight.' },
      ...Array.from({ length: FILLERS }, (_, i) => ({
        title: `note-${i}.txt`,
        body: `Office plant note ${i}: water the ficus on Tuesdays.`,
      })),
    ]);
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('without an embedding provider: lexical only, exactly as before, and nothing is queued', async () => {
    const found = await search(bearer(keyA), { q: 'automobile' });
    expect(found.mode).toBe('lexical');
    expect(found.retrieval).toBe('lexical only: no embedding provider');
    expect(found.results.map((r) => r.title)).toEqual(['parking']);
    expect((await search(bearer(keyA), { q: PARAPHRASE })).results).toEqual([]);
    expect(await drain()).toBe(0);
  });

  it('a provider is registered: search says the embeddings are being built, the job embeds in batches of 64', async () => {
    await t.governance.providers.add(OPERATOR, {
      name: 'embedder',
      kind: 'openai-compatible',
      baseUrl: server.url,
      region: 'on-prem',
      chatModel: 'scripted-chat',
      embeddingModel: 'concept-a',
    });
    const during = await search(bearer(keyA), { q: 'automobile' });
    expect(during.retrieval).toBe('lexical only: embeddings still being built');
    expect(during.results.map((r) => r.title)).toEqual(['parking']);
    expect(await drain()).toBeGreaterThanOrEqual(1);
    const sent = embeddingRequests();
    expect(sent.length).toBe(2);
    expect(sent.map((r) => (r.body?.input as string[]).length).sort((a, b) => a - b)).toEqual([
      FILLERS + 2 - 64,
      64,
    ]);
    expect(await embeddingsOf(companyA.id)).toEqual([{ model: 'concept-a', dimensions: 8, n: FILLERS + 2 }]);
    // The company admin sees the index's state; a viewer may not.
    const admin = await createApiKey(t.tenancy, companyA.id, 'admin');
    const status = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search/embeddings',
      headers: bearer(admin),
    });
    expect(status.json()).toEqual({
      retrieval: 'hybrid',
      provider: 'embedder',
      model: 'concept-a',
      dimensions: 8,
      generation: 1,
      state: 'ready',
      chunks: FILLERS + 2,
      embedded: FILLERS + 2,
    });
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search/embeddings',
      headers: bearer(keyA),
    });
    expect(denied.statusCode).toBe(403);
  });

  it('hybrid: a paraphrase with no word in common finds the document through its vector', async () => {
    const found = await search(bearer(keyA), { q: PARAPHRASE });
    expect(found.mode).toBe('hybrid');
    expect(found.retrieval).toBe('hybrid');
    expect(found.results[0]?.title).toBe('travel-costs');
    expect(found.results[0]?.bm25).toBe(0);
    expect(found.results[0]?.similarity).toBeGreaterThan(0.9);
    // Lexical matches still lead when they exist: both lists agree on the parking document.
    const lexical = await search(bearer(keyA), { q: 'automobile' });
    expect(lexical.mode).toBe('hybrid');
    expect(lexical.results[0]?.title).toBe('parking');
    // Filters apply to the vector list too: no text/plain document is a PDF.
    expect((await search(bearer(keyA), { q: PARAPHRASE, type: 'pdf' })).results).toEqual([]);
    // The query was embedded through the gateway, metered as search.query.
    const metered = await t.db.tenant(companyA.id, (tx) =>
      tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM usage_events WHERE tenant_id = $1 AND purpose = 'search.query' AND outcome = 'ok'`,
        [companyA.id],
      ),
    );
    expect(metered[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('a document the caller may not see never appears, in results, totals, facets or snippets (random ACLs)', async () => {
    const users = await Promise.all([0, 1, 2].map(() => seedUser(t.tenancy, companyA.id, 'member')));
    const company = companyA;
    const session = cookieHeaders(await signIn(t.app, company.slug, users[0]!.email));
    const me = users[0]!.id;
    const entries = ['everyone', ...users.map((u) => `user:${u.id}`)];
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.subarray(entries, { minLength: 1 }), { minLength: 1, maxLength: 5 }),
        async (acls) => {
          round++;
          // Every document is a near paraphrase of the query; only the ACL decides.
          await ingest(
            company.id,
            acls.map((acl, i) => ({
              title: `refund-${round}-${i}.txt`,
              body: `Refund policy ${round}-${i} marker-${round}-${i}.`,
              acl,
            })),
          );
          await drain();
          const found = await search(session, { q: `refund ${PARAPHRASE}`, limit: '50' });
          expect(found.mode).toBe('hybrid');
          const visible = new Set(
            acls.flatMap((acl, i) =>
              acl.includes('everyone') || acl.includes(`user:${me}`) ? [`refund-${round}-${i}`] : [],
            ),
          );
          const mine = found.results.filter((r) => r.title.startsWith(`refund-${round}-`));
          for (const r of mine) expect(visible.has(r.title)).toBe(true);
          expect(mine.length).toBe(visible.size);
          for (const i of acls.keys())
            if (!visible.has(`refund-${round}-${i}`))
              expect(JSON.stringify(found)).not.toContain(`marker-${round}-${i}`);
          expect(found.facets.types.reduce((s, f) => s + f.count, 0)).toBe(found.total);
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);

  it('changing the embedding model re-embeds; search stays lexical meanwhile and never mixes models', async () => {
    await t.governance.providers.remove(OPERATOR, 'embedder');
    await t.governance.providers.add(OPERATOR, {
      name: 'embedder',
      kind: 'openai-compatible',
      baseUrl: server.url,
      region: 'on-prem',
      chatModel: 'scripted-chat',
      embeddingModel: 'concept-b',
    });
    const first = await search(bearer(keyA), { q: 'automobile' });
    expect(first.retrieval).toBe('lexical only: embeddings still being built');
    // The job is slow (each batch takes 300 ms): search keeps answering lexically while it runs.
    server.script((request) => {
      const input = request.body?.input;
      const texts = Array.isArray(input) ? input : [String(input)];
      return {
        delayMs: 300,
        embeddings: texts.map((text) => conceptVector(String(text), request.body?.model)),
      };
    });
    const running = drain();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const during = await search(bearer(keyA), { q: 'automobile' });
    expect(during.mode).toBe('lexical');
    expect(during.retrieval).toBe('lexical only: embeddings still being built');
    expect(during.results.map((r) => r.title)).toEqual(['parking']);
    await running;
    server.script((request) => {
      const input = request.body?.input;
      const texts = Array.isArray(input) ? input : [String(input)];
      return { embeddings: texts.map((text) => conceptVector(String(text), request.body?.model)) };
    });
    const stored = await embeddingsOf(companyA.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ model: 'concept-b', dimensions: 6 });
    const after = await search(bearer(keyA), { q: PARAPHRASE, limit: '50' });
    expect(after.mode).toBe('hybrid');
    expect(after.results.map((r) => r.title)).toContain('travel-costs');
  }, 60_000);

  it('provider down: lexical with the reason, results still there', async () => {
    server.enqueue({ status: 500 });
    const found = await search(bearer(keyA), { q: 'automobile' });
    expect(found.mode).toBe('lexical');
    expect(found.retrieval).toBe('lexical only: embedding provider unavailable');
    expect(found.results.map((r) => r.title)).toEqual(['parking']);
    expect(found.notes.join(' ')).toMatch(/provider_error/);
    // The next search, with the provider back, is hybrid again.
    expect((await search(bearer(keyA), { q: 'automobile' })).mode).toBe('hybrid');
  });

  it('a residency policy that forbids the embedding provider: lexical with the reason, nothing sent', async () => {
    const b = await createCompany(t.tenancy);
    await t.governance.residency.update(OPERATOR, b.id, { allowedRegions: ['jp-east'] });
    const before = embeddingRequests().length;
    await ingest(b.id, [{ title: 'b-travel.txt', body: 'Travel costs are reimbursed within 30 days.' }]);
    const keyB = await createApiKey(t.tenancy, b.id, 'viewer');
    const found = await search(bearer(keyB), { q: 'travel costs' });
    expect(found.mode).toBe('lexical');
    expect(found.retrieval).toBe('lexical only: embedding provider refused by policy');
    expect(found.results.map((r) => r.title)).toEqual(['b-travel']);
    // Even a job asked for by hand sends nothing for this company.
    const summary = await t.knowledge.vectors!.indexer.embedAll(
      b.id,
      new AbortController().signal,
      async () => {},
    );
    expect(summary.status).toBe('no_provider');
    await drain();
    expect(embeddingRequests().length).toBe(before);
    expect(
      embeddingRequests().some((r) => r.rawBody.includes('b-travel') || r.rawBody.includes('30 days.')),
    ).toBe(false);
  });

  it('another company never sees company A through vectors', async () => {
    const c = await createCompany(t.tenancy);
    const keyC = await createApiKey(t.tenancy, c.id, 'viewer');
    await ingest(c.id, [{ title: 'c-only.txt', body: 'Holiday rota for the warehouse.' }]);
    await drain();
    const found = await search(bearer(keyC), { q: PARAPHRASE });
    expect(found.mode).toBe('hybrid');
    expect(found.results.map((r) => r.title)).toEqual(['c-only']);
  });

  it('the operator (CLI actor) and API keys share the same path', async () => {
    const actor: Actor = { ...OPERATOR };
    const service = await t.knowledge.search();
    const found = await service.search(actor, companyA.id, { q: PARAPHRASE, limit: 50 });
    expect(found.mode).toBe('hybrid');
    expect(found.results.map((r) => r.title)).toContain('travel-costs');
  });
});
