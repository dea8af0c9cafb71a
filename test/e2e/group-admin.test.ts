import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import {
  ACCOUNTS,
  DEMO_PASSWORD,
  expectAccessible,
  heading,
  newPage,
  openFromMenu,
  pageErrors,
  screenshot,
  signIn,
  startHarness,
  type Harness,
} from './support.js';

const JOURNEY = 'group-admin';
const USAGE_JOURNEY = 'group-usage';

/** A company admin's documents, read through the API with that admin's own session. */
async function documentsOf(
  context: BrowserContext,
  company: string,
): Promise<{ id: string; title: string; status: string; sizeBytes: number }[]> {
  const login = await context.request.post('/api/v1/auth/login', {
    data: { company, email: `admin@${company}.example`, password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const answer = (await (await context.request.get('/api/v1/documents?limit=100')).json()) as {
    documents: { id: string; title: string; status: string; sizeBytes: number }[];
  };
  return answer.documents;
}

describe('console: a group admin', () => {
  let h: Harness;
  // The demo's first start indexes its documents: slow when other work shares the CPU.
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('sees the operating companies of the group, adds a company and renames it, and nothing more', async () => {
    const { context, page } = await newPage(h);
    await page.goto('/');
    await signIn(page, ACCOUNTS.groupAdmin);
    expect(await heading(page)).toBe('ホーム');
    const main = page.getByRole('main');
    const home = await main.innerText();
    for (const fact of ['持株 太郎', 'ソラホールディングス株式会社', 'グループ管理者', 'ソラグループ'])
      expect(home).toContain(fact);
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual([
      'ホーム',
      'ユーザー',
      'グループ会社',
    ]);
    await screenshot(page, JOURNEY, 'home');
    await expectAccessible(page, 'home');

    await openFromMenu(page, 'グループ会社');
    expect(await heading(page)).toBe('グループ会社');
    const table = main.getByRole('table', { name: '会社一覧' });
    await table.getByRole('row', { name: /ソラペイ株式会社/ }).waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows.join('\n')).toContain('ソラモバイル株式会社');
    expect(rows.join('\n')).toContain('ソラペイ株式会社');
    expect(await table.getByRole('row', { name: /ソラペイ株式会社/ }).innerText()).toMatch(
      /sora-pay[\s\S]*日本（西日本）[\s\S]*金融/,
    );
    // Names and settings only: nothing leads into a company's content.
    expect(await table.getByRole('link').count()).toBe(0);
    await screenshot(page, JOURNEY, 'group');
    await expectAccessible(page, 'group');

    // Add a company.
    await page.getByLabel('会社名', { exact: true }).fill('ソラ銀行株式会社');
    await page.getByLabel('会社ID', { exact: true }).fill('sora-bank');
    await page.getByLabel('データの保管リージョン').selectOption('jp-west');
    await page.getByLabel('業種').selectOption('finance');
    // What the sector's preset sets, from the server's table (GET /api/v1/sector-presets).
    await expect
      .poll(() => page.getByTestId('create-preset').innerText())
      .toMatch(/日本（東日本）[\s\S]*日本（西日本）[\s\S]*許可[\s\S]*仮名化/);
    const presets = (await (await context.request.get('/api/v1/sector-presets')).json()) as {
      presets: { sector: string; rules: { allowedRegions: string[] | null; piiMode: string } }[];
    };
    expect(presets.presets.find((p) => p.sector === 'finance')?.rules).toMatchObject({
      allowedRegions: ['jp-east', 'jp-west'],
      piiMode: 'pseudonymize',
    });
    await page.getByRole('button', { name: '会社を追加' }).click();
    await page.getByText('ソラ銀行株式会社 を追加しました。').waitFor();
    const bank = table.getByRole('row', { name: /ソラ銀行株式会社/ });
    expect(await bank.innerText()).toMatch(/sora-bank[\s\S]*日本（西日本）[\s\S]*金融/);
    expect(await page.getByLabel('会社ID', { exact: true }).inputValue()).toBe('');
    await screenshot(page, JOURNEY, 'group-company-added');
    await expectAccessible(page, 'group after adding');

    // A taken company ID is refused with a clear message.
    await page.getByLabel('会社名', { exact: true }).fill('重複テスト');
    await page.getByLabel('会社ID', { exact: true }).fill('sora-pay');
    await page.getByRole('button', { name: '会社を追加' }).click();
    await main.getByRole('alert').filter({ hasText: 'この会社IDは既に使われています。' }).waitFor();

    // Rename it.
    await bank.getByRole('button', { name: '名前を変更' }).click();
    const rename = page.getByLabel('ソラ銀行株式会社 の新しい名前');
    await rename.fill('ソラバンク株式会社');
    await screenshot(page, JOURNEY, 'group-rename');
    await expectAccessible(page, 'group renaming');
    await rename.press('Enter');
    await page.getByText('会社名を「ソラバンク株式会社」に変更しました。').waitFor();
    const companies = (await (await context.request.get('/api/v1/companies')).json()) as {
      companies: { slug: string; name: string; region: string; sector: string }[];
    };
    expect(companies.companies.find((c) => c.slug === 'sora-bank')).toMatchObject({
      name: 'ソラバンク株式会社',
      region: 'jp-west',
      sector: 'finance',
    });

    // Users of the holding company are theirs to manage; API keys are not.
    await openFromMenu(page, 'ユーザー');
    await main.getByRole('cell', { name: 'group-admin@sora-hd.example' }).waitFor();
    await screenshot(page, JOURNEY, 'users');
    await expectAccessible(page, 'users');
    await page.goto('/api-keys');
    await page.getByTestId('not-allowed').waitFor();
    expect(await heading(page)).toBe('このページを表示する権限がありません');
    await screenshot(page, JOURNEY, 'api-keys-not-allowed');
    expect((await context.request.get('/api/v1/api-keys')).status()).toBe(403);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

describe('console: journey 3, the group admin sees usage per company and no content', () => {
  let h: Harness;
  // The demo's first start indexes its documents: slow when other work shares the CPU.
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('sees usage and cost for both demo companies as a chart, and "not found" at a document address of either', async () => {
    // What each company holds, as its own admin sees it.
    const admins = await h.browser.newContext({ baseURL: h.url });
    const mobileDocs = (await documentsOf(admins, 'sora-mobile')).filter((d) => d.status === 'indexed');
    await admins.clearCookies();
    const payDocs = (await documentsOf(admins, 'sora-pay')).filter((d) => d.status === 'indexed');
    await admins.close();
    expect(mobileDocs.length).toBeGreaterThan(0);
    expect(payDocs.length).toBeGreaterThan(0);

    const { context, page } = await newPage(h);
    await page.goto('/');
    await signIn(page, ACCOUNTS.groupAdmin);
    await openFromMenu(page, 'グループ会社');
    const usage = page.getByRole('region', { name: '利用状況と費用' });
    const table = usage.getByTestId('usage-table');
    const mobileRow = table.getByRole('row', { name: /ソラモバイル株式会社/ });
    const payRow = table.getByRole('row', { name: /ソラペイ株式会社/ });
    await mobileRow.waitFor();
    // Documents and storage are each company's own, as its admin counted them; no model was called.
    const cells = async (row: typeof mobileRow) =>
      (await row.getByRole('cell').allInnerTexts()).map((c) => c.trim());
    const mb = (docs: { sizeBytes: number }[]) =>
      new Intl.NumberFormat('ja', { maximumFractionDigits: 1 }).format(
        docs.reduce((sum, d) => sum + d.sizeBytes, 0) / 1024 / 1024,
      );
    expect(await cells(mobileRow)).toEqual(['0', '0', '￥0', String(mobileDocs.length), mb(mobileDocs)]);
    expect(await cells(payRow)).toEqual(['0', '0', '￥0', String(payDocs.length), mb(payDocs)]);
    // The holding company's own row too, and a total that adds the three up.
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBe(3);
    const documentsColumn = await table
      .locator('tbody tr td:nth-child(5)')
      .allInnerTexts()
      .then((cs) => cs.map(Number));
    expect((await usage.locator('tfoot tr').getByRole('cell').allInnerTexts())[3]?.trim()).toBe(
      String(documentsColumn.reduce((a, b) => a + b, 0)),
    );
    // The chart: one bar per company of the group, named for what it shows.
    const chart = usage.getByTestId('data-chart');
    // Each bar is named by vega for the figure it draws (metric and company).
    await chart
      .locator('path[role="graphics-symbol"][aria-label*="費用（円）"]')
      .first()
      .waitFor({ state: 'attached', timeout: 20_000 });
    // No model was called in the demo: the page says so rather than leave a chart of empty bars unexplained.
    await usage.getByText('対象月の「費用（円）」はどの会社も 0 です。').waitFor();
    await usage.getByLabel('グラフの項目').selectOption('documents');
    await chart
      .locator('path[role="graphics-symbol"][aria-label*="文書数"]')
      .first()
      .waitFor({ state: 'attached', timeout: 20_000 });
    const bars = chart.locator('path[role="graphics-symbol"]');
    expect(await bars.count()).toBe(3);
    const barLabels = (
      await bars.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''))
    ).join('\n');
    expect(barLabels).toContain('ソラモバイル株式会社');
    expect(barLabels).toContain('ソラペイ株式会社');
    await screenshot(page, USAGE_JOURNEY, 'group-usage-chart');
    await expectAccessible(page, 'group usage');

    // The same figures over the API; no title of any document anywhere in them.
    const me = (await (await context.request.get('/api/v1/me')).json()) as { group: { id: string } };
    const month = new Date().toISOString().slice(0, 7);
    const report = await context.request.get(`/api/v1/groups/${me.group.id}/usage?month=${month}`);
    expect(report.status()).toBe(200);
    const body = await report.text();
    const figures = JSON.parse(body) as { companies: { slug: string; documents: number }[] };
    expect(figures.companies.map((c) => c.slug).sort()).toEqual(['sora-hd', 'sora-mobile', 'sora-pay']);
    expect(figures.companies.find((c) => c.slug === 'sora-mobile')?.documents).toBe(mobileDocs.length);
    expect(figures.companies.find((c) => c.slug === 'sora-pay')?.documents).toBe(payDocs.length);
    for (const d of [...mobileDocs, ...payDocs]) expect(body).not.toContain(d.title);

    // A document address of either company: "not found" on the page and from the API.
    for (const [company, doc] of [
      ['mobile', mobileDocs[0]!],
      ['pay', payDocs[0]!],
    ] as const) {
      await page.goto(`/documents/${doc.id}?quote=${encodeURIComponent('料金')}`);
      await page.getByTestId('not-found').waitFor();
      expect(await heading(page)).toBe('ページが見つかりません');
      expect(await page.getByRole('main').innerText()).not.toContain(doc.title);
      await screenshot(page, USAGE_JOURNEY, `document-${company}-not-found`);
      await expectAccessible(page, `document of ${company}`);
      for (const path of [`/api/v1/documents/${doc.id}`, `/api/v1/documents/${doc.id}/text`]) {
        const response = await context.request.get(path);
        expect(response.status(), path).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
    }
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
