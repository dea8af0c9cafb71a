import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUser } from '../api/http-helpers.js';
import path from 'node:path';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { tempFolder } from '../helpers/connectors-harness.js';
import { bearer, createApiKey, createCompany } from '../helpers/factories.js';
import { SALES_MODEL_YAML, writeSalesSqlite } from '../helpers/sales-fixture-files.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { plant, POLICY_EN, POLICY_JA, SECRET, SECRET_TITLE } from './assistant-world.js';

interface KuraCitation {
  n: number;
  documentId: string;
  title: string;
  quote: string;
}

/** The official clients, exactly as a user points them at Kura: a real listening server, a Kura API key. */
describe('OpenAI-compatible and MCP endpoints through the official clients', () => {
  let t: TestApp;
  let base: string;
  let key: string;
  let otherKey: string;
  let ids: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const company = await createCompany(t.tenancy);
    key = await createApiKey(t.tenancy, company.id, 'member');
    const boss = await seedUser(t.tenancy, company.id, 'member');
    ids = await plant(t, company.id, [
      { title: '経費精算規程.md', body: POLICY_JA },
      { title: 'travel-policy.txt', body: POLICY_EN },
      { title: `${SECRET_TITLE}.txt`, body: SECRET, acl: [`user:${boss.id}`] },
    ]);
    // A data model over the company's sales database, for the query_data tool.
    const dbFile = path.join(tempFolder('kura-mcp-data-'), 'sales.db');
    writeSalesSqlite(dbFile);
    await t.connectors.sources.create(OPERATOR, company.id, {
      kind: 'sqlite',
      name: '基幹DB',
      settings: { path: dbFile, tables: [] },
    });
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/data/model',
      headers: bearer(await createApiKey(t.tenancy, company.id, 'admin')),
      payload: { yaml: SALES_MODEL_YAML },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const other = await createCompany(t.tenancy);
    otherKey = await createApiKey(t.tenancy, other.id, 'admin');
  });
  afterAll(() => t.close());

  const openai = (apiKey: string) => new OpenAI({ baseURL: `${base}/v1`, apiKey, maxRetries: 0 });

  it("lists the company's assistant models", async () => {
    const models = await openai(key).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['kura']);
  });

  it('answers chat.completions.create with citations inline and in a structured field', async () => {
    const completion = await openai(key).chat.completions.create({
      model: 'kura',
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: '宿泊費の上限はいくらですか？' },
      ],
    });
    const content = completion.choices[0]!.message.content!;
    expect(content).toContain('12,000円');
    expect(content).toMatch(/\[1\]/);
    expect(content).toContain('Sources:\n[1] 経費精算規程');
    const citations = (completion as unknown as { citations: KuraCitation[] }).citations;
    expect(citations[0]).toMatchObject({
      n: 1,
      documentId: ids.get('経費精算規程.md'),
      title: '経費精算規程',
    });
    expect(citations[0]!.quote).toContain('12,000円');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  it('streams chat completions', async () => {
    const stream = await openai(key).chat.completions.create({
      model: 'kura',
      stream: true,
      messages: [{ role: 'user', content: 'Within how many days must travel expenses be submitted?' }],
    });
    let text = '';
    let finish: string | null = null;
    let citations: KuraCitation[] = [];
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      const extra = chunk as unknown as { citations?: KuraCitation[] };
      if (extra.citations) citations = extra.citations;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toContain('30 days');
    expect(text).toContain('[1] travel-policy');
    expect(finish).toBe('stop');
    expect(citations[0]!.title).toBe('travel-policy');
  });

  it('answers errors in the OpenAI shape the client parses', async () => {
    const bad = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'kura_not_a_real_key', maxRetries: 0 });
    await expect(bad.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(
      openai(key).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 404, type: 'not_found_error' });
    await expect(
      openai(key).chat.completions.create({ model: 'kura', messages: [{ role: 'user', content: ' ' }] }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_question', type: 'invalid_request_error' });
    await expect(
      openai(key).chat.completions.create({
        model: 'kura',
        messages: [{ role: 'assistant', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_messages' });
  });

  it("never cites a document the key may not see, and another company's key sees nothing of this one", async () => {
    const question = '取締役の賞与の上限は基本報酬の何%か？';
    const completion = await openai(key).chat.completions.create({
      model: 'kura',
      messages: [{ role: 'user', content: question }],
    });
    expect(JSON.stringify(completion)).not.toContain(SECRET_TITLE);
    expect(JSON.stringify(completion)).not.toContain('40%');
    const foreign = await openai(otherKey).chat.completions.create({
      model: 'kura',
      messages: [{ role: 'user', content: '宿泊費の上限はいくらですか？' }],
    });
    expect(foreign.choices[0]!.message.content).not.toContain('12,000');
    expect((foreign as unknown as { citations: unknown[] }).citations).toEqual([]);
  });

  async function mcpClient(apiKey: string): Promise<Client> {
    const client = new Client({ name: 'kura-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
      }),
    );
    return client;
  }

  it('serves MCP tools to the official client: search_documents, get_document, ask, query_data', async () => {
    const client = await mcpClient(key);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name).sort()).toEqual([
        'ask',
        'get_document',
        'query_data',
        'search_documents',
      ]);

      const search = await client.callTool({ name: 'search_documents', arguments: { query: '宿泊費' } });
      const results = (search.structuredContent as { results: { documentId: string; title: string }[] })
        .results;
      expect(results[0]!.documentId).toBe(ids.get('経費精算規程.md'));

      const doc = await client.callTool({
        name: 'get_document',
        arguments: { documentId: results[0]!.documentId },
      });
      const text = (doc.structuredContent as { passages: { text: string }[] }).passages
        .map((p) => p.text)
        .join('\n');
      expect(text).toContain('12,000円');

      const answer = await client.callTool({
        name: 'ask',
        arguments: { question: '経費の申請期限は何日以内？' },
      });
      const body = answer.structuredContent as { answer: string; mode: string; citations: KuraCitation[] };
      expect(body.mode).toBe('extractive');
      expect(body.answer).toContain('30日以内');
      expect(body.citations[0]!.title).toBe('経費精算規程');

      // The restricted document is invisible to the key, through every tool.
      const secret = await client.callTool({
        name: 'get_document',
        arguments: { documentId: ids.get(`${SECRET_TITLE}.txt`)! },
      });
      expect(secret.isError).toBe(true);
      expect(JSON.stringify(secret)).not.toContain('40%');
      const hidden = await client.callTool({ name: 'search_documents', arguments: { query: '取締役 賞与' } });
      expect(JSON.stringify(hidden)).not.toContain(SECRET_TITLE);
      // Numbers from the company's database, computed by guarded SQL.
      const data = await client.callTool({
        name: 'query_data',
        arguments: { question: '2024年度の地域別売上と前年比は？' },
      });
      expect(data.isError, JSON.stringify(data.content)).toBeFalsy();
      const table = data.structuredContent as {
        kind: string;
        columns: { name: string }[];
        rows: Record<string, unknown>[];
        sql: { sql: string }[];
        narrative: string;
      };
      expect(table.kind).toBe('answer');
      expect(table.columns.map((c) => c.name)).toEqual([
        'region',
        'sales',
        'sales_previous_year',
        'sales_yoy',
      ]);
      expect(table.rows).toHaveLength(6);
      expect(table.rows.map((r) => r.region)).toContain('関東');
      expect(table.sql[0]!.sql).toMatch(/^SELECT /u);
      const unclear = await client.callTool({ name: 'query_data', arguments: { question: '天気はどう？' } });
      expect(unclear.structuredContent).toMatchObject({ kind: 'clarification' });
      const blank = await client.callTool({ name: 'query_data', arguments: { question: ' ' } });
      expect(blank.isError).toBe(true);
      expect(JSON.stringify(blank.content)).toContain('invalid_question');
      const empty = await client.callTool({ name: 'ask', arguments: { question: '' } });
      expect(empty.isError).toBe(true);
      expect(JSON.stringify(empty.content)).toContain('invalid_question');
    } finally {
      await client.close();
    }
  });

  it("refuses MCP without a valid key, and gives another company's key nothing of this one", async () => {
    await expect(mcpClient('kura_wrong')).rejects.toThrow(/401|invalid_api_key|Unauthorized/i);
    const foreign = await mcpClient(otherKey);
    try {
      const doc = await foreign.callTool({
        name: 'get_document',
        arguments: { documentId: ids.get('経費精算規程.md')! },
      });
      expect(doc.isError).toBe(true);
      expect(JSON.stringify(doc)).toContain('not_found');
      const search = await foreign.callTool({ name: 'search_documents', arguments: { query: '宿泊費' } });
      expect((search.structuredContent as { results: unknown[] }).results).toEqual([]);
      // Its own company has no data model: this company's numbers never reach it.
      const data = await foreign.callTool({ name: 'query_data', arguments: { question: '地域別の売上' } });
      expect(data.isError).toBe(true);
      expect(JSON.stringify(data)).toContain('not_found');
      expect(JSON.stringify(data)).not.toContain('関東');
    } finally {
      await foreign.close();
    }
  });
});
