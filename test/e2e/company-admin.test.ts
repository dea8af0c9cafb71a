import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const JOURNEY = 'company-admin';

describe('console: a company admin', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('signs in, sees Home, adds a user and an API key (each shown once), revokes the key', async () => {
    const { context, page } = await newPage(h);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Kura にサインイン' }).waitFor();
    await screenshot(page, JOURNEY, 'sign-in');
    await expectAccessible(page, 'sign-in');
    await expectTranslated(page, 'ja', 'sign-in');

    // A wrong password says so, in Japanese, and keeps the company and e-mail.
    await signInExpectingFailure();
    async function signInExpectingFailure() {
      await page.getByLabel('会社ID').fill(ACCOUNTS.companyAdmin.company);
      await page.getByLabel('メールアドレス').fill(ACCOUNTS.companyAdmin.email);
      await page.getByLabel('パスワード').fill('not-the-password');
      await page.getByRole('button', { name: 'サインイン', exact: true }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toContain('正しくありません');
      expect(await page.getByLabel('メールアドレス').inputValue()).toBe(ACCOUNTS.companyAdmin.email);
    }

    await signIn(page, ACCOUNTS.companyAdmin);
    expect(await heading(page)).toBe('ホーム');
    const main = page.getByRole('main');
    const home = await main.innerText();
    for (const fact of [
      '管理 花子',
      'admin@sora-mobile.example',
      'ソラモバイル株式会社',
      'sora-mobile',
      '管理者',
      'ソラグループ',
      '一般',
    ]) {
      expect(home).toContain(fact);
    }
    expect(home).toContain('日本（東日本）');
    const menu = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(menu).toEqual([
      'ホーム',
      'アシスタント',
      '文書検索',
      'データ分析',
      'ソース',
      'ユーザー',
      'API キー',
      '設定',
      '監査ログ',
    ]);
    await screenshot(page, JOURNEY, 'home');
    await expectAccessible(page, 'home');

    // Users: add one; the generated password is shown once and works.
    await openFromMenu(page, 'ユーザー');
    expect(await heading(page)).toBe('ユーザー');
    await main.getByRole('cell', { name: 'member@sora-mobile.example' }).waitFor();
    await screenshot(page, JOURNEY, 'users');
    await expectAccessible(page, 'users');
    await page.getByLabel('メールアドレス').fill('new.hire@sora-mobile.example');
    await page.getByLabel(/^氏名/).fill('新入 社員');
    await page.getByLabel('ロール', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'ユーザーを追加' }).click();
    await page.getByRole('heading', { name: 'new.hire@sora-mobile.example を追加しました' }).waitFor();
    const password = await page.getByLabel('初期パスワード（この一度だけ表示されます）').inputValue();
    expect(password.length).toBeGreaterThanOrEqual(10);
    const row = main.getByRole('row', { name: /新入 社員/ });
    expect(await row.innerText()).toContain('new.hire@sora-mobile.example');
    await screenshot(page, JOURNEY, 'users-created');
    await expectAccessible(page, 'users with new password');
    const login = await fetch(`${h.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: 'sora-mobile', email: 'new.hire@sora-mobile.example', password }),
    });
    expect(login.status).toBe(200);
    await page.getByRole('button', { name: '閉じる' }).click();
    expect(await main.innerText()).not.toContain(password);

    // Change the new user's role, then disable them.
    await row.getByRole('combobox').selectOption('member');
    await row.getByRole('button', { name: 'ロールを変更' }).click();
    await page.getByText('新入 社員 のロールを変更しました。').waitFor();
    await row.getByRole('button', { name: '無効にする' }).click();
    await page.getByText('新入 社員 を無効にしました。').waitFor();
    expect(await row.innerText()).toContain('無効');

    // API keys: create one; the key is shown once, copies, works; revoke it and it stops working.
    await openFromMenu(page, 'API キー');
    expect(await heading(page)).toBe('API キー');
    await page.getByLabel('名前').fill('経費精算システム');
    await page.getByRole('button', { name: 'キーを発行' }).click();
    await page.getByRole('heading', { name: 'API キー「経費精算システム」を発行しました' }).waitFor();
    const key = await page.getByLabel('API キー', { exact: true }).inputValue();
    expect(key.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'コピー' }).click();
    await page.getByText('コピーしました').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    await screenshot(page, JOURNEY, 'api-key-created');
    await expectAccessible(page, 'api key created');
    const asKey = () => fetch(`${h.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect((await asKey()).status).toBe(200);
    await page.getByRole('button', { name: '閉じる' }).click();
    expect(await main.innerText()).not.toContain(key);

    const keyRow = main.getByRole('row', { name: /経費精算システム/ });
    await keyRow.getByRole('button', { name: '失効させる' }).click();
    const dialog = page.getByRole('dialog', { name: 'API キーを失効させますか？' });
    await dialog.waitFor();
    await screenshot(page, JOURNEY, 'api-key-revoke-dialog');
    await expectAccessible(page, 'revoke dialog');
    await dialog.getByRole('button', { name: '失効させる' }).click();
    await page.getByText('「経費精算システム」を失効させました。').waitFor();
    expect(await keyRow.innerText()).toContain('失効済み');
    expect((await asKey()).status).toBe(401);
    await screenshot(page, JOURNEY, 'api-keys-revoked');
    await expectAccessible(page, 'api keys');
    await expectTranslated(page, 'ja', 'api keys');

    // Sign out: back to the sign-in page; the API no longer knows the browser.
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByRole('heading', { name: 'Kura にサインイン' }).waitFor();
    expect((await context.request.get('/api/v1/me')).status()).toBe(401);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
