import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TOOL_ROUNDS } from '../../src/assistant/engine/generative-engine.js';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { cookieHeaders, seedUser, signIn } from '../api/http-helpers.js';
import { tempFolder } from '../helpers/connectors-harness.js';
import { bearer, createApiKey, createCompany } from '../helpers/factories.js';
import { SALES_MODEL_YAML, writeSalesSqlite } from '../helpers/sales-fixture-files.js';
import {
  startScriptedOpenAiServer,
  type RecordedRequest,
  type ScriptedOpenAiServer,
} from '../helpers/scripted-openai-server.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { parseEventStream, plant, POLICY_EN, POLICY_JA, SECRET, SECRET_TITLE } from './assistant-world.js';

/**
 * The generative engine's tool calls, through the model gateway to a real OpenAI-protocol server:
 * the model searches the documents (`search_documents`) and asks the company's database
 * (`query_data`), every round is its own metered, audited gateway call, tool results go back as
 * delimited data, tool-retrieved passages are cited like any other (only what the caller may see),
 * and the rounds are bounded.
 */
const ALLOWANCE = '海外出張の手当は一泊ごとに8,000円を支給する。支給には旅程表の提出を要する。';
const QUESTION = 'How many days do employees have to submit travel expenses?';

const dbFile = path.join(tempFolder('kura-answer-tools-'), 'sales.db');
writeSalesSqlite(dbFile);

const messagesOf = (r: RecordedRequest) => r.body?.messages ?? [];
const textOf = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content));

/** Every numbered <source> or <part> the model has been given so far: number → text. */
function numbered(request: RecordedRequest): Map<number, string> {
  const found = new Map<number, string>();
  for (const m of messagesOf(request))
    for (const hit of textOf(m.content).matchAll(
      /<(?:source|part) n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/(?:source|part)>/g,
    ))
      found.set(Number(hit[1]), hit[2]!);
  return found;
}

