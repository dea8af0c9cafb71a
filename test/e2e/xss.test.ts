import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  DEMO_PASSWORD,
  newPage,
  pageErrors,
  signIn,
  startHarness,
  type Harness,
} from './support.js';

/**
 * Stored cross-site scripting through the console: a document whose title (its file name) and text
 * are HTML with script in it. Search results, the viewer and the assistant's answer must show that
 * markup as text, and no script of it may run (each payload would set `window.__xss`).
 */
const WORD = 'xssprobeword';
// No double quotes in the file name: multipart clients percent-encode them.
const TITLE = `<img src=x onerror=window.__xss='title'> ${WORD}.txt`;
const TEXT = [
  `${WORD} <script>window.__xss='script'</script> is the first line.`,
  `${WORD} <img src=x onerror="window.__xss='img'"> and <svg onload="window.__xss='svg'"></svg> follow.`,
  `${WORD} <a href="javascript:window.__xss='link'">click</a> <iframe src="javascript:parent.__xss='iframe'"></iframe> end.`,
].join('\n\n');

describe('console: document content is text, never markup', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('titles, snippets, the viewer and answers show script-bearing documents literally and run none of it', async () => {
    // The admin uploads the document through the API (its own browser profile, session and CSRF token).
    const admin = await newPage(h);
    const login = await admin.context.request.post('/api/v1/auth/login', {
      data: {
        company: ACCOUNTS.companyAdmin.company,
        email: ACCOUNTS.companyAdmin.email,
        password: DEMO_PASSWORD,
      },
    });
    expect(login.status()).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const uploaded = await admin.context.request.post('/api/v1/documents', {
      headers: { 'x-csrf-token': csrfToken },
      multipart: { file: { name: TITLE, mimeType: 'text/plain', buffer: Buffer.from(TEXT) } },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(201);
    const document = ((await uploaded.json()) as { results: { document: { id: string; title: string } }[] })
      .results[0]!.document;
    expect(document.title).toContain('<img src=x onerror=');
    await admin.context.close();

    // A member reads it in another profile.
    const { context, page } = await newPage(h);

    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const ran = () => page.evaluate<unknown>('window.__xss');
    await page.goto('/');
    await signIn(page, ACCOUNTS.member);

    // Search: the result's title and snippet, as text.
    await page.goto(`/search?q=${WORD}`);
    await page.getByTestId('search-total').waitFor();
    const result = page.locator('.result').first();
    await result.waitFor();
    const shown = await result.innerText();
    expect(shown).toContain(`<img src=x onerror=window.__xss='title'>`);
    expect(shown).toMatch(/<script>|<img src=x|<svg|<a href=/);
    expect(await page.locator('main img[src="x"], main svg[onload], main script, main iframe').count()).toBe(
      0,
    );
    expect(await ran()).toBeUndefined();

    // The viewer: the whole text, every payload literally.
    await page.goto(`/documents/${document.id}`);
    await page.getByTestId('document-text').waitFor();
    const text = await page.getByTestId('document-text').innerText();
    for (const payload of [
      "<script>window.__xss='script'</script>",
      `<img src=x onerror="window.__xss='img'">`,
      `<a href="javascript:window.__xss='link'">click</a>`,
    ])
      expect(text).toContain(payload);
    expect(await page.locator('h1').first().innerText()).toContain('<img src=x onerror=');
    expect(
      await page
        .locator('main img[src="x"], main svg[onload], main script, main iframe, main a[href^="javascript:"]')
        .count(),
    ).toBe(0);
    expect(await ran()).toBeUndefined();

    // The assistant quotes the document: the answer and its citation are text too.
    await page.goto('/assistant');
    const box = page.getByLabel(/^質問/);
    await box.fill(`${WORD} とは何ですか？`);
    await box.press('Enter');
    const answer = page.locator('.turn-answer').last();
    await answer.getByTestId('answer-mode').waitFor({ timeout: 30_000 });
    expect(await answer.innerText()).toContain(WORD);
    expect(
      await page
        .locator('main img[src="x"], main svg[onload], main script, main iframe, main a[href^="javascript:"]')
        .count(),
    ).toBe(0);
    expect(await ran()).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 180_000);
});
