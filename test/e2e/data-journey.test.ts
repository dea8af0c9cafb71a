import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSalesSource, salesByRegion, SALES_SOURCE, writeSalesDatabase } from './data-fixture.js';
import {
  ACCOUNTS,
  expectAccessible,
  expectTranslated,
  heading,
  newPage,
  openFromMenu,
  pageErrors,
  screenshot,
  signIn,
  startHarness,
  type Harness,
} from './support.js';

const JOURNEY = 'data';
const QUESTION = '2024年度の地域別売上と前年比は？';

const yen = (n: number) => `¥${Math.round(n).toLocaleString('ja-JP')}`;
const percent = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The result table as { first column → { column name → cell text } }. */
async function tableByRow(page: Page): Promise<Map<string, Record<string, string>>> {
  const rows = await page
    .getByTestId('data-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(
          (tr as unknown as { querySelectorAll(s: string): ArrayLike<unknown> }).querySelectorAll('td'),
        ).map((td) => {
          const cell = td as { dataset: { column?: string }; textContent: string | null };
          return [cell.dataset.column ?? '', (cell.textContent ?? '').trim()] as const;
        }),
      ),
    );
  return new Map(rows.map((cells) => [cells[0]![1], Object.fromEntries(cells)]));
}

describe('console: a member asks the company database a question', () => {
  let h: Harness;
  let roots: string;
  let database: string;
  beforeAll(async () => {
    roots = mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-data-'));
    database = writeSalesDatabase(roots);
    // A company without data: no demo sales database, no model proposed from the demo's price list.
    h = await startHarness(
      { KURA_FOLDER_ROOTS: roots, KURA_PROPOSE_MODEL_FROM_UPLOADS: 'false' },
      { demoSales: false },
    );
  }, 300_000);
  afterAll(async () => {
    await h?.close();
    rmSync(roots, { recursive: true, force: true });
  });

  it('no source yet → the admin adds one and creates the model → table, chart, SQL, CSV and a clarification', async () => {
    const member = await newPage(h);
    const page = member.page;
    const check = async (name: string) => {
      await expectTranslated(page, 'ja', name);
      await expectAccessible(page, name);
      await screenshot(page, JOURNEY, name);
    };

    // Before the company has a database, a member learns whom to ask.
    await page.goto('/');
    await signIn(page, ACCOUNTS.member);
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual([
      'ホーム',
      'アシスタント',
      '文書検索',
      'データ分析',
    ]);
    await openFromMenu(page, 'データ分析');
    expect(await heading(page)).toBe('データ分析');
    await page.getByTestId('data-no-source').waitFor();
    expect(await page.getByTestId('data-no-source').innerText()).toContain('会社の管理者に');
    await check('member-no-source');

    // The company admin adds the SQLite database (API) and lets Kura propose the model (console).
    const admin = await newPage(h);
    await admin.page.goto('/');
    await signIn(admin.page, ACCOUNTS.companyAdmin);
    await openFromMenu(admin.page, 'データ分析');
    await admin.page.getByTestId('data-no-source').waitFor();
    expect(await admin.page.getByTestId('data-no-source').innerText()).toContain(
      'データベースのソースがまだありません',
    );
    await admin.page.getByRole('link', { name: 'ソースを開く' }).waitFor();
    await addSalesSource(admin.context, database);
    // A question asked before the model exists waits for it, and is answered once it is created.
    await admin.page.goto(`/data?q=${encodeURIComponent(QUESTION)}`);
    const propose = admin.page.getByRole('form', { name: 'データモデルを作成' });
    expect(await propose.getByLabel(/^データベース/).inputValue()).toBe(SALES_SOURCE);
    await expectAccessible(admin.page, 'admin propose model');
    await screenshot(admin.page, JOURNEY, 'admin-propose-model');
    await propose.getByRole('button', { name: 'データモデルを作成' }).click();
    await admin.page.getByText('集計できる数字').waitFor();
    expect(await admin.page.getByRole('main').innerText()).toContain('売上');
    await admin.page.getByTestId('data-table').waitFor({ timeout: 20_000 });
    await screenshot(admin.page, JOURNEY, 'admin-model-ready');
    await admin.context.close();

    // The member asks, by keyboard: type the question, Enter.
    await page.reload();
    await page.getByText('集計できる数字').waitFor();
    await check('member-ready');
    const input = page.getByRole('textbox', { name: '質問' });
    await input.fill(QUESTION);
    await input.press('Enter');
    await page.getByTestId('data-table').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('q')).toBe(QUESTION);
    await page.getByTestId('data-chart').locator('svg').first().waitFor({ timeout: 20_000 });
    await screenshot(page, JOURNEY, 'answer-chart');

    // The table's numbers are the ones computed here from the same rows, without Kura.
    const fy2024 = salesByRegion(2024);
    const fy2023 = salesByRegion(2023);
    expect(fy2024.size).toBe(6);
    const headers = await page.getByTestId('data-table').locator('thead th').allInnerTexts();
    expect(headers).toEqual(['地域', '売上', '前年売上', '売上前年比']);
    const table = await tableByRow(page);
    expect([...table.keys()].sort()).toEqual([...fy2024.keys()].sort());
    for (const [region, sales] of fy2024) {
      const previous = fy2023.get(region)!;
      expect(table.get(region)).toEqual({
        region,
        sales: yen(sales),
        sales_previous_year: yen(previous),
        sales_yoy: percent(sales / previous),
      });
    }
    // The narrative names the total of the six regions.
    const total = [...fy2024.values()].reduce((a, b) => a + b, 0);
    expect(await page.locator('.data-narrative').innerText()).toContain(yen(total));

    // A chart drawn by vega-embed: one bar per region.
    const chart = page.getByTestId('data-chart');
    await chart.locator('svg').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => chart.locator('.mark-rect path').count()).toBe(6);
    expect(await chart.getAttribute('aria-label')).toContain(QUESTION);

    // The SQL that ran, behind a disclosure opened by keyboard.
    const sql = page.getByTestId('data-sql').first();
    expect(await sql.isVisible()).toBe(false);
    await page.getByText('実行した SQL を表示').press('Enter');
    await sql.waitFor();
    expect(await sql.innerText()).toMatch(/SUM\("order_lines"\."amount"\)[\s\S]*FROM "order_lines"/);
    expect(await page.locator('.data-sql').innerText()).toContain('"2024-04-01", "2025-04-01"');
    await check('answer-sql');

    // The CSV: labels as the header, raw numbers, every region.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV をダウンロード' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^kura-data-\d{8}-\d{4}\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('地域,売上,前年売上,売上前年比');
    expect(lines).toHaveLength(7);
    for (const [region, sales] of fy2024) {
      const previous = fy2023.get(region)!;
      const line = lines.find((l) => l.startsWith(`${region},`))!;
      const [, s, p, ratio] = line.split(',');
      expect([Number(s), Number(p)]).toEqual([sales, previous]);
      expect(Number(ratio)).toBeCloseTo(sales / previous, 10);
    }

    // A question without a figure: Kura asks which one; one click answers.
    await input.fill('2024年度の地域別に見せて');
    await page.getByRole('button', { name: '質問する' }).click();
    const clarification = page.getByRole('group', { name: 'どの数字を集計しますか?' });
    await clarification.waitFor({ timeout: 20_000 });
    await check('clarification');
    await clarification.getByRole('button', { name: '売上', exact: true }).click();
    await page.getByTestId('data-table').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('data-table').locator('thead th').allInnerTexts()).toEqual([
      '地域',
      '売上',
    ]);
    const answered = await tableByRow(page);
    for (const [region, sales] of fy2024) expect(answered.get(region)?.sales).toBe(yen(sales));
    expect(await input.inputValue()).toContain('2024年度の地域別に見せて');
    // The keyboard focus moved from the vanished choice to the new answer.
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('data-answer-title');
    await screenshot(page, JOURNEY, 'clarification-answered');

    // A period without data: said so, with no empty table or chart.
    await input.fill('2030年度の地域別売上');
    await input.press('Enter');
    await page.getByTestId('data-no-rows').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('data-table').count()).toBe(0);
    expect(await page.getByTestId('data-chart').count()).toBe(0);
    await check('no-rows');
    await page.goBack();

    // Back returns to the clarification, then to the first answer (the question lives in the address).
    await page.goBack();
    await clarification.waitFor();
    await page.goBack();
    await page.getByTestId('data-table').locator('thead th', { hasText: '売上前年比' }).waitFor();

    // The database went away: the page says so in words, not a stack trace.
    renameSync(database, `${database}.moved`);
    await input.fill('2023年度の商品別売上');
    await input.press('Enter');
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toMatch(
      /会社のデータベースに接続できませんでした|データベースが集計を拒否しました/,
    );
    expect(await alert.innerText()).not.toContain('Internal error');
    await check('source-unavailable');
    renameSync(`${database}.moved`, database);
    expect(pageErrors(page)).toEqual([]);
    await member.context.close();
  }, 180_000);
});
