import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
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

describe('console: a group admin', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
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
    const table = main.getByRole('table');
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
