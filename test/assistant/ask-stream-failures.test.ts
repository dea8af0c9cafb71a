import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { cookieHeaders, seedUser, signIn } from '../api/http-helpers.js';
import { createApiKey, createCompany } from '../helpers/factories.js';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../helpers/scripted-openai-server.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { parseEventStream, plant, POLICY_JA } from './assistant-world.js';

/**
 * Streams that end badly, over a real listening server and a real OpenAI-protocol provider:
 *  - a client that leaves mid-stream: Kura closes its provider connection, keeps no connection and
 *    stores nothing of the turn (neither the question nor a half-written answer — chosen so that a
 *    conversation never holds an answer nobody saw; see docs/ARCHITECTURE.md);
 *  - a provider that fails mid-stream: a clear `error` event (answer_failed) naming where the partial
 *    answer was kept, stored with status `incomplete`;
 *  - questions empty or of 100 KB, unknown conversation ids: clear errors before anything streams.
 */
const LONG_ANSWER = `経費は発生日から30日以内に申請します[1]。${'期限を過ぎた申請は部長の承認を要します。'.repeat(6)}`;
const QUESTION = '経費は発生日から何日以内に申請しなければならない？';

async function eventually(check: () => Promise<boolean> | boolean, what: string, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('assistant streams that end early or fail', () => {
  let t: TestApp;
  let server: ScriptedOpenAiServer;
  let base: string;
  let tenantId: string;
  let key: string;
  let member: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    server = await startScriptedOpenAiServer();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const company = await createCompany(t.tenancy, { sector: 'government' });
    tenantId = company.id;
    key = await createApiKey(t.tenancy, tenantId, 'viewer');
    const user = await seedUser(t.tenancy, tenantId, 'member');
    member = cookieHeaders(await signIn(t.app, company.slug, user.email));
    await plant(t, tenantId, [{ title: '経費精算規程.md', body: POLICY_JA }]);
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

  const messageRows = async () =>
    Number(
      (
        await t.db.owner((tx) =>
          tx.query<{ n: string }>('SELECT count(*)::text AS n FROM messages WHERE tenant_id = $1', [
            tenantId,
          ]),
        )
      )[0]!.n,
    );
  const openConnections = () =>
    new Promise<number>((resolve, reject) =>
      t.app.server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
    );
  const provider = () => server.modelRequests().at(-1);

  it('SSE /api/v1/ask: a client leaving mid-stream stops the provider call, leaves no connection, stores nothing', async () => {
    server.reset();
    server.enqueue({ text: LONG_ANSWER, pieceDelayMs: 60 });
    const before = await messageRows();
    const leave = new AbortController();
    const response = await fetch(`${base}/api/v1/ask`, {
      method: 'POST',
      headers: { ...member, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: QUESTION }),
      signal: leave.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('event: text')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before any text: ${received}`);
      received += new TextDecoder().decode(value);
    }
    leave.abort();
    await eventually(() => provider()?.abandoned === true, 'Kura to close its provider connection');
    await eventually(async () => (await openConnections()) === 0, 'no open connection to Kura');
    // Give a leaked producer the time it would need to finish and store its answer.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await messageRows()).toBe(before);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: member });
    expect(list.json<{ conversations: unknown[] }>().conversations).toEqual([]);
  });

  it('streaming /v1/chat/completions: the openai client aborting mid-stream stops the provider call and leaves no connection', async () => {
    server.reset();
    server.enqueue({ text: LONG_ANSWER, pieceDelayMs: 60 });
    const before = await messageRows();
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'kura',
      messages: [{ role: 'user', content: QUESTION }],
      stream: true,
    });
    let seen = '';
    for await (const chunk of stream) {
      seen += chunk.choices[0]?.delta?.content ?? '';
      if (seen !== '') {
        stream.controller.abort();
        break;
      }
    }
    expect(seen).not.toBe('');
    await eventually(() => provider()?.abandoned === true, 'Kura to close its provider connection');
    await eventually(async () => (await openConnections()) === 0, 'no open connection to Kura');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await messageRows()).toBe(before);
  });

  it('a provider failing mid-stream: an error event, and the partial answer stored and marked incomplete', async () => {
    server.reset();
    server.enqueue({ text: LONG_ANSWER, failAfterPieces: 3 });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: { ...member, accept: 'text/event-stream' },
      payload: { question: QUESTION },
    });
    expect(response.statusCode).toBe(200);
    const events = parseEventStream(response.body);
    const partial = events
      .filter((e) => e.event === 'text')
      .map((e) => (JSON.parse(e.data) as { delta: string }).delta)
      .join('');
    expect(partial.length).toBeGreaterThan(0);
    expect(LONG_ANSWER.startsWith(partial), partial).toBe(true);
    expect(events.some((e) => e.event === 'done')).toBe(false);
    expect(events.at(-1)!.event).toBe('error');
    const error = JSON.parse(events.at(-1)!.data) as {
      code: string;
      message: string;
      conversationId: string;
      messageId: string;
    };
    expect(error.code).toBe('answer_failed');
    expect(error.message).toMatch(/could not be completed/u);

    const stored = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/conversations/${error.conversationId}`,
        headers: member,
      })
    ).json<{
      messages: { id: string; role: string; content: string; status: string; citations: unknown[] }[];
    }>();
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'incomplete'],
    ]);
    expect(stored.messages[1]!.id).toBe(error.messageId);
    expect(stored.messages[1]!.content).toBe(partial);
    expect(stored.messages[1]!.citations).toHaveLength(1);

    // JSON: 502 answer_failed in the one error shape; the partial answer is kept the same way.
    server.enqueue({ text: LONG_ANSWER, failAfterPieces: 2 });
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: member,
      payload: { question: QUESTION },
    });
    expect(json.statusCode).toBe(502);
    expect(json.json<{ error: { code: string } }>().error.code).toBe('answer_failed');

    // The OpenAI stream ends with an error object the client raises, after the partial text.
    server.enqueue({ text: LONG_ANSWER, failAfterPieces: 2 });
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'kura',
      messages: [{ role: 'user', content: QUESTION }],
      stream: true,
    });
    let text = '';
    await expect(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      })(),
    ).rejects.toThrow(/could not be completed/u);
    expect(text.length).toBeGreaterThan(0);
  });

  it('answers unknown conversation ids with 404 and empty or 100 KB questions with 400, before anything streams', async () => {
    server.reset();
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const accept of [undefined, 'text/event-stream']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ask',
        headers: { ...member, ...(accept ? { accept } : {}) },
        payload: { question: QUESTION, conversationId: unknown },
      });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/json/u);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('not_found');
    }
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${unknown}`, headers: member }))
        .statusCode,
    ).toBe(404);

    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 });
    for (const content of ['', '   ', 'x'.repeat(100_000)])
      for (const stream of [false, true]) {
        const call = client.chat.completions.create({
          model: 'kura',
          messages: [{ role: 'user', content }],
          stream,
        });
        await expect(call).rejects.toMatchObject({ status: 400, code: 'invalid_question' });
      }
    expect(server.modelRequests()).toEqual([]);
  });
});
