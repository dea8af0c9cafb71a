import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  DEMO_PASSWORD,
  expectAccessible,
  newPage,
  openFromMenu,
  pageErrors,
  screenshot,
  signIn,
  startHarness,
  type Harness,
} from './support.js';

const JOURNEY = 'session-expiry';

describe('console: the session ends under an open page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('asks to sign in again over the page, keeps what was typed, and finishes the action', async () => {
    const { context, page } = await newPage(h);
    await page.goto('/');
    await signIn(page, ACCOUNTS.companyAdmin);
    await openFromMenu(page, 'ユーザー');
    const main = page.getByRole('main');
    await main.getByRole('table').waitFor();

    // The session is deleted on the server (as when it expires); the browser still sends its cookie.
    const cookie = (await context.cookies()).find((c) => c.name === 'kura_session');
    expect(cookie).toBeDefined();
    const ended = await fetch(`${h.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: `kura_session=${cookie!.value}` },
    });
    expect(ended.status).toBe(204);
    expect((await context.request.get('/api/v1/me')).status()).toBe(401);

    await main.getByLabel('メールアドレス').fill('late.typist@sora-mobile.example');
    await main.getByLabel(/^氏名/).fill('遅筆 太郎');
    await main.getByLabel('ロール', { exact: true }).selectOption('viewer');
    await main.getByRole('button', { name: 'ユーザーを追加' }).click();

    const dialog = page.getByRole('dialog', { name: 'もう一度サインインしてください' });
    await dialog.waitFor();
    // Company and e-mail are filled in; the page behind still holds what was typed.
    expect(await dialog.getByLabel('会社ID').inputValue()).toBe('sora-mobile');
    expect(await dialog.getByLabel('メールアドレス').inputValue()).toBe(ACCOUNTS.companyAdmin.email);
    expect(await main.getByLabel('メールアドレス').inputValue()).toBe('late.typist@sora-mobile.example');
    expect(await main.getByLabel(/^氏名/).inputValue()).toBe('遅筆 太郎');
    await screenshot(page, JOURNEY, 'reauth-dialog');
    await expectAccessible(page, 'reauth dialog');

    // A wrong password is refused inside the dialog, which stays.
    await dialog.getByLabel('パスワード').fill('wrong-password-1');
    await dialog.getByRole('button', { name: 'サインイン', exact: true }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'サインイン', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // The interrupted request was retried with the new session: the user exists as typed.
    await page.getByRole('heading', { name: 'late.typist@sora-mobile.example を追加しました' }).waitFor();
    const row = main.getByRole('row', { name: /遅筆 太郎/ });
    expect(await row.innerText()).toContain('late.typist@sora-mobile.example');
    expect(await row.getByRole('combobox').inputValue()).toBe('viewer');
    await screenshot(page, JOURNEY, 'after-reauth');

    // The cookie disappears altogether; giving up keeps the page and its text, trying again works.
    await openFromMenu(page, 'API キー');
    await context.clearCookies();
    await main.getByLabel('名前').fill('夜間バッチ');
    await main.getByRole('button', { name: 'キーを発行' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await dialog.waitFor({ state: 'detached' });
    await main.getByRole('alert').filter({ hasText: 'セッションの有効期限が切れました。' }).waitFor();
    expect(await main.getByLabel('名前').inputValue()).toBe('夜間バッチ');
    await screenshot(page, JOURNEY, 'reauth-cancelled');
    await main.getByRole('button', { name: 'キーを発行' }).click();
    await dialog.waitFor();
    await dialog.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await dialog.getByLabel('パスワード').press('Enter');
    await page.getByRole('heading', { name: 'API キー「夜間バッチ」を発行しました' }).waitFor();
    await screenshot(page, JOURNEY, 'api-key-after-reauth');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
