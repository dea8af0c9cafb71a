import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { createCompany } from '../helpers/factories.js';
import { startGatewayHarness, type GatewayHarness } from '../helpers/gateway-harness.js';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../helpers/scripted-openai-server.js';
import type { ModelCallContext } from '../../src/platform/llm/model-gateway.js';

/**
 * What leaves the process, read from the providers' own request logs: a company limited to Japan
 * never causes one request to a `us` provider on any path, and the refusal is typed and recorded.
 */
describe('egress guard (real OpenAI-protocol servers)', () => {
  let h: GatewayHarness;
  let jp: ScriptedOpenAiServer;
  let us: ScriptedOpenAiServer;
  beforeAll(async () => {
    h = await startGatewayHarness();
    jp = await startScriptedOpenAiServer();
    us = await startScriptedOpenAiServer();
    await h.addProvider({
      name: 'us-openai',
      url: us.url,
      region: 'us',
      kind: 'openai',
      apiKey: 'sk-us-secret',
    });
    await h.addProvider({ name: 'jp-vllm', url: jp.url, region: 'jp-east' });
  });
  afterAll(async () => {
    await Promise.all([jp.close(), us.close()]);
    await h.close();
  });
  beforeEach(() => {
    jp.reset();
    us.reset();
  });

  const ctxFor = (tenantId: string): ModelCallContext => ({ tenantId, userId: null, purpose: 'test.guard' });
  const tool = {
    lookup: {
      description: 'look up an order',
      inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
    },
  };

  async function expectRefused(promise: Promise<unknown>, provider: string, region: string) {
    const error = (await promise.then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: string; status?: number; message?: string } | undefined;
    expect(error?.code).toBe('residency_violation');
    expect(error?.status).toBe(403);
    expect(error?.message).toContain(provider);
    expect(error?.message).toContain(`region ${region}`);
  }

  it('a jp-east company never reaches the us provider: chat, stream, embeddings, tool rounds', async () => {
    const company = await createCompany(h.tenancy, { sector: 'government' });
    await h.governance.residency.update(OPERATOR, company.id, { allowedRegions: ['jp-east'] });
    const ctx = ctxFor(company.id);
    const gw = h.governance.gateway;
    const messages = [{ role: 'user' as const, content: '山田太郎さんの注文は？' }];

    await expectRefused(gw.chat(ctx, { provider: 'us-openai', messages }), 'us-openai', 'us');
    await expectRefused(
      (async () => {
        for await (const _ of gw.streamChat(ctx, { provider: 'us-openai', messages }));
      })(),
      'us-openai',
      'us',
    );
    await expectRefused(gw.embed(ctx, { provider: 'us-openai', texts: ['a', 'b'] }), 'us-openai', 'us');

    // The default provider is the allowed one; a tool round trip stays there too.
    expect((await gw.chatProviderFor(company.id))?.name).toBe('jp-vllm');
    jp.enqueue(
      { toolCalls: [{ name: 'lookup', arguments: { id: 'A-1' } }] },
      { text: '注文 A-1 は発送済みです。' },
    );
    const round1 = await gw.chat(ctx, { messages, tools: tool });
    expect(round1.toolCalls).toEqual([{ id: 'call_1', name: 'lookup', input: { id: 'A-1' } }]);
    const round2 = await gw.chat(ctx, {
      messages: [
        ...messages,
        ...round1.responseMessages,
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'lookup',
              output: { type: 'text', value: 'shipped' },
            },
          ],
        },
      ],
      tools: tool,
    });
    expect(round2.text).toBe('注文 A-1 は発送済みです。');
    // A tool round aimed at the us provider is refused like any other call.
    await expectRefused(gw.chat(ctx, { provider: 'us-openai', messages, tools: tool }), 'us-openai', 'us');
    const streamed: string[] = [];
    for await (const event of gw.streamChat(ctx, { messages }))
      if (event.type === 'text-delta') streamed.push(event.text);
    expect(streamed.join('')).toBe('scripted answer');
    expect((await gw.embed(ctx, { texts: ['一', '二', '三'], batchSize: 2 })).embeddings).toHaveLength(3);

    expect(us.requests, 'requests that reached the us provider').toEqual([]);
    expect(jp.modelRequests().map((r) => r.path)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/embeddings',
      '/v1/embeddings',
    ]);
    const events = await h.governance.usage.list(company.id);
    const refused = events.filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => e.operation)).toEqual(['chat', 'stream', 'embed', 'chat']);
    expect(
      refused.every(
        (e) => e.provider === 'us-openai' && e.region === 'us' && e.errorCode === 'residency_violation',
      ),
    ).toBe(true);
  });

  it('when the policy allows no provider, there is no default and nothing is sent', async () => {
    const company = await createCompany(h.tenancy);
    await h.governance.residency.update(OPERATOR, company.id, { allowedRegions: ['on-prem'] });
    expect(await h.governance.gateway.chatProviderFor(company.id)).toBeNull();
    expect(await h.governance.gateway.embeddingProviderFor(company.id)).toBeNull();
    const error = await h.governance.gateway
      .chat(ctxFor(company.id), { messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: { code: string }) => e);
    expect(error).toMatchObject({ code: 'no_provider' });
    expect([...jp.requests, ...us.requests]).toEqual([]);
  });

  it('refuses retaining providers, providers not on the list, and fails closed without a policy', async () => {
    await h.addProvider({ name: 'jp-retaining', url: jp.url, region: 'jp-west', retainsData: true });
    const medical = await createCompany(h.tenancy, { sector: 'medical' });
    const ctx = ctxFor(medical.id);
    const messages = [{ role: 'user' as const, content: 'x' }];
    await expectRefused(
      h.governance.gateway.chat(ctx, { provider: 'jp-retaining', messages }),
      'jp-retaining',
      'jp-west',
    );
    await h.governance.residency.update(OPERATOR, medical.id, { allowedProviders: ['jp-retaining'] });
    await expectRefused(
      h.governance.gateway.chat(ctx, { provider: 'jp-vllm', messages }),
      'jp-vllm',
      'jp-east',
    );

    // A company created without the governance hook has no policy: everything is refused.
    const bare = await h.tenancy.repos.companies.insert({
      id: crypto.randomUUID(),
      slug: `bare-${Date.now()}`,
      name: 'No policy',
      groupId: null,
      region: 'jp-east',
      sector: 'general',
    });
    await expectRefused(
      h.governance.gateway.chat(ctxFor(bare.id), { provider: 'jp-vllm', messages }),
      'jp-vllm',
      'jp-east',
    );
    expect(await h.governance.gateway.chatProviderFor(bare.id)).toBeNull();
    expect(jp.requests).toEqual([]);
  });

  it('general companies may use any known region; the call is metered with tokens and latency', async () => {
    const company = await createCompany(h.tenancy);
    us.enqueue({ text: 'hello', usage: { promptTokens: 21, completionTokens: 4 } });
    const answer = await h.governance.gateway.chat(
      { tenantId: company.id, userId: 'user-1', purpose: 'assistant.answer' },
      { provider: 'us-openai', messages: [{ role: 'user', content: 'hi' }] },
    );
    expect(answer.text).toBe('hello');
    expect(us.requests[0]!.headers.authorization).toBe('Bearer sk-us-secret');
    const [event] = await h.governance.usage.list(company.id);
    expect(event).toMatchObject({
      userId: 'user-1',
      purpose: 'assistant.answer',
      operation: 'chat',
      provider: 'us-openai',
      model: 'scripted-chat',
      region: 'us',
      tokensIn: 21,
      tokensOut: 4,
      outcome: 'ok',
    });
    expect(event!.latencyMs).toBeGreaterThanOrEqual(0);
  });
  it('an azure provider is called at its deployment path with its api-key header', async () => {
    const company = await createCompany(h.tenancy, { sector: 'finance' });
    await h.addProvider({
      name: 'jp-azure',
      url: `${jp.origin}/openai/v1`,
      region: 'jp-east',
      kind: 'azure',
      apiKey: 'azure-key-1',
    });
    const answer = await h.governance.gateway.chat(ctxFor(company.id), {
      provider: 'jp-azure',
      messages: [{ role: 'user', content: '為替の規程は？' }],
    });
    expect(answer.text).toBe('scripted answer');
    const [request] = jp.modelRequests();
    expect(request!.path).toBe('/openai/v1/chat/completions');
    expect(request!.headers['api-key']).toBe('azure-key-1');
    expect(request!.body?.messages).toEqual([{ role: 'user', content: '為替の規程は？' }]);
  });
});
