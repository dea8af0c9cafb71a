import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { cookieHeaders, seedUser, signIn } from '../api/http-helpers.js';
import { sharedAnalyzer } from '../helpers/connectors-harness.js';
import { bearer, createApiKey, createCompany, createGroup } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The audit events the governance issue lists that earlier suites did not cover: ask (query
 * pseudonymised), document text delivered, residency policy changes, usage reports generated, group
 * budget changes, key rotation, backups, and company deletion kept in the group admin's own log.
 * Also: an extractive answer is metered as the ¥0 local model in the group's usage report.
 */
describe('audit coverage of the remaining security-relevant actions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('postgres');
    t.knowledge.analyzer = sharedAnalyzer;
  }, 120_000);
  afterAll(() => t?.close());

  const events = async (tenantId: string, action: string) =>
    t.governance.audit.list(tenantId, { action, limit: 100 });

  it('records ask, document text, policy, usage report, group budget and company deletion over HTTP', async () => {
    const group = await createGroup(t.tenancy);
    const holding = await createCompany(t.tenancy, { groupId: group.id });
    const sub = await createCompany(t.tenancy, { groupId: group.id });
    const doomed = await createCompany(t.tenancy, { groupId: group.id });
    const groupAdminUser = await seedUser(t.tenancy, holding.id, 'group_admin');
    const groupAdmin = cookieHeaders(await signIn(t.app, holding.slug, groupAdminUser.email));
    const admin = bearer(await createApiKey(t.tenancy, sub.id, 'admin'));

    const { payload, headers } = multipartBody(admin, [
      { name: 'file', fileName: 'policy.txt', content: '経費は30日以内に申請する。出張は事前に承認を得る。' },
    ]);
    const uploaded = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers, payload });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const documentId = (uploaded.json() as { results: { document: { id: string } }[] }).results[0]!.document
      .id;

    const question = '経費は何日以内に申請しますか？';
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: admin,
      payload: { question },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const [ask] = await events(sub.id, 'assistant.ask');
    expect(ask!.payload).toMatchObject({ queryLength: question.length, citations: 1 });
    expect(JSON.stringify(ask)).not.toContain('経費');

    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/documents/${documentId}/text`, headers: admin }))
        .statusCode,
    ).toBe(200);
    expect((await events(sub.id, 'document.downloaded'))[0]!.target).toEqual({
      type: 'document',
      id: documentId,
    });

    const policy = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/companies/${sub.id}/policy`,
      headers: groupAdmin,
      payload: { allowedRegions: ['jp-east'], piiMode: 'pseudonymize' },
    });
    expect(policy.statusCode, policy.body).toBe(200);
    expect((await events(sub.id, 'policy.updated'))[0]!.payload).toEqual({
      regions: ['jp-east'],
      pii: 'pseudonymize',
    });

    const month = new Date().toISOString().slice(0, 7);
    const report = await t.app.inject({
      method: 'GET',
      url: `/api/v1/groups/${group.id}/usage?month=${month}`,
      headers: groupAdmin,
    });
    expect(report.statusCode).toBe(200);
    // The extractive answer is a request of the local model, priced at ¥0 (not "unpriced").
    const subUsage = (
      report.json() as { companies: { companyId: string; models: unknown[] }[] }
    ).companies.find((c) => c.companyId === sub.id);
    expect(subUsage!.models).toEqual([
      { provider: 'kura', model: 'extractive', requests: 1, tokensIn: 0, tokensOut: 0, costJpy: 0 },
    ]);
    expect((report.json() as { unpriced: string[] }).unpriced).toEqual([]);
    expect((await events(holding.id, 'usage.report_generated'))[0]!.payload).toEqual({
      month,
      groupId: group.id,
    });

    const budget = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/groups/${group.id}/budget`,
      headers: groupAdmin,
      payload: { monthlyTokens: 5000, split: 'shares', allocations: [{ company: sub.slug, value: 1 }] },
    });
    expect(budget.statusCode, budget.body).toBe(200);
    expect((await events(holding.id, 'policy.group_budget_updated'))[0]!.payload).toEqual({
      monthlyTokens: 5000,
      split: 'shares',
    });

    // Deleting a company shreds its own log; the deletion stays in the group admin's company's log.
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/companies/${doomed.id}`,
      headers: groupAdmin,
    });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    const [deletion] = await events(holding.id, 'company.deleted');
    expect(deletion).toMatchObject({
      target: { type: 'company', id: doomed.id },
      actor: { kind: 'user', id: groupAdminUser.id },
    });
    expect(await events(doomed.id, 'company.created')).toEqual([]);
    expect((await t.governance.auditService.verify(OPERATOR, holding.id)).ok).toBe(true);
  }, 120_000);

  it('records the operator’s key rotation, group budget, usage report and backup in the companies concerned', async () => {
    const group = await createGroup(t.tenancy);
    const a = await createCompany(t.tenancy, { groupId: group.id });
    const b = await createCompany(t.tenancy, { groupId: group.id });
    const recorder = t.governance.operatorAudit;
    await recorder.record('keys.rotate-data-key', { tenant: a.slug }, { version: 2, resealed: 0 });
    expect((await events(a.id, 'keys.rotated'))[0]!.payload).toEqual({ kind: 'data_key', version: 2 });
    await recorder.record('keys.rotate-master', { newMasterKey: 'not logged' }, { rewrapped: 3, already: 0 });
    const budget = await t.governance.groupBudgets.set(OPERATOR, group.id, {
      monthlyTokens: 100,
      split: 'fixed',
      allocations: [{ company: a.slug, value: 100 }],
    });
    await recorder.record('group.budget.set', { group: group.slug }, budget);
    const report = await t.usage.report(OPERATOR, group.id, '2026-11');
    await recorder.record('usage.report', { group: group.slug, month: '2026-11' }, report);
    await recorder.record('backup.create', { out: '/backups/x' }, { database: 'postgresql' });
    for (const company of [a, b]) {
      const master = await events(company.id, 'keys.rotated');
      expect(master.map((e) => e.payload)).toContainEqual({ kind: 'master_key' });
      expect(JSON.stringify(master)).not.toContain('not logged');
      expect((await events(company.id, 'policy.group_budget_updated'))[0]!.payload).toEqual({
        monthlyTokens: 100,
        split: 'fixed',
      });
      expect((await events(company.id, 'usage.report_generated'))[0]!.payload).toEqual({
        month: '2026-11',
        groupId: group.id,
      });
      expect((await events(company.id, 'backup.created'))[0]!.actor).toEqual({ kind: 'operator', id: null });
    }
  }, 120_000);
});
