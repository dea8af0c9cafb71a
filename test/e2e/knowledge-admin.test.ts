import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocx } from '../fixtures/make-docx.js';
import { makePdf, makeTruncatedPdf } from '../fixtures/make-pdf.js';
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

const JOURNEY = 'knowledge-admin';

/** Phrases only these files hold (the demo documents say nothing of per diems or tablets). */
const DOCX_NAME = '出張旅費規程.docx';
const DOCX_PHRASE = '海外出張の日当は一日八千円とし';
const PDF_NAME = '機器貸与規程.pdf';
const PDF_PAGE_2 = 'タブレット端末を紛失した場合は直ちに情報システム部へ届け出る。';
const FOLDER_PHRASE = '社用車の予約は前日の正午までに行う。';

/** Drops files on an element as a person dragging them from the desktop would (a DataTransfer of Files). */
async function dropFiles(page: Page, testId: string, files: { name: string; type: string; bytes: Buffer }[]) {
  const payload = files.map((f) => ({ name: f.name, type: f.type, base64: f.bytes.toString('base64') }));
  const transfer = await page.evaluateHandle((items) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (bits: unknown[], name: string, options: { type: string }) => unknown;
      atob(data: string): string;
    };
    const data = new g.DataTransfer();
    for (const item of items) {
      const binary = g.atob(item.base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      data.items.add(new g.File([bytes], item.name, { type: item.type }));
    }
    return data;
  }, payload);
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

