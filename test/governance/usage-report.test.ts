import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { bearer, createApiKey, createCompany, createGroup } from '../helpers/factories.js';
import { cookieHeaders, seedUser, signIn } from '../api/http-helpers.js';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../helpers/scripted-openai-server.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const PRICES = `
models:
  - provider: jp-openai
    model: scripted-chat
    inputPer1k: 0.5
    outputPer1k: 1.5
`;

describe('group usage and chargeback', () => {
  let t: TestApp;
  let server: ScriptedOpenAiServer;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-prices-'));
    writeFileSync(path.join(dir, 'prices.yaml'), PRICES);
    t = await startTestApp('pglite', { KURA_PRICES_FILE: path.join(dir, 'prices.yaml') });
    server = await startScriptedOpenAiServer();
    await t.governance.providers.add(OPERATOR, {
      name: 'jp-openai',
      kind: 'openai-compatible',
      baseUrl: server.url,
      region: 'jp-east',
      chatModel: 'scripted-chat',
      retainsData: false,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('reports per company and model the tokens, requests and yen of the month, by hand', async () => {
    const group = await createGroup(t.tenancy);
    const alpha = await createCompany(t.tenancy, { groupId: group.id });
    const bravo = await createCompany(t.tenancy, { groupId: group.id });
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const ask = (tenantId: string) =>
      t.governance.gateway.chat(
        { tenantId, userId: null, purpose: 'test.chargeback' },
        { provider: 'jp-openai', messages },
      );
    server.enqueue(
      { text: 'a1', usage: { promptTokens: 1200, completionTokens: 300 } },
      { text: 'a2', usage: { promptTokens: 800, completionTokens: 700 } },
      { text: 'b1', usage: { promptTokens: 2000, completionTokens: 1000 } },
    );
    await ask(alpha.id);
    await ask(alpha.id);
    await ask(bravo.id);
    const month = new Date().toISOString().slice(0, 7);

    const report = await t.usage.report(OPERATOR, group.id, month);
    const byslug = Object.fromEntries(report.companies.map((c) => [c.slug, c]));
    // alpha: 2,000 in × ¥0.5/1k + 1,000 out × ¥1.5/1k = ¥1 + ¥1.5 = ¥2.50
    expect(byslug[alpha.slug]).toMatchObject({ requests: 2, tokensIn: 2000, tokensOut: 1000, costJpy: 2.5 });
    // bravo: 2,000 × 0.5/1k + 1,000 × 1.5/1k = ¥2.50
    expect(byslug[bravo.slug]).toMatchObject({ requests: 1, tokensIn: 2000, tokensOut: 1000, costJpy: 2.5 });
    expect(byslug[alpha.slug]!.models).toEqual([
      {
        provider: 'jp-openai',
        model: 'scripted-chat',
        requests: 2,
        tokensIn: 2000,
        tokensOut: 1000,
        costJpy: 2.5,
      },
    ]);
    expect(report.totals).toMatchObject({ requests: 3, tokensIn: 4000, tokensOut: 2000, costJpy: 5 });
    expect(report.unpriced).toEqual([]);
    // Another month has nothing.
    const empty = await t.usage.report(OPERATOR, group.id, '2020-01');
    expect(empty.totals.requests).toBe(0);

    // Over HTTP: the group admin sees the same figures; a company admin of the group does not.
    const admin = await seedUser(t.tenancy, alpha.id, 'group_admin');
    const session = await signIn(t.app, alpha.slug, admin.email);
    const viaApi = await t.app.inject({
      method: 'GET',
      url: `/api/v1/groups/${group.id}/usage?month=${month}`,
      headers: cookieHeaders(session),
    });
    expect(viaApi.statusCode, viaApi.body).toBe(200);
    expect(viaApi.json()).toEqual(report);
    const companyAdmin = await createApiKey(t.tenancy, bravo.id, 'admin');
    const refused = await t.app.inject({
      method: 'GET',
      url: `/api/v1/groups/${group.id}/usage?month=${month}`,
      headers: bearer(companyAdmin),
    });
    expect(refused.statusCode).toBe(404);
    const badMonth = await t.app.inject({
      method: 'GET',
      url: `/api/v1/groups/${group.id}/usage?month=2026-13`,
      headers: cookieHeaders(session),
    });
    expect(badMonth.statusCode).toBe(400);
  });
});
