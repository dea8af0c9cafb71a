import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  expectAccessible,
  heading,
  newPage,
  pageErrors,
  screenshot,
  signIn,
  startHarness,
  type Harness,
} from './support.js';

const JOURNEY = 'viewer';

describe('console: a viewer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('sees Home, Assistant, Search and Data only; admin addresses show "not allowed" and the API refuses them', async () => {
    const { context, page } = await newPage(h);
    const focusedText = () => page.evaluate<string>('document.activeElement.innerText.trim()');
    await page.goto('/');
    await signIn(page, ACCOUNTS.viewer);
    expect(await heading(page)).toBe('ホーム');
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual([
      'ホーム',
      'アシスタント',
      '文書検索',
      'データ分析',
    ]);
    const home = await page.getByRole('main').innerText();
    expect(home).toContain('閲覧者');
    expect(home).not.toContain('あなたが使える管理機能');
    await screenshot(page, JOURNEY, 'home');
    await expectAccessible(page, 'home');

    for (const path of ['/sources', '/users', '/api-keys', '/group']) {
      await page.goto(path);
      await page.getByTestId('not-allowed').waitFor();
      expect(await heading(page)).toBe('このページを表示する権限がありません');
      expect(await page.getByTestId('not-allowed').innerText()).toContain('あなたのロールは「閲覧者」です。');
      // Nothing of the page itself was fetched or shown.
      expect(await page.getByRole('table').count()).toBe(0);
      await screenshot(page, JOURNEY, `not-allowed${path.replace('/', '-')}`);
      await expectAccessible(page, `not allowed ${path}`);
    }
    // By keyboard alone: the page's heading has the focus on arrival, its controls come next, and
    // going back reaches the skip link at the top, which jumps to the page.
    expect(await page.evaluate<string>('document.activeElement.tagName')).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('ホームに戻る');
    let presses = 0;
    while ((await focusedText()) !== 'メインコンテンツへ移動' && presses++ < 10)
      await page.keyboard.press('Shift+Tab');
    expect(await focusedText()).toBe('メインコンテンツへ移動');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('ホームに戻る');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'ホーム' }).waitFor();
    expect(page.url()).toBe(`${h.url}/`);

    await page.goto('/no-such-page');
    expect(await heading(page)).toBe('ページが見つかりません');
    await screenshot(page, JOURNEY, 'not-found');
    await expectAccessible(page, 'not found');

    // The API with the viewer's own cookie (and CSRF token) says 403 too.
    const me = (await (await context.request.get('/api/v1/me')).json()) as {
      role: string;
      csrfToken: string;
    };
    expect(me.role).toBe('viewer');
    const headers = { 'x-csrf-token': me.csrfToken };
    expect((await context.request.get('/api/v1/users')).status()).toBe(403);
    expect((await context.request.get('/api/v1/sources')).status()).toBe(403);
    expect(
      (
        await context.request.post('/api/v1/sources', {
          headers,
          data: { kind: 'folder', settings: { path: '/tmp' } },
        })
      ).status(),
    ).toBe(403);
    expect(
      (
        await context.request.post('/api/v1/documents', {
          headers,
          multipart: { file: { name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('x') } },
        })
      ).status(),
    ).toBe(403);
    expect((await context.request.get('/api/v1/api-keys')).status()).toBe(403);
    expect(
      (
        await context.request.post('/api/v1/users', { headers, data: { email: 'x@sora-mobile.example' } })
      ).status(),
    ).toBe(403);
    expect((await context.request.post('/api/v1/api-keys', { headers, data: { name: 'x' } })).status()).toBe(
      403,
    );
    expect(
      (
        await context.request.post('/api/v1/companies', { headers, data: { slug: 'x-co', name: 'X' } })
      ).status(),
    ).toBe(403);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('a member searches the demo documents and opens the passage; a group admin gets no company content', async () => {
    const { context, page } = await newPage(h);
    await page.goto('/');
    await signIn(page, ACCOUNTS.member);
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual([
      'ホーム',
      'アシスタント',
      '文書検索',
      'データ分析',
    ]);
    await page.getByRole('navigation').getByRole('link', { name: '文書検索' }).click();
    // A member cannot list sources: the source filter takes a name instead of offering a list.
    await page.getByLabel(/^ソース/).fill('デモ文書');
    await page.getByLabel(/^検索語/).fill('経費 申請期限');
    await page.keyboard.press('Enter');
    const result = page.locator('.result', { hasText: '経費精算規程' });
    await result.waitFor();
    expect(await result.locator('mark').count()).toBeGreaterThan(0);
    await screenshot(page, `${JOURNEY}-member`, 'search-results');
    await expectAccessible(page, 'member search');
    await result.getByRole('link').click();
    await page.getByTestId('highlighted-passage').waitFor();
    expect(await page.getByTestId('highlighted-passage').innerText()).toMatch(/経費|申請/);
    await screenshot(page, `${JOURNEY}-member`, 'document-viewer');
    await expectAccessible(page, 'member viewer');
    const documentUrl = new URL(page.url()).pathname;
    const documentId = documentUrl.split('/').pop()!;
    // Keyboard: back to the results by the link at the top of the page.
    await page.getByRole('link', { name: /検索結果に戻る/ }).press('Enter');
    await result.waitFor();
    await page.goto('/sources');
    await page.getByTestId('not-allowed').waitFor();
    expect((await context.request.get('/api/v1/sources')).status()).toBe(403);
    await page.getByRole('button', { name: 'サインアウト' }).click();

    // A group admin: no Search in the menu, the document's address refused, and the API says so too.
    await signIn(page, ACCOUNTS.groupAdmin);
    const menu = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(menu).not.toContain('文書検索');
    expect(menu).not.toContain('アシスタント');
    expect(menu).not.toContain('ソース');
    for (const path of ['/search', '/assistant']) {
      await page.goto(path);
      await page.getByTestId('not-allowed').waitFor();
    }
    // Another company's document answers like a wrong address: nothing says it exists.
    await page.goto(documentUrl);
    await page.getByTestId('not-found').waitFor();
    await screenshot(page, `${JOURNEY}-group-admin`, 'document-refused');
    expect((await context.request.get('/api/v1/search?q=経費')).status()).toBe(403);
    expect((await context.request.get(`/api/v1/documents/${documentId}/text`)).status()).toBe(404);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('asks the demo sales database a question: a table of twelve fiscal months, a chart and the SQL', async () => {
    const { context, page } = await newPage(h);
    await page.goto('/');
    await signIn(page, ACCOUNTS.viewer);
    await page.goto(`/data?q=${encodeURIComponent('2024年度の月別売上')}`);
    await page.getByTestId('data-table').waitFor({ timeout: 30_000 });
    const months = await page.getByTestId('data-table').locator('tbody tr').count();
    expect(months).toBe(12);
    const body = await page.getByTestId('data-table').innerText();
    expect(body).toContain('2024-04');
    expect(body).toContain('2025-03');
    await page.getByTestId('data-chart').locator('svg').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('data-sql').first().textContent()).toMatch(/SUM\(/);
    await screenshot(page, JOURNEY, 'demo-sales');
    await expectAccessible(page, 'demo sales answer');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