describe('console: a company admin brings documents in and finds them', () => {
  let h: Harness;
  let roots: string;
  beforeAll(async () => {
    roots = mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-roots-'));
    mkdirSync(path.join(roots, 'sora-mobile', 'fleet'), { recursive: true });
    writeFileSync(
      path.join(roots, 'sora-mobile', 'fleet', '社用車利用規程.md'),
      `# 社用車利用規程\n\n## 予約\n\n${FOLDER_PHRASE}\n\n## 返却\n\n給油してから返却する。\n`,
    );
    h = await startHarness({ KURA_FOLDER_ROOTS: path.join(roots, '{tenant}') });
  }, 300_000);
  afterAll(async () => {
    await h?.close();
    rmSync(roots, { recursive: true, force: true });
  });

  it('uploads a DOCX and a PDF, watches them finish, syncs a folder, searches and opens the highlighted passage', async () => {
    const { page } = await newPage(h);
    const sourcesTable = page.getByRole('region', { name: 'ソース一覧' });
    const check = async (name: string) => {
      await expectTranslated(page, 'ja', name);
      await expectAccessible(page, name);
      await screenshot(page, JOURNEY, name);
    };
    await page.goto('/');
    await signIn(page, ACCOUNTS.companyAdmin);
    await openFromMenu(page, 'ソース');
    expect(await heading(page)).toBe('ソース');
    await page.getByRole('main').getByRole('table').first().waitFor();
    await check('sources');

    // Two files by the file picker: the bar runs to "完了", and each file says what became of it.
    const docx = await makeDocx({
      title: '出張旅費規程',
      chapters: [
        { heading: '第1章 総則', paragraphs: ['この規程は、出張の旅費について定める。'] },
        {
          heading: '第2章 日当',
          paragraphs: [`${DOCX_PHRASE}、渡航先の物価に応じて調整する。`, '国内出張の日当は支給しない。'],
        },
      ],
    });
    const pdf = await makePdf([
      ['機器貸与規程', '第1条 貸与するタブレット端末は資産管理番号で管理する。'],
      ['第2条 紛失', PDF_PAGE_2],
    ]);
    await page.getByLabel('アップロードするファイルを選択').setInputFiles([
      {
        name: DOCX_NAME,
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: docx,
      },
      { name: PDF_NAME, mimeType: 'application/pdf', buffer: pdf },
    ]);
    const uploadBar = page.getByRole('progressbar', { name: 'アップロードの進捗' });
    await uploadBar.waitFor();
    await page.waitForFunction(
      `document.querySelector('[role=progressbar][aria-label="アップロードの進捗"]')?.getAttribute('aria-valuenow') === '100'`,
      undefined,
      { timeout: 30_000 },
    );
    expect(await uploadBar.getAttribute('aria-valuetext')).toContain('完了');
    const results = page.locator('.upload-result');
    await expect.poll(() => results.count()).toBe(2);
    expect(await results.nth(0).innerText()).toContain(DOCX_NAME);
    expect(await results.nth(0).innerText()).toContain('登録しました');
    expect(await results.nth(1).innerText()).toContain(PDF_NAME);
    expect(await results.nth(1).innerText()).toContain('登録しました');
    await check('sources-uploaded');

    // A damaged file dropped on the drop zone: the upload finishes, the file fails with its reason.
    await dropFiles(page, 'dropzone', [
      { name: '壊れた資料.pdf', type: 'application/pdf', bytes: await makeTruncatedPdf() },
    ]);
    await page.locator('.upload-result', { hasText: '壊れた資料.pdf' }).getByText('失敗').waitFor();
    const failure = await page.locator('.upload-result', { hasText: '壊れた資料.pdf' }).innerText();
    expect(failure).toMatch(/壊れているか|対応していない|本文がありません/);
    // The documents list shows the failure and its reason too.
    await page.getByLabel('状態', { exact: true }).selectOption('failed');
    const failedRow = page.getByRole('row', { name: /壊れた資料\.pdf/ });
    await failedRow.waitFor();
    expect(await failedRow.innerText()).toContain('失敗');
    await check('sources-failed-document');
    await page.getByLabel('状態', { exact: true }).selectOption('');

    // A folder outside the allowed roots is refused, saying why; one inside is added and synced.
    const folderForm = page.getByRole('form', { name: 'フォルダーを追加' });
    await folderForm.getByLabel(/^フォルダーのパス/).fill('/etc');
    await folderForm.getByRole('button', { name: 'フォルダーを追加' }).click();
    const refusal = folderForm.locator('xpath=..').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('このフォルダーは追加できません');
    expect(await refusal.innerText()).toContain(path.join(roots, 'sora-mobile'));
    await check('sources-folder-refused');

    // A database that cannot be reached is refused at once, with the reason (nothing is stored).
    const databaseForm = page.getByRole('form', { name: 'データベースを追加' });
    await databaseForm.getByLabel('データベースの種類').selectOption('postgres');
    await databaseForm.getByLabel(/^接続 URL/).fill('postgres://reader@127.0.0.1:1/sales');
    await databaseForm.getByLabel(/^テーブル/).fill('orders');
    await databaseForm.getByRole('button', { name: 'データベースを追加' }).click();
    const unreachable = databaseForm.locator('xpath=..').getByRole('alert');
    await unreachable.waitFor({ timeout: 20_000 });
    expect(await unreachable.innerText()).toContain('データベースに接続できませんでした');
    await check('sources-database-refused');
    await expect.poll(() => sourcesTable.getByRole('row').count()).toBe(3); // header, uploads, デモ文書
    await folderForm.getByLabel(/^フォルダーのパス/).fill(path.join(roots, 'sora-mobile', 'fleet'));
    await folderForm.getByLabel(/^名前/).fill('車両管理');
    await folderForm.getByRole('button', { name: 'フォルダーを追加' }).click();
    await page.getByText('ソース「車両管理」を追加しました').waitFor();
    await page.getByRole('button', { name: '「車両管理」を再同期' }).click();
    const syncBar = page.getByRole('progressbar', { name: '「車両管理」の同期の進捗' });
    await syncBar.waitFor();
    await page.getByText(/同期が完了しました（登録 1、/).waitFor({ timeout: 30_000 });
    expect(await syncBar.getAttribute('aria-valuenow')).toBe('100');
    await expect
      .poll(async () => sourcesTable.getByRole('row', { name: /車両管理/ }).innerText())
      .toContain('登録 1・失敗 0・スキップ 0');
    await check('sources-synced');

    // Search: the DOCX's words find it, with the words marked in the snippet.
    await openFromMenu(page, '文書検索');
    await check('search-start');
    await page.getByLabel(/^検索語/).fill('海外出張 日当');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByTestId('search-total').waitFor();
    const first = page.locator('.result').first();
    expect(await first.getByRole('link').innerText()).toMatch(/^出張旅費規程/);
    expect(await first.locator('mark').allInnerTexts()).toEqual(expect.arrayContaining(['日当']));
    expect(await first.locator('.result-snippet').innerText()).toContain(DOCX_PHRASE);
    expect(page.url()).toContain('/search?q=');
    await check('search-results');

    // The type filter: only PDFs; the PDF's passage is on its second page.
    await page.getByLabel(/^検索語/).fill('タブレット 紛失');
    await page.getByLabel('文書の種類').selectOption('pdf');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.waitForURL(/type=pdf/);
    await page.locator('.result', { hasText: '機器貸与規程' }).waitFor();
    expect(await page.locator('.result').count()).toBe(1);
    expect(await page.locator('.result').first().innerText()).toContain('2 ページ');
    // The folder's document is found as well (after its sync), in its own source.
    await page.getByLabel('文書の種類').selectOption('');
    await page.getByLabel('ソース', { exact: true }).selectOption({ label: '車両管理' });
    await page.getByLabel(/^検索語/).fill('社用車 予約');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.locator('.result', { hasText: '社用車利用規程' }).waitFor();
    expect(await page.locator('.result').count()).toBe(1);
    // Nothing found says so.
    await page.getByLabel('ソース', { exact: true }).selectOption('');
    await page.getByLabel(/^検索語/).fill('zqxjvwkplm');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByText('に一致する文書は見つかりませんでした。').waitFor();
    await check('search-empty');

    // Open the DOCX result: the viewer shows the document scrolled to the passage, highlighted.
    await page.getByLabel(/^検索語/).fill('海外出張 日当');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page
      .locator('.result')
      .first()
      .getByRole('link', { name: /^出張旅費規程/ })
      .click();
    await page.getByTestId('highlighted-passage').waitFor();
    expect(await heading(page)).toMatch(/^出張旅費規程/);
    const passage = page.getByTestId('highlighted-passage');
    expect(await passage.innerText()).toContain(DOCX_PHRASE);
    expect(await passage.locator('mark').allInnerTexts()).toEqual(expect.arrayContaining(['日当']));
    expect(await page.getByRole('status').filter({ hasText: '該当箇所を強調表示しています' }).count()).toBe(
      1,
    );
    await expectInView(page);
    await check('document-viewer');

    // The PDF at its second page, the passage in view, then back to the results.
    await page.getByRole('link', { name: /検索結果に戻る/ }).click();
    await page.locator('.result').first().waitFor();
    await page.getByLabel(/^検索語/).fill('タブレット 紛失');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page
      .locator('.result')
      .first()
      .getByRole('link', { name: /^機器貸与規程/ })
      .click();
    await page.getByTestId('highlighted-passage').waitFor();
    expect(await page.getByTestId('highlighted-passage').innerText()).toContain('紛失した場合');
    expect(await page.getByRole('main').innerText()).toContain('2 ページ');
    await expectInView(page);
    await check('document-viewer-pdf');

    // Back on Sources: delete a document and remove the folder source, each after a confirmation.
    await openFromMenu(page, 'ソース');
    await page.getByRole('button', { name: /^「機器貸与規程.*」を削除$/ }).click();
    await page.getByRole('dialog', { name: '文書を削除しますか？' }).waitFor();
    await check('sources-delete-document-dialog');
    await page.getByRole('dialog').getByRole('button', { name: '削除する' }).click();
    await page.getByText(/^「機器貸与規程.*」を削除しました。$/).waitFor();
    expect(await page.getByRole('row', { name: /機器貸与規程/ }).count()).toBe(0);
    await page.getByRole('button', { name: '「車両管理」を削除' }).click();
    await page.getByRole('dialog', { name: 'ソースを削除しますか？' }).waitFor();
    expect(await page.getByRole('dialog').innerText()).toContain('文書 1 件');
    await page.getByRole('dialog').getByRole('button', { name: '削除する' }).click();
    await page.getByText('ソース「車両管理」を削除しました。').waitFor();
    expect(await sourcesTable.getByRole('row', { name: /車両管理/ }).count()).toBe(0);
    await screenshot(page, JOURNEY, 'sources-after-removal');

    // And the search no longer finds what was removed.
    await page.goto(`/search?q=${encodeURIComponent('タブレット 紛失')}`);
    await page.getByTestId('search-total').waitFor();
    expect(await page.locator('.result', { hasText: '機器貸与規程' }).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  }, 180_000);
});

/** The highlighted passage is inside the visible part of the text's scrolling box and of the window. */
async function expectInView(page: Page) {
  const box = await page.getByTestId('document-text').boundingBox();
  const mark = await page.getByTestId('highlighted-passage').boundingBox();
  expect(box && mark).toBeTruthy();
  expect(mark!.y).toBeGreaterThanOrEqual(box!.y - 1);
  expect(mark!.y + Math.min(mark!.height, 40)).toBeLessThanOrEqual(box!.y + box!.height + 1);
  expect(mark!.y).toBeLessThan(800);
}