describe('the generative engine calls tools through the gateway', () => {
  let t: TestApp;
  let server: ScriptedOpenAiServer;
  let tenantId: string;
  let member: Record<string, string>;
  let ids: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    server = await startScriptedOpenAiServer();
    const company = await createCompany(t.tenancy, { sector: 'government' });
    tenantId = company.id;
    const [user, boss] = await Promise.all([
      seedUser(t.tenancy, tenantId, 'member'),
      seedUser(t.tenancy, tenantId, 'member'),
    ]);
    member = cookieHeaders(await signIn(t.app, company.slug, user.email));
    ids = await plant(t, tenantId, [
      { title: '経費精算規程.md', body: POLICY_JA },
      { title: 'travel-policy.txt', body: POLICY_EN },
      { title: '海外出張手当.txt', body: ALLOWANCE },
      { title: `${SECRET_TITLE}.txt`, body: SECRET, acl: [`user:${boss.id}`] },
    ]);
    await t.connectors.sources.create(OPERATOR, tenantId, {
      kind: 'sqlite',
      name: '基幹DB',
      settings: { path: dbFile, tables: [] },
    });
    const admin = bearer(await createApiKey(t.tenancy, tenantId, 'admin'));
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/data/model',
      headers: admin,
      payload: { yaml: SALES_MODEL_YAML },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await t.governance.providers.add(OPERATOR, {
      name: 'onprem-llm',
      kind: 'openai-compatible',
      baseUrl: server.url,
      region: 'on-prem',
      chatModel: 'scripted-chat',
      retainsData: false,
    });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  const ask = (payload: object) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: { ...member, accept: 'text/event-stream' },
      payload,
    });
  const countRows = async (sql: string) =>
    Number((await t.db.owner((tx) => tx.query<{ n: string }>(sql, [tenantId])))[0]!.n);

  it('searches, queries data, answers citing tool-retrieved passages; each round metered and audited', async () => {
    server.reset();
    server.script((request) => {
      const tool = messagesOf(request).some((m) => m.role === 'tool');
      if (!tool)
        return {
          toolCalls: [
            { id: 'call_search', name: 'search_documents', arguments: { query: '海外出張の手当' } },
            { id: 'call_secret', name: 'search_documents', arguments: { query: '取締役の賞与 役員報酬' } },
            { id: 'call_data', name: 'query_data', arguments: { question: '2024年度の地域別売上' } },
          ],
        };
      const sources = [...numbered(request)];
      const deadline = sources.find(([, text]) => text.includes('within 30 days'))?.[0];
      const allowance = sources.find(([, text]) => text.includes('8,000円'))?.[0];
      return {
        text: `Within 30 days[${deadline}]. The allowance is 8,000 yen[${allowance}]. Bonus 40%[${sources.length + 1}].`,
      };
    });
    const before = await countRows(
      `SELECT count(*)::text AS n FROM usage_events WHERE tenant_id = $1 AND purpose = 'assistant.answer'`,
    );
    const response = await ask({ question: QUESTION });
    expect(response.statusCode).toBe(200);
    const events = parseEventStream(response.body);
    expect(events.at(-1)!.event, response.body).toBe('done');
    const done = JSON.parse(events.at(-1)!.data) as { conversationId: string; found: boolean };
    expect(done.found).toBe(true);

    // Two gateway rounds, both streamed to the provider; the first offered both tools.
    const [first, second, ...more] = server.modelRequests();
    expect(more).toEqual([]);
    expect(first!.body!.tools!.map((x) => x.function.name).sort()).toEqual([
      'query_data',
      'search_documents',
    ]);
    expect(first!.body!.tool_choice).toBe('auto');
    expect([...numbered(first!).values()].some((s) => s.includes('8,000円'))).toBe(false);
    // The second round carries the model's calls and their results, as delimited data.
    const sent = messagesOf(second!);
    expect(sent.find((m) => m.role === 'assistant')!.tool_calls).toHaveLength(3);
    const results = new Map(
      sent.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, textOf(m.content)]),
    );
    expect(results.get('call_search')).toMatch(
      /^<sources>\n<source n="\d+" title="海外出張手当">\n海外出張の手当/u,
    );
    expect(results.get('call_secret')).not.toContain('賞与の上限');
    expect(results.get('call_data')).toMatch(/^<data>\n[\s\S]*関東[\s\S]*\n<\/data>$/u);
    expect(second!.rawBody).not.toContain('賞与の上限');
    expect(second!.rawBody).not.toContain(SECRET_TITLE);

    // The stored answer: the tool-retrieved passage is cited with its own document; the invented marker dropped.
    const stored = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/conversations/${done.conversationId}`,
        headers: member,
      })
    ).json<{
      messages: {
        role: string;
        content: string;
        citations: { n: number; documentId: string; quote: string }[];
      }[];
    }>();
    const answer = stored.messages[1]!;
    expect(answer.content).toBe('Within 30 days[1]. The allowance is 8,000 yen[2]. Bonus 40%.');
    expect(answer.citations.map((c) => [c.n, c.documentId])).toEqual([
      [1, ids.get('travel-policy.txt')],
      [2, ids.get('海外出張手当.txt')],
    ]);
    expect(answer.citations[1]!.quote).toBe(ALLOWANCE);

    // Every round went through the gateway: metered and written to the audit log.
    const after = await countRows(
      `SELECT count(*)::text AS n FROM usage_events WHERE tenant_id = $1 AND purpose = 'assistant.answer' AND operation = 'stream' AND outcome = 'ok'`,
    );
    expect(after - before).toBe(2);
    expect(
      await countRows(
        `SELECT count(*)::text AS n FROM audit_events WHERE tenant_id = $1 AND action = 'model.egress'`,
      ),
    ).toBeGreaterThanOrEqual(2);
  });

  it(`bounds the rounds: after ${MAX_TOOL_ROUNDS} tool rounds the model must answer`, async () => {
    server.reset();
    server.script((request) =>
      request.body?.tool_choice === 'none'
        ? { text: 'Within 30 days [1].' }
        : {
            toolCalls: [
              { name: 'search_documents', arguments: { query: `経費 ${messagesOf(request).length}` } },
            ],
          },
    );
    const response = await ask({ question: QUESTION });
    expect(parseEventStream(response.body).at(-1)!.event).toBe('done');
    const requests = server.modelRequests();
    expect(requests).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(requests.map((r) => r.body!.tool_choice)).toEqual([
      ...Array.from({ length: MAX_TOOL_ROUNDS }, () => 'auto'),
      'none',
    ]);
  });

  it('offers query_data only to callers with a data model: another company gets search_documents alone', async () => {
    const other = await createCompany(t.tenancy, { sector: 'government' });
    await plant(t, other.id, [{ title: 'travel-policy.txt', body: POLICY_EN }]);
    const key = bearer(await createApiKey(t.tenancy, other.id, 'viewer'));
    server.reset();
    server.script(() => ({ text: 'Within 30 days [1].' }));
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: key,
      payload: { question: QUESTION },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(server.modelRequests()[0]!.body!.tools!.map((x) => x.function.name)).toEqual(['search_documents']);
  });

  it('merges neighbouring chunks into one passage; each citation still opens its own chunk and section', async () => {
    const co = await createCompany(t.tenancy, { sector: 'government' });
    const rules = await plant(t, co.id, [
      {
        title: '国内出張旅費規程.md',
        body: '# 国内出張旅費規程\n\n## 第1条 日当\n\n国内出張の日当は一日あたり2,600円とする。\n\n## 第2条 宿泊費\n\n国内出張の宿泊費は一泊13,500円を上限とする。\n',
      },
    ]);
    const key = bearer(await createApiKey(t.tenancy, co.id, 'viewer'));
    server.reset();
    server.script((request) => {
      const parts = [...numbered(request)];
      const daily = parts.find(([, text]) => text.includes('2,600円'))?.[0];
      const hotel = parts.find(([, text]) => text.includes('13,500円'))?.[0];
      return { text: `宿泊費は13,500円まで[${hotel}]、日当は2,600円[${daily}]。` };
    });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: key,
      payload: { question: '国内出張の日当と宿泊費の上限は？' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [sent] = server.modelRequests();
    const prompt = textOf(messagesOf(sent!).at(-1)!.content);
    // One <source> for the document, its chunks as numbered parts.
    expect(prompt.match(/<source /g)).toHaveLength(1);
    expect(prompt).toMatch(/<source n="1-\d" title="国内出張旅費規程">\n<part n="1">/u);
    const body = response.json<{
      answer: string;
      citations: {
        n: number;
        documentId: string;
        anchor: Record<string, unknown>;
        quote: string;
        chunkOrdinal: number;
      }[];
    }>();
    expect(body.answer).toBe('宿泊費は13,500円まで[1]、日当は2,600円[2]。');
    const [hotel, daily] = body.citations;
    expect(hotel!.documentId).toBe(rules.get('国内出張旅費規程.md'));
    expect(hotel!.quote).toContain('13,500円');
    expect(hotel!.quote).not.toContain('2,600円');
    expect(JSON.stringify(hotel!.anchor)).toContain('第2条');
    expect(daily!.quote).toContain('2,600円');
    expect(JSON.stringify(daily!.anchor)).toContain('第1条');
    expect(daily!.chunkOrdinal + 1).toBe(hotel!.chunkOrdinal);
  });
});
