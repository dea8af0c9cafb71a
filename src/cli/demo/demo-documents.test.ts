import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectors } from '../../connectors/connectors-module.js';
import { createKnowledge, type Knowledge } from '../../ingest/knowledge-module.js';
import type { Database } from '../../platform/db/database.js';
import { createLogger } from '../../platform/log/logger.js';
import { OPERATOR } from '../../tenancy/actor.js';
import { createTenancy, type Tenancy } from '../../tenancy/tenancy-module.js';
import { sharedAnalyzer } from '../../../test/helpers/connectors-harness.js';
import { ENGINES, createTestDatabase } from '../../../test/helpers/test-database.js';
import type { Runtime } from '../runtime.js';
import { DEMO_SOURCE_NAME, demoDocuments, seedDemoDocuments } from './demo-documents.js';

describe('demo documents', () => {
  it('are different for each demo company, in Japanese and English, with a price list as XLSX and a PDF manual', async () => {
    const mobile = (await demoDocuments('sora-mobile')).map((d) => d.fileName);
    const pay = (await demoDocuments('sora-pay')).map((d) => d.fileName);
    const holding = (await demoDocuments('sora-hd')).map((d) => d.fileName);
    for (const names of [mobile, pay, holding]) {
      expect(names).toEqual(
        expect.arrayContaining([
          '就業規則.md',
          '経費精算規程.md',
          '情報セキュリティ規程.html',
          '取締役会議事録_2025年9月.txt',
        ]),
      );
      expect(names.some((n) => n.endsWith('.xlsx'))).toBe(true);
      expect(names.some((n) => n.endsWith('.pdf'))).toBe(true);
    }
    for (const names of [mobile, pay]) expect(names.some((n) => /^[A-Z][A-Za-z_-]+\.md$/.test(n))).toBe(true);
    expect(holding).toContain('グループ共通サービスFAQ.md');
    expect(mobile).toContain('料金プランFAQ.md');
    expect(pay).toContain('加盟店FAQ.md');
  });
});

describe.each(ENGINES)('seeding the demo documents on %s', (engine) => {
  let db: Database;
  let tenancy: Tenancy;
  let knowledge: Knowledge;
  let rt: Runtime;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    knowledge = { ...createKnowledge(db), analyzer: sharedAnalyzer };
    const connectors = createConnectors(db, knowledge, tenancy, {
      ingest: { maxFileBytes: 10 * 1024 * 1024, folderRoots: [] },
    });
    rt = { db, tenancy, knowledge, connectors, logger: createLogger('silent') } as unknown as Runtime;
  });
  afterAll(() => db.close());

  it('indexes each company’s own set once, so a first question finds its answer only there', async () => {
    const mobile = await tenancy.companies.create(OPERATOR, {
      slug: 'sora-mobile',
      name: 'ソラモバイル株式会社',
    });
    const pay = await tenancy.companies.create(OPERATOR, { slug: 'sora-pay', name: 'ソラペイ株式会社' });
    const holding = await tenancy.companies.create(OPERATOR, {
      slug: 'sora-hd',
      name: 'ソラホールディングス株式会社',
    });
    const slugs = ['sora-mobile', 'sora-pay', 'sora-hd'];
    const results = await seedDemoDocuments(rt, slugs);
    expect(results).toEqual(
      await Promise.all(
        slugs.map(async (slug) => ({
          company: slug,
          indexed: (await demoDocuments(slug)).length,
          failed: [],
        })),
      ),
    );
    expect(await seedDemoDocuments(rt, slugs)).toEqual([]);

    const docs = await rt.connectors.documents.list(OPERATOR, mobile.id, { limit: 100 });
    const byName = new Map(docs.documents.map((d) => [d.externalId, d]));
    expect(byName.get('demo/料金表.xlsx')).toMatchObject({
      status: 'indexed',
      mimeType: expect.stringContaining('spreadsheetml'),
    });
    expect(byName.get('demo/端末設定マニュアル.pdf')).toMatchObject({
      status: 'indexed',
      mimeType: 'application/pdf',
    });
    const sources = await rt.connectors.sources.list(OPERATOR, mobile.id);
    expect(sources.map((s) => s.name)).toEqual([DEMO_SOURCE_NAME]);

    const search = await knowledge.search();
    const ask = async (tenantId: string, q: string) =>
      (await search.search(OPERATOR, tenantId, { q, limit: 3 })).results.map((r) => r.title);
    expect((await ask(mobile.id, '経費の申請期限'))[0]).toMatch(/経費精算規程/);
    expect(await ask(mobile.id, 'ソラ5Gギガ 月額')).toEqual(
      expect.arrayContaining([expect.stringMatching(/料金/)]),
    );
    expect(await ask(pay.id, 'ソラ5Gギガ 月額')).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/料金/)]),
    );
    expect((await ask(pay.id, 'QRコード決済の手数料'))[0]).toMatch(/手数料表|加盟店FAQ/);
    expect(await ask(mobile.id, 'AML transaction monitoring scenarios')).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/AML/)]),
    );
    expect((await ask(pay.id, 'transaction monitoring scenarios'))[0]).toMatch(/Anti-Money Laundering|AML/);
    expect((await ask(holding.id, 'Kura 導入 初年度予算'))[0]).toMatch(/取締役会議事録/);
    expect(await ask(holding.id, 'グループSOC監視 月額')).toEqual(
      expect.arrayContaining([expect.stringMatching(/料金表/)]),
    );
    expect(await ask(mobile.id, 'グループSOC監視 月額')).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/グループ共通サービス料金表/)]),
    );
  });
});
