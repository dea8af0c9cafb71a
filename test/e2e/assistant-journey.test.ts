import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocx } from '../fixtures/make-docx.js';
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

const JOURNEY = 'assistant';
const DOCX_NAME = '慶弔見舞金規程.docx';
/** Only this file says it (the demo documents say nothing of condolence payments). */
const DOCX_PHRASE = '社員本人の結婚祝金は三万円とする';

describe('console: a company admin asks the assistant about an uploaded document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('uploads a DOCX, gets a streamed cited answer, opens the citation, rates it, sees "not found", deletes the conversation', async () => {
    const { page } = await newPage(h);
    const check = async (name: string) => {
      await expectTranslated(page, 'ja', name);
      await expectAccessible(page, name);
      await screenshot(page, JOURNEY, name);
    };
    await page.goto('/');
    await signIn(page, ACCOUNTS.companyAdmin);

    // The document comes in through the Sources page.
    await openFromMenu(page, 'ソース');
    const docx = await makeDocx({
      title: '慶弔見舞金規程',
      chapters: [
        {
          heading: '第1章 総則',
          paragraphs: ['この規程は、社員の慶弔に際して支給する見舞金について定める。'],
        },
        {
          heading: '第2章 祝金',
          paragraphs: [`${DOCX_PHRASE}。`, '子の出産祝金は一万円とする。'],
        },
      ],
    });
    await page.getByLabel('アップロードするファイルを選択').setInputFiles([
      {
        name: DOCX_NAME,
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: docx,
      },
    ]);
    await page
      .locator('.upload-result', { hasText: DOCX_NAME })
      .getByText('登録しました')
      .waitFor({ timeout: 30_000 });

    // The assistant: empty at first.
    await openFromMenu(page, 'アシスタント');
    expect(await heading(page)).toBe('アシスタント');
    await page.getByText('まだ会話はありません。').waitFor();
    await check('assistant-start');

    // Ask: the answer streams in, extractive (no model provider), quoting the document with a citation.
    const box = page.getByLabel(/^質問/);
    await box.fill('結婚祝金はいくらですか？');
    const [stream] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/ask')),
      box.press('Enter'),
    ]);
    // Asked as Server-Sent Events, answered as a stream.
    expect(stream.request().headers()['accept']).toBe('text/event-stream');
    expect(stream.headers()['content-type']).toContain('text/event-stream');
    // Typing goes on while the answer arrives: the box is free at once.
    await box.pressSequentially('次の質問');
    expect(await box.inputValue()).toBe('次の質問');
    const answer = page.locator('.turn-answer').last();
    await answer.getByTestId('answer-mode').waitFor({ timeout: 30_000 });
    expect(await answer.getByTestId('answer-mode').innerText()).toBe('抜粋回答');
    expect(await answer.getByTestId('answer-text').innerText()).toContain(DOCX_PHRASE);
    expect(await answer.getByTestId('answer-not-found').count()).toBe(0);
    // The conversation is stored, listed, and in the address.
    await page.waitForURL(/\/assistant\?c=/);
    await page.locator('.conversation-item').first().waitFor();
    expect(await page.locator('.conversation-item').count()).toBe(1);
    const chip = answer.getByRole('list', { name: '出典' }).getByRole('link', { name: /慶弔見舞金規程/ });
    await chip.first().waitFor();
    await check('assistant-answer');

    // The citation chip opens the viewer at the cited passage, highlighted.
    await chip.first().click();
    await page.getByTestId('highlighted-passage').waitFor();
    expect(await heading(page)).toMatch(/^慶弔見舞金規程/);
    expect(await page.getByTestId('highlighted-passage').innerText()).toContain(DOCX_PHRASE);
    await check('assistant-citation-viewer');

    // Back to the conversation; rate the answer bad with a comment.
    await page.getByRole('link', { name: /アシスタントに戻る/ }).click();
    const stored = page.locator('.turn-answer').last();
    await stored.getByTestId('answer-mode').waitFor();
    await stored.getByRole('button', { name: /悪い/ }).click();
    await stored.getByLabel(/^コメント/).fill('金額の根拠となる条文番号も示してほしい');
    await stored.getByRole('button', { name: '評価を送信' }).click();
    await stored.getByText('評価を保存しました。ありがとうございます。').waitFor();
    await check('assistant-feedback');
    // Reloaded, the rating is still there (stored on the server).
    await page.reload();
    const reloaded = page.locator('.turn-answer').last();
    await reloaded.getByTestId('answer-mode').waitFor();
    expect(await reloaded.getByRole('button', { name: /悪い/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await reloaded.getByLabel(/^コメント/).inputValue()).toBe(
      '金額の根拠となる条文番号も示してほしい',
    );

    // Something the documents do not say: "not found", shown as such, with no citation.
    const again = page.getByLabel(/^質問/);
    await again.fill('火星支社の駐車場は何台分ありますか？');
    await page.getByRole('button', { name: '質問する' }).click();
    await expect.poll(() => page.locator('.turn-answer').count(), { timeout: 30_000 }).toBe(2);
    const absent = page.locator('.turn-answer').last();
    await absent.getByTestId('answer-not-found').waitFor({ timeout: 30_000 });
    expect(await absent.getByTestId('answer-not-found').innerText()).toBe('見つかりません');
    expect(await absent.getByRole('list', { name: '出典' }).count()).toBe(0);
    await check('assistant-not-found');

    // Rename, then delete after a confirmation.
    await page.getByRole('button', { name: /の名前を変更$/ }).click();
    await page.getByRole('dialog', { name: '会話の名前を変更' }).getByLabel('会話の名前').fill('慶弔の質問');
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await page.locator('.conversation-title', { hasText: '慶弔の質問' }).waitFor();
    await page.getByRole('button', { name: '「慶弔の質問」を削除' }).click();
    await page.getByRole('dialog', { name: '会話を削除しますか？' }).waitFor();
    await check('assistant-delete-dialog');
    await page.getByRole('dialog').getByRole('button', { name: '削除' }).click();
    await page.getByText('まだ会話はありません。').waitFor();
    expect(page.url()).toMatch(/\/assistant$/);
    expect(await page.locator('.turn').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  }, 180_000);
});
