import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuotaRepository } from '../../src/governance/quotas/quota-repository.js';
import { startGatewayHarness, type GatewayHarness } from '../helpers/gateway-harness.js';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../helpers/scripted-openai-server.js';
import { createCompany } from '../helpers/factories.js';

describe('monthly token budget', () => {
  let h: GatewayHarness;
  let server: ScriptedOpenAiServer;
  beforeAll(async () => {
    h = await startGatewayHarness('pglite');
    server = await startScriptedOpenAiServer();
    await h.addProvider({ name: 'budgeted', url: server.url, region: 'jp-east' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('a spent budget refuses model calls with 429 quota_exceeded before any byte leaves', async () => {
    const company = await createCompany(h.tenancy);
    await new QuotaRepository(h.db).set(company.id, { monthlyTokens: 1000 });
    const ctx = { tenantId: company.id, userId: null, purpose: 'test.budget' };
    const messages = [{ role: 'user' as const, content: 'hello' }];
    server.enqueue({ text: 'first', usage: { promptTokens: 600, completionTokens: 300 } });
    expect((await h.governance.gateway.chat(ctx, { provider: 'budgeted', messages })).text).toBe('first');
    server.enqueue({ text: 'second', usage: { promptTokens: 50, completionTokens: 100 } });
    // 900 of 1,000 used: still under the budget, so this call goes out (and overshoots to 1,050).
    expect((await h.governance.gateway.chat(ctx, { provider: 'budgeted', messages })).text).toBe('second');
    const sent = server.modelRequests().length;

    const refusal = h.governance.gateway.chat(ctx, {
      provider: 'budgeted',
      messages: [{ role: 'user', content: 'secret plan' }],
    });
    await expect(refusal).rejects.toMatchObject({
      status: 429,
      code: 'quota_exceeded',
      details: { reason: 'monthly_tokens', limit: 1000, used: 1050 },
    });
    await expect(refusal).rejects.toThrow(/used 1050 of its 1000 model tokens this month/);
    expect(server.modelRequests().length).toBe(sent);
    expect(server.requests.some((r) => r.rawBody.includes('secret plan'))).toBe(false);
    const refused = (await h.governance.usage.list(company.id)).filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => e.errorCode)).toEqual(['quota_exceeded']);

    // Raising the budget lets calls through again.
    await new QuotaRepository(h.db).set(company.id, { monthlyTokens: 5000 });
    server.enqueue({ text: 'third' });
    expect((await h.governance.gateway.chat(ctx, { provider: 'budgeted', messages })).text).toBe('third');
  });
});
