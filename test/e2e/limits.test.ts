import type { BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  DEMO_PASSWORD,
  expectAccessible,
  expectTranslated,
  newPage,
  openFromMenu,
  pageErrors,
  screenshot,
  signIn,
  startHarness,
  type Harness,
} from './support.js';

const JOURNEY = 'limits';

/** The group admin sets sora-mobile's requests-per-minute limit through the quota API (null lifts it). */
async function setRequestsPerMinute(h: Harness, limit: number | null): Promise<void> {
  const context = await h.browser.newContext({ baseURL: h.url });
  const { company, email } = ACCOUNTS.groupAdmin;
  const login = await context.request.post('/api/v1/auth/login', {
    data: { company, email, password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const me = (await (await context.request.get('/api/v1/me')).json()) as { csrfToken: string };
  const companies = (await (await context.request.get('/api/v1/companies')).json()) as {
    companies: { id: string; slug: string }[];
  };
  const mobile = companies.companies.find((c) => c.slug === 'sora-mobile')!;
  const response = await context.request.put(`/api/v1/companies/${mobile.id}/quota`, {
    headers: { 'x-csrf-token': me.csrfToken },
    data: { requestsPerMinute: limit },
  });
  expect(response.status()).toBe(200);
  await context.close();
}

/** Until the company's limit answers 429 (the quota cache holds a limit for up to a second). */
async function exhaust(context: BrowserContext): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await context.request.get('/api/v1/me');
    if (response.status() === 429) return Number(response.headers()['retry-after']);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the requests-per-minute limit never answered 429');
}

describe('console: a company limit explains itself; typing never waits on the network', () => {
  let h: Harness;
  // The demo's first start indexes its documents: slow when other work shares the CPU.
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('says which limit refused the request and when to retry, in Japanese and English', async () => {
    const { context, page } = await newPage(h);
    await page.goto('/');
    await signIn(page, ACCOUNTS.member);
    await openFromMenu(page, 'アシスタント');
    const box = page.getByLabel(/^質問/);
    await box.waitFor();

    await setRequestsPerMinute(h, 1);
    const retryAfter = await exhaust(context);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);

    // The question is refused with 429: the page names the limit and the wait, and keeps the question.
    await box.fill('経費の申請期限は？');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/ask')),
      box.press('Enter'),
    ]);
    expect(refused.status()).toBe(429);
    const seconds = Number(refused.headers()['retry-after']);
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toMatch(
      /^会社全体のリクエスト上限（1分あたり 1 件）に達しました。\d+ 秒後（\d{1,2}:\d{2}:\d{2} 頃）に再度お試しください。$/,
    );
    const shown = Number(/(\d+) 秒後/.exec(text)![1]);
    expect(shown).toBe(seconds);
    expect(text).not.toContain('処理できませんでした');
    expect(await box.inputValue()).toBe('経費の申請期限は？');
    await screenshot(page, JOURNEY, 'assistant-rate-limited');
    await expectAccessible(page, 'assistant rate limited');

    // The same message in English, one click away (switching language asks the server nothing).
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.locator('h1', { hasText: 'Assistant' }).waitFor();
    expect(await alert.innerText()).toMatch(
      /^Your company's request limit \(1 a minute\) is reached\. Try again in \d+ s \(around \d{1,2}:\d{2}:\d{2}( [AP]M)?\)\.$/,
    );
    await expectTranslated(page, 'en', 'assistant rate limited', ['経費の申請期限は？']);
    await screenshot(page, JOURNEY, 'assistant-rate-limited-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await page.locator('h1', { hasText: 'アシスタント' }).waitFor();

    // Search, refused the same way (a query, not a stream).
    await openFromMenu(page, '文書検索');
    await page.getByLabel(/^検索語/).fill('経費');
    await page.keyboard.press('Enter');
    const searchAlert = page.getByRole('main').getByRole('alert');
    await searchAlert.waitFor();
    expect(await searchAlert.innerText()).toMatch(
      /^会社全体のリクエスト上限（1分あたり 1 件）に達しました。/,
    );
    await screenshot(page, JOURNEY, 'search-rate-limited');
    await expectAccessible(page, 'search rate limited');

    await setRequestsPerMinute(h, null);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('keeps the chat box typing while a question waits on the network', async () => {
    const { context, page } = await newPage(h);
    await page.goto('/');
    await signIn(page, ACCOUNTS.member);
    await openFromMenu(page, 'アシスタント');
    const box = page.getByLabel(/^質問/);
    // The answer is held back until the test lets it go.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    await page.route('**/api/v1/ask', async (route: Route) => {
      held = true;
      await released;
      await route.continue();
    });
    await box.fill('経費の申請期限は？');
    await box.press('Enter');
    await page.getByRole('button', { name: '回答中…' }).waitFor();
    expect(held).toBe(true);
    const next = '次の質問：出張旅費の上限はいくらですか？';
    await box.pressSequentially(next);
    // Every keystroke landed while the request is still held: typing did not wait for the network.
    expect(await box.inputValue()).toBe(next);
    expect(await box.isEditable()).toBe(true);
    await screenshot(page, JOURNEY, 'typing-while-waiting');
    release();
    await page.locator('.turn-answer').first().getByTestId('answer-mode').waitFor({ timeout: 30_000 });
    expect(await box.inputValue()).toBe(next);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 90_000);
});
