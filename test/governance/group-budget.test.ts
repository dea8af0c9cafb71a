import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { cookieHeaders, seedUser, signIn } from '../api/http-helpers.js';
import { bearer, createApiKey, createCompany, createGroup } from '../helpers/factories.js';
import { startGatewayHarness, type GatewayHarness } from '../helpers/gateway-harness.js';
import { runCli } from '../helpers/run-cli.js';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../helpers/scripted-openai-server.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('group budget in the model gateway', () => {
  let h: GatewayHarness;
  let server: ScriptedOpenAiServer;
  beforeAll(async () => {
    h = await startGatewayHarness('pglite');
    server = await startScriptedOpenAiServer();
    await h.addProvider({ name: 'group-llm', url: server.url, region: 'jp-east' });
  }, 300_000); // a new PGlite database takes minutes when the shared 2-core machine is loaded
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  const messages = [{ role: 'user' as const, content: 'hello' }];
  /** A call the guard refuses: no scripted reply is queued, since none is consumed. */
  const attempt = (tenantId: string) =>
    h.governance.gateway.chat(
      { tenantId, userId: null, purpose: 'test.group-budget' },
      { provider: 'group-llm', messages },
    );
  const call = (tenantId: string, text: string, promptTokens: number, completionTokens = 0) => {
    server.enqueue({ text, usage: { promptTokens, completionTokens } });
    return attempt(tenantId);
  };

  it('gives each company its share; past it, 429 quota_exceeded names the group budget, and nothing leaves', async () => {
    const group = await createGroup(h.tenancy);
    const pay = await createCompany(h.tenancy, { groupId: group.id });
    const mobile = await createCompany(h.tenancy, { groupId: group.id });
    const unlisted = await createCompany(h.tenancy, { groupId: group.id });
    const view = await h.governance.groupBudgets.set(OPERATOR, group.id, {
      monthlyTokens: 1000,
      split: 'shares',
      allocations: [
        { company: pay.slug, value: 3 },
        { company: mobile.id, value: 1 },
      ],
    });
    expect(Object.fromEntries(view.companies.map((c) => [c.slug, c.allowanceTokens]))).toEqual({
      [pay.slug]: 750,
      [mobile.slug]: 250,
      [unlisted.slug]: 0,
    });

    expect((await call(pay.id, 'first', 500, 200)).text).toBe('first'); // 700 of 750
    expect((await call(pay.id, 'second', 100)).text).toBe('second'); // crosses: 800
    const sent = server.modelRequests().length;
    const refused = attempt(pay.id);
    await expect(refused).rejects.toMatchObject({
      status: 429,
      code: 'quota_exceeded',
      details: { reason: 'group_monthly_tokens', limit: 750, used: 800, groupLimit: 1000 },
    });
    await expect(refused).rejects.toThrow(new RegExp(`group budget of ${group.name}`));
    const error = (await refused.catch((e: unknown) => e)) as { headers: Record<string, string> };
    expect(Number(error.headers['retry-after'])).toBeGreaterThan(0);
    // A company outside the split has no part of the group budget.
    await expect(attempt(unlisted.id)).rejects.toMatchObject({
      details: { reason: 'group_monthly_tokens', limit: 0 },
    });
    // The other company still has its part.
    expect((await call(mobile.id, 'third', 100)).text).toBe('third');
    expect(server.modelRequests().length).toBe(sent + 1);

    // The group total holds even when each company is under its fixed amount.
    await h.governance.groupBudgets.set(OPERATOR, group.id, {
      monthlyTokens: 1000,
      split: 'fixed',
      allocations: [
        { company: pay.slug, value: 850 },
        { company: mobile.slug, value: 150 },
      ],
    });
    expect((await call(pay.id, 'fourth', 80)).text).toBe('fourth'); // pay 880 of 850 after, group 980
    expect((await call(mobile.id, 'fifth', 30)).text).toBe('fifth'); // mobile 130 of 150, group 1010
    await expect(attempt(mobile.id)).rejects.toThrow(
      /has used 1010 of its 1000 model tokens this month \(the group budget\)/,
    );

    // Removing the group budget leaves only the companies' own limits.
    await h.governance.groupBudgets.remove(OPERATOR, group.id);
    expect((await call(unlisted.id, 'sixth', 1)).text).toBe('sixth');
  }, 120_000);
});

