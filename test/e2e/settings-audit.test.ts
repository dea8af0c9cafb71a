import { readFileSync } from 'node:fs';
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

const JOURNEY = 'settings-audit';

describe('console: a company admin sets the data policy and reads the audit log', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('changes the PII mode (kept after reload), is told what is wrong, filters, pages and exports the audit log', async () => {
    const { context, page } = await newPage(h);
    const check = async (name: string) => {
      await expectTranslated(page, 'ja', name);
      await expectAccessible(page, name);
      await screenshot(page, JOURNEY, name);
    };
    await page.goto('/');
    await signIn(page, ACCOUNTS.companyAdmin);

    // Settings: the general sector's preset, then the PII mode changed and saved.
    await openFromMenu(page, '設定');
    expect(await heading(page)).toBe('設定');
    const preset = page.getByTestId('preset');
    await preset.waitFor();
    expect(await page.getByRole('heading', { name: '業種「一般」の標準設定' }).count()).toBe(1);
    expect(await preset.innerText()).toContain('検出のみ');
    const pii = page.getByLabel('個人情報の扱い');
    expect(await pii.inputValue()).toBe('detect');
    expect(await page.locator('.settings-form .badge-warning').count()).toBe(0);
    await check('settings');
    await pii.selectOption('block');
    expect(await page.locator('.settings-form').innerText()).toContain('個人情報を含む依頼はモデルに送らず');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('設定を保存しました。').waitFor();
    expect(await page.locator('.settings-form .badge-warning').allInnerTexts()).toEqual(['標準設定と異なる']);
    await check('settings-saved');
    await page.reload();
    await page.locator('.settings-form').waitFor();
    expect(await page.getByLabel('個人情報の扱い').inputValue()).toBe('block');
    const stored = await context.request.get(`/api/v1/companies/${await companyId(context.request)}/policy`);
    expect(((await stored.json()) as { piiMode: string }).piiMode).toBe('block');

    // "Only these regions" with none chosen is refused before anything is sent.
    await page.getByLabel('次の地域だけ').check();
    for (const region of ['日本（東日本）', '日本（西日本）']) {
      const box = page.getByRole('checkbox', { name: new RegExp(`^${region}`) });
      if (await box.isChecked()) await box.uncheck();
    }
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const refusal = page.locator('.settings-form').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('地域を一つ以上選んでください');
    await check('settings-refused');
    // Back to the preset, saved.
    await page.getByRole('button', { name: '標準設定に戻す' }).click();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('設定を保存しました。').waitFor();
    expect(await page.getByLabel('個人情報の扱い').inputValue()).toBe('detect');
    expect(await page.locator('.settings-form .badge-warning').count()).toBe(0);

    // Enough searches to fill more than one page of the audit log.
    for (let i = 0; i < 55; i++) {
      expect(
        (await context.request.get(`/api/v1/search?q=${encodeURIComponent(`経費 ${i}`)}`)).status(),
      ).toBe(200);
    }

    await openFromMenu(page, '監査ログ');
    expect(await heading(page)).toBe('監査ログ');
    const rows = page.getByRole('main').getByRole('table').locator('tbody tr');
    await rows.first().waitFor();
    // Not checked for raw message keys here: the action code search.query reads like one.
    await expectAccessible(page, 'audit');
    await screenshot(page, JOURNEY, 'audit');

    // A malformed action is refused on the page, saying how to write one.
    await page.getByLabel('操作', { exact: true }).fill('Auth Sign In');
    await page.getByRole('button', { name: '絞り込む' }).click();
    expect(await page.getByRole('main').getByRole('alert').innerText()).toContain('英小文字');

    // Sign-ins only: the admin's own, with their name.
    await page.getByLabel('操作', { exact: true }).fill('auth.*');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await expect
      .poll(async () => (await rows.allInnerTexts()).every((r) => r.includes('auth.sign_in')))
      .toBe(true);
    expect(await rows.first().innerText()).toContain('admin@sora-mobile.example');
    await check('audit-filtered');

    // Paging through the searches: 50 on the first page, the rest on the second, and back.
    await page.getByLabel('操作', { exact: true }).fill('search.query');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await expect.poll(() => rows.count()).toBe(50);
    const firstSeq = await rows.first().locator('td').first().innerText();
    await page.getByRole('button', { name: '次のページ' }).click();
    await expect.poll(() => page.getByTestId('audit-page').innerText()).toBe('2 ページ目');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);
    expect(Number(await rows.first().locator('td').first().innerText())).toBeGreaterThan(Number(firstSeq));
    await expectAccessible(page, 'audit-page-2');
    await screenshot(page, JOURNEY, 'audit-page-2');
    await page.getByRole('button', { name: '前のページ' }).click();
    await expect.poll(() => rows.first().locator('td').first().innerText()).toBe(firstSeq);

    // A time range that ends before it starts is refused.
    await page.getByLabel('この日時から').fill('2030-01-02T00:00');
    await page.getByLabel('この日時まで').fill('2030-01-01T00:00');
    await page.getByRole('button', { name: '絞り込む' }).click();
    expect(await page.getByRole('main').getByRole('alert').innerText()).toContain('より前にしてください');
    // A future range has no events.
    await page.getByLabel('この日時まで').fill('2030-02-01T00:00');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.getByText('条件に合うイベントはありません。').waitFor();

    // Export (CSV) of the current filter: only searches.
    await page.getByRole('button', { name: '条件をクリア' }).click();
    await page.getByLabel('操作', { exact: true }).fill('search.query');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await expect.poll(() => rows.count()).toBe(50);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV でエクスポート' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv.length).toBeGreaterThanOrEqual(56); // header and 55 searches at least
    expect(csv.slice(1).every((line) => line.includes('search.query'))).toBe(true);
    expect(pageErrors(page)).toEqual([]);
  }, 180_000);
});

async function companyId(request: { get(url: string): Promise<{ json(): Promise<unknown> }> }) {
  const me = (await (await request.get('/api/v1/me')).json()) as { company: { id: string } };
  return me.company.id;
}
