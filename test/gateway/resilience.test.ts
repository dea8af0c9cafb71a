import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCompany } from '../helpers/factories.js';
import { startGatewayHarness, type GatewayHarness } from '../helpers/gateway-harness.js';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../helpers/scripted-openai-server.js';
import type { ModelCallContext } from '../../src/platform/llm/model-gateway.js';

/** Retries, the circuit breaker and timeouts, observed as requests received by a real server. */
describe('gateway resilience', () => {
  let h: GatewayHarness;
  let server: ScriptedOpenAiServer;
  let ctx: ModelCallContext;
  const messages = [{ role: 'user' as const, content: 'hello' }];
  beforeAll(async () => {
    h = await startGatewayHarness('pglite', {
      llm: { timeoutMs: 1_500, maxRetries: 3 },
      breaker: { failureThreshold: 4, cooldownMs: 60_000 },
    });
    server = await startScriptedOpenAiServer();
    ctx = { tenantId: (await createCompany(h.tenancy)).id, userId: null, purpose: 'test.resilience' };
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });
  beforeEach(() => server.reset());

  it('retries 429 and 500 with backoff, then succeeds (chat, stream, embeddings)', async () => {
    await h.addProvider({ name: 'flaky', url: server.url, region: 'jp-east' });
    server.enqueue({ status: 429, headers: { 'retry-after': '0' } }, { status: 500 }, { text: 'third time' });
    expect((await h.governance.gateway.chat(ctx, { provider: 'flaky', messages })).text).toBe('third time');
    expect(server.modelRequests()).toHaveLength(3);

    server.reset();
    server.enqueue({ status: 503 }, { text: 'streamed after a retry' });
    let text = '';
    for await (const e of h.governance.gateway.streamChat(ctx, { provider: 'flaky', messages }))
      if (e.type === 'text-delta') text += e.text;
    expect(text).toBe('streamed after a retry');
    expect(server.modelRequests()).toHaveLength(2);

    server.reset();
    server.enqueue({ status: 502 });
    const embedded = await h.governance.gateway.embed(ctx, { provider: 'flaky', texts: ['a'] });
    expect(embedded.embeddings).toHaveLength(1);
    expect(server.modelRequests()).toHaveLength(2);
  });

  it('does not retry a 400; gives up after maxRetries with provider_error', async () => {
    await h.addProvider({ name: 'strict', url: server.url, region: 'jp-east' });
    server.enqueue({ status: 400 });
    await expect(h.governance.gateway.chat(ctx, { provider: 'strict', messages })).rejects.toMatchObject({
      code: 'provider_error',
    });
    expect(server.modelRequests()).toHaveLength(1);
    server.reset();
    server.enqueue({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await expect(h.governance.gateway.chat(ctx, { provider: 'strict', messages })).rejects.toMatchObject({
      code: 'provider_error',
      status: 502,
    });
    expect(server.modelRequests()).toHaveLength(4);
  });

  it('a slow provider times out with provider_timeout', async () => {
    await h.addProvider({ name: 'slow', url: server.url, region: 'jp-east' });
    server.enqueue({ delayMs: 5_000, text: 'too late' });
    const started = Date.now();
    await expect(h.governance.gateway.chat(ctx, { provider: 'slow', messages })).rejects.toMatchObject({
      code: 'provider_timeout',
      status: 504,
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    const events = await h.governance.usage.list(ctx.tenantId);
    expect(events.at(-1)).toMatchObject({
      provider: 'slow',
      outcome: 'error',
      errorCode: 'provider_timeout',
    });
  });

  it('the circuit opens after repeated failures and then refuses fast, without a request', async () => {
    await h.addProvider({ name: 'down', url: server.url, region: 'jp-east' });
    server.script(() => ({ status: 500 }));
    await expect(h.governance.gateway.chat(ctx, { provider: 'down', messages })).rejects.toMatchObject({
      code: 'provider_error',
    });
    expect(server.modelRequests()).toHaveLength(4);
    const started = Date.now();
    await expect(h.governance.gateway.chat(ctx, { provider: 'down', messages })).rejects.toMatchObject({
      code: 'provider_unavailable',
      status: 503,
    });
    await expect(h.governance.gateway.embed(ctx, { provider: 'down', texts: ['x'] })).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
    // Faster than a single attempt's timeout (1.5 s): nothing waited for the provider.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.modelRequests(), 'no request while the circuit is open').toHaveLength(4);
    // Another provider is unaffected.
    await h.addProvider({ name: 'healthy', url: (await startOther()).url, region: 'jp-east' });
    expect((await h.governance.gateway.chat(ctx, { provider: 'healthy', messages })).text).toBe(
      'scripted answer',
    );
  });

  const others: ScriptedOpenAiServer[] = [];
  async function startOther() {
    const s = await startScriptedOpenAiServer();
    others.push(s);
    return s;
  }
  afterAll(() => Promise.all(others.map((s) => s.close())));
});