describe('group budget over HTTP and the CLI', () => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-group-budget-'));
  beforeAll(async () => {
    t = await startTestApp('postgres');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the group admin set and read it; company admins and other groups cannot; bad splits are refused', async () => {
    const g = await createGroup(t.tenancy);
    const holding = await createCompany(t.tenancy, { groupId: g.id });
    const sub = await createCompany(t.tenancy, { groupId: g.id });
    const groupAdmin = cookieHeaders(
      await signIn(t.app, holding.slug, (await seedUser(t.tenancy, holding.id, 'group_admin')).email),
    );
    const subAdmin = bearer(await createApiKey(t.tenancy, sub.id, 'admin'));
    const otherGroup = await createGroup(t.tenancy);
    const stranger = await createCompany(t.tenancy, { groupId: otherGroup.id });
    const strangerAdmin = cookieHeaders(
      await signIn(t.app, stranger.slug, (await seedUser(t.tenancy, stranger.id, 'group_admin')).email),
    );
    const url = `/api/v1/groups/${g.id}/budget`;
    const put = (headers: Record<string, string>, payload: unknown) =>
      t.app.inject({ method: 'PUT', url, headers, payload: payload as Record<string, unknown> });

    const empty = await t.app.inject({ method: 'GET', url, headers: groupAdmin });
    expect(empty.json()).toMatchObject({ monthlyTokens: null, split: null, usedTokens: 0 });
    const set = await put(groupAdmin, {
      monthlyTokens: 2_000_000,
      split: 'fixed',
      allocations: [
        { company: holding.slug, value: 500_000 },
        { company: sub.id, value: 1_500_000 },
      ],
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().companies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          slug: sub.slug,
          value: 1_500_000,
          allowanceTokens: 1_500_000,
          usedTokens: 0,
        }),
      ]),
    );
    expect((await put(subAdmin, { monthlyTokens: 1, split: 'shares', allocations: [] })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: 'GET', url, headers: strangerAdmin })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);

    const foreign = await put(groupAdmin, {
      monthlyTokens: 10,
      split: 'shares',
      allocations: [{ company: stranger.slug, value: 1 }],
    });
    expect(foreign.json().error.code).toBe('company_not_in_group');
    const tooMuch = await put(groupAdmin, {
      monthlyTokens: 10,
      split: 'fixed',
      allocations: [{ company: sub.slug, value: 11 }],
    });
    expect(tooMuch.json().error.code).toBe('allocation_exceeds_budget');
    expect((await put(groupAdmin, { monthlyTokens: -1, split: 'shares', allocations: [] })).statusCode).toBe(
      400,
    );
    // The change is in the group admin's audit log.
    const events = await t.governance.audit.list(holding.id, {
      action: 'policy.group_budget_updated',
      limit: 10,
    });
    expect(events.length).toBeGreaterThan(0);

    const removed = await t.app.inject({ method: 'DELETE', url, headers: groupAdmin });
    expect(removed.json()).toMatchObject({ monthlyTokens: null });
  }, 120_000);

  it('kura group budget set and show', async () => {
    const env = { KURA_DATA_DIR: dir };
    expect((await runCli(['group', 'create', 'hd', '--name', 'Holdings'], env)).code).toBe(0);
    for (const slug of ['pay', 'mobile'])
      expect((await runCli(['tenant', 'create', slug, '--name', slug, '--group', 'hd'], env)).code).toBe(0);
    const set = await runCli(
      [
        'group',
        'budget',
        'set',
        '--group',
        'hd',
        '--monthly-tokens',
        '900',
        '--split',
        'shares',
        '--allocate',
        'pay=2',
        '--allocate',
        'mobile=1',
      ],
      env,
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/group budget 900 tokens a month, split by shares/);
    expect(set.stdout).toMatch(/pay: 0 used of 600 \(share 2\)/);
    expect(set.stdout).toMatch(/mobile: 0 used of 300 \(share 1\)/);
    const bad = await runCli(
      ['group', 'budget', 'set', '--group', 'hd', '--monthly-tokens', '9', '--allocate', 'pay'],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/company=number/);
    const shown = await runCli(['group', 'budget', 'show', '--group', 'hd', '--json'], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ monthlyTokens: 900, split: 'shares' });
  }, 180_000);
});
