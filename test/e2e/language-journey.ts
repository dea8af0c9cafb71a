import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SOURCE_NAME } from '../../src/cli/demo/demo-documents.js';
import { DEMO } from '../../src/cli/demo/demo-seed.js';
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
import { addSalesSource, SALES_SOURCE, writeSalesDatabase } from './data-fixture.js';

/** Data, not interface: names of the demo's people, companies and group may be Japanese in English too. */
const DATA = [
  DEMO.group.name,
  ...DEMO.companies.map((c) => c.name),
  ...DEMO.users.map((u) => u.name),
  DEMO_SOURCE_NAME,
  SALES_SOURCE,
];

/** Asked of the demo documents (a question is data: the conversation's title is made from it). */
const QUESTION = '経費はいつまでに申請しますか？';

const TEXT = {
  ja: {
    signInHeading: 'Kura にサインイン',
    toggle: 'English',
    home: 'ホーム',
    users: 'ユーザー',
    apiKeys: 'API キー',
    group: 'グループ会社',
    signOut: 'サインアウト',
    addUser: 'ユーザーを追加',
    delete: '削除',
    createKey: 'キーを発行',
    revoke: '失効させる',
    cancel: 'キャンセル',
    rename: '名前を変更',
    sso: 'SSO でサインイン',
    reauth: 'もう一度サインインしてください',
    notAllowed: 'このページを表示する権限がありません',
    notFound: 'ページが見つかりません',
    keyName: '販売管理システム',
    search: '文書検索',
    searchButton: '検索',
    sources: 'ソース',
    back: '検索結果に戻る',
    addFolder: 'フォルダーを追加',
    addFolderTitle: 'フォルダーを追加',
    chooseFiles: 'アップロードするファイルを選択',
    uploadDone: '完了',
    removeSource: '「デモ文書」を削除',
    noResults: 'zqxjvwkplm',
    assistant: 'アシスタント',
    ask: '質問する',
    question: '質問',
    backToAssistant: 'アシスタントに戻る',
    deleteConversation: '会話を削除しますか？',
    settings: '設定',
    audit: '監査ログ',
    auditApply: '絞り込む',
    auditAction: '操作',
    data: 'データ分析',
    createModel: 'データモデルを作成',
    showSql: '実行した SQL を表示',
    whichFigure: 'どの数字を集計しますか?',
  },
  en: {
    signInHeading: 'Sign in to Kura',
    toggle: '日本語',
    home: 'Home',
    users: 'Users',
    apiKeys: 'API keys',
    group: 'Group companies',
    signOut: 'Sign out',
    addUser: 'Add user',
    delete: 'Delete',
    createKey: 'Create key',
    revoke: 'Revoke',
    cancel: 'Cancel',
    rename: 'Rename',
    sso: 'Sign in with SSO',
    reauth: 'Sign in again',
    notAllowed: 'You are not allowed to see this page',
    notFound: 'Page not found',
    keyName: 'Sales system',
    search: 'Search',
    searchButton: 'Search',
    sources: 'Sources',
    back: 'Back to the results',
    addFolder: 'Add folder',
    addFolderTitle: 'Add a folder',
    chooseFiles: 'Choose files to upload',
    uploadDone: 'Done',
    removeSource: 'Remove “デモ文書”',
    noResults: 'zqxjvwkplm',
    assistant: 'Assistant',
    ask: 'Ask',
    question: 'Question',
    backToAssistant: 'Back to the assistant',
    deleteConversation: 'Delete the conversation?',
    settings: 'Settings',
    audit: 'Audit log',
    auditApply: 'Apply',
    auditAction: 'Action',
    data: 'Data',
    createModel: 'Create the data model',
    showSql: 'Show the SQL that ran',
    whichFigure: 'Which figure should be totalled?',
  },
} as const;

/**
 * Every page and dialog of the console in one language: no missing translation, no message key
 * shown as text, no Japanese left in English, axe-clean, a screenshot of each. Run once per language
 * (language-ja.test.ts, language-en.test.ts), each with its own server and browser.
 */
export function languageJourney(language: 'ja' | 'en'): void {
  describe(`console in ${language === 'ja' ? 'Japanese (the default)' : 'English (one click away)'}`, () => {
    let h: Harness;
    let roots: string;
    let database: string;
    beforeAll(async () => {
      roots = mkdtempSync(path.join(os.tmpdir(), `kura-e2e-lang-${language}-`));
      database = writeSalesDatabase(roots);
      // A company without data: no demo sales database, no model proposed from the demo's price list.
      h = await startHarness(
        { KURA_FOLDER_ROOTS: roots, KURA_PROPOSE_MODEL_FROM_UPLOADS: 'false' },
        { demoSales: false },
      );
    }, 300_000);
    afterAll(async () => {
      await h?.close();
      if (roots) rmSync(roots, { recursive: true, force: true });
    });

    it(`every page and dialog in ${language === 'ja' ? 'Japanese' : 'English'}`, async () => {
      const text = TEXT[language];
      const journey = `language-${language}`;
      const { context, page } = await newPage(h);
      const check = async (name: string) => {
        await expectTranslated(page, language, name, [...DATA, TEXT.ja.keyName, TEXT.en.keyName, QUESTION]);
        await expectAccessible(page, `${language} ${name}`);
        await screenshot(page, journey, name);
      };

      await page.goto('/');
      await page.getByRole('heading', { name: TEXT.ja.signInHeading }).waitFor();
      if (language === 'en') {
        await page.getByRole('button', { name: /English/ }).click();
        await page.getByRole('heading', { name: text.signInHeading }).waitFor();
        // The choice is remembered.
        await page.reload();
        await page.getByRole('heading', { name: text.signInHeading }).waitFor();
      }
      await check('sign-in');

      // "Sign in with SSO" appears for a company that has it, and goes to its start address;
      // a failed SSO sign-in comes back with ?sso_error=, which the page explains.
      await page.route('**/api/v1/auth/sso/sora-pay', (route) => route.fulfill({ json: { enabled: true } }));
      await page.route('**/api/v1/auth/sso/sora-pay/start', (route) =>
        route.fulfill({ status: 302, headers: { location: '/?sso_error=sso_idp_error' } }),
      );
      await page.getByLabel(/^(会社ID|Company ID)/).fill('sora-pay');
      await page.getByRole('button', { name: text.sso }).click();
      await page.waitForURL('**/?sso_error=sso_idp_error');
      await page.getByRole('alert').waitFor();
      await check('sign-in-sso-error');
      await page.goto('/?sso_error=sso_something_new');
      expect(await page.getByRole('alert').innerText()).toContain('sso_something_new');
      await expectTranslated(page, language, 'sign-in unknown sso error', DATA);
      await page.getByLabel(/^(会社ID|Company ID)/).fill('sora-pay');
      await page.getByRole('button', { name: text.sso }).waitFor();
      await check('sign-in-sso');
      await page.unrouteAll();
      await page.goto('/');

      // A company admin's pages.
      await signIn(page, ACCOUNTS.companyAdmin);
      expect(await heading(page)).toBe(text.home);
      await check('home');

      await openFromMenu(page, text.users);
      await page.getByRole('main').getByRole('table').waitFor();
      await check('users');
      await page.getByLabel(/^(メールアドレス|E-mail address)/).fill(`lang-${language}@sora-mobile.example`);
      await page.getByRole('button', { name: text.addUser }).click();
      await page.getByRole('button', { name: /^(コピー|Copy)$/ }).waitFor();
      await check('users-password-shown');
      await page
        .getByRole('row', { name: new RegExp(`lang-${language}@`) })
        .getByRole('button', { name: text.delete })
        .click();
      await page.getByRole('dialog').waitFor();
      await check('users-delete-dialog');
      await page.getByRole('dialog').getByRole('button', { name: text.cancel }).click();

      await openFromMenu(page, text.apiKeys);
      await page.getByLabel(/^(名前|Name)/).fill(text.keyName);
      await page.getByRole('button', { name: text.createKey }).click();
      await page.getByRole('button', { name: /^(コピー|Copy)$/ }).waitFor();
      await page.getByRole('main').getByRole('table').waitFor();
      await check('api-keys-key-shown');
      await page
        .getByRole('main')
        .getByRole('row', { name: new RegExp(text.keyName) })
        .getByRole('button', { name: text.revoke })
        .click();
      await page.getByRole('dialog').waitFor();
      await check('api-keys-revoke-dialog');
      await page.getByRole('dialog').getByRole('button', { name: text.cancel }).click();

      // Search, its results and the document viewer (the demo documents are Japanese: data).
      await openFromMenu(page, text.search);
      await check('search');
      await page.getByRole('searchbox').first().fill(text.noResults);
      await page.getByRole('main').getByRole('button', { name: text.searchButton, exact: true }).click();
      await page.getByTestId('search-total').waitFor();
      await check('search-no-results');
      await page.getByRole('searchbox').first().fill('経費 申請');
      await page.getByRole('main').getByRole('button', { name: text.searchButton, exact: true }).click();
      await page.locator('.result').first().waitFor();
      await check('search-results');
      await page.locator('.result').first().getByRole('link').click();
      await page.getByTestId('highlighted-passage').waitFor();
      await check('document-viewer');
      await page.getByRole('link', { name: text.back }).click();
      await page.locator('.result').first().waitFor();

      // The assistant: empty, an answer with its citation chips and rating, the viewer from a chip,
      // the delete dialog (answers, questions and conversation titles are data).
      await openFromMenu(page, text.assistant);
      await check('assistant');
      await page.getByLabel(new RegExp(`^${text.question}`)).fill(QUESTION);
      await page.getByRole('button', { name: text.ask, exact: true }).click();
      await page.getByTestId('answer-mode').waitFor({ timeout: 30_000 });
      await page.waitForURL(/\/assistant\?c=/);
      await page.locator('.feedback').first().waitFor();
      await check('assistant-answer');
      await page.locator('.chip').first().click();
      await page.getByTestId('highlighted-passage').waitFor();
      await check('assistant-citation-viewer');
      await page.getByRole('link', { name: text.backToAssistant }).click();
      await page.locator('.conversation-item').first().waitFor();
      await page.locator('.conversation-item').first().getByRole('button', { name: text.delete }).click();
      await page.getByRole('dialog', { name: text.deleteConversation }).waitFor();
      await check('assistant-delete-dialog');
      await page.getByRole('dialog').getByRole('button', { name: text.cancel }).click();
      // Data: no source yet, the model created from a database, an answer, a clarification.
      await openFromMenu(page, text.data);
      await page.getByTestId('data-no-source').waitFor();
      await check('data-no-source');
      await addSalesSource(context, database);
      await page.reload();
      await page.getByRole('form', { name: text.createModel }).getByRole('button').click();
      const question = page.getByRole('textbox', { name: text.question });
      await question.fill('2024年度の地域別売上と前年比は？');
      await page.getByRole('button', { name: text.ask, exact: true }).click();
      await page.getByTestId('data-table').waitFor({ timeout: 20_000 });
      await page.getByTestId('data-chart').locator('svg').first().waitFor({ timeout: 20_000 });
      await page.getByText(text.showSql).click();
      await page.getByTestId('data-sql').first().waitFor();
      await check('data-answer');
      await question.fill('2024年度の地域別に見せて');
      await page.getByRole('button', { name: text.ask, exact: true }).click();
      await page.getByRole('group', { name: text.whichFigure }).waitFor({ timeout: 20_000 });
      await check('data-clarification');

      // Sources: an upload to the end, a refused folder, the removal dialog.
      await openFromMenu(page, text.sources);
      await page.getByRole('main').getByRole('table').first().waitFor();
      await check('sources');
      await page.getByLabel(text.chooseFiles).setInputFiles({
        name: `lang-${language}.md`,
        mimeType: 'text/markdown',
        buffer: Buffer.from(`# Language check ${language}\n\nA short note for the ${language} journey.\n`),
      });
      await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor({ timeout: 20_000 });
      expect(await page.getByRole('progressbar').first().getAttribute('aria-valuetext')).toContain(
        text.uploadDone,
      );
      await check('sources-uploaded');
      const folderForm = page.getByRole('form', { name: text.addFolderTitle });
      await folderForm.getByRole('textbox').first().fill('/etc');
      await folderForm.getByRole('button', { name: text.addFolder }).click();
      await page.getByRole('main').getByRole('alert').first().waitFor();
      await check('sources-folder-refused');
      await page.getByRole('button', { name: text.removeSource }).click();
      await page.getByRole('dialog').waitFor();
      await check('sources-remove-dialog');
      await page.getByRole('dialog').getByRole('button', { name: text.cancel }).click();

      // Settings (the residency policy against the sector preset) and the audit log.
      await openFromMenu(page, text.settings);
      await page.getByTestId('preset').waitFor();
      await page.locator('.settings-form').waitFor();
      await check('settings');
      await openFromMenu(page, text.audit);
      await page.getByRole('main').getByRole('table').waitFor();
      // Sign-ins only: an action code such as search.query reads like a message key.
      await page.getByLabel(text.auditAction, { exact: true }).fill('auth.*');
      await page.getByRole('main').getByRole('button', { name: text.auditApply }).click();
      await expect
        .poll(async () => (await page.locator('tbody tr').allInnerTexts()).every((r) => r.includes('auth.')))
        .toBe(true);
      await check('audit');

      await page.goto('/group');
      expect(await heading(page)).toBe(text.notAllowed);
      await check('not-allowed');
      await page.goto('/no-such-page');
      expect(await heading(page)).toBe(text.notFound);
      await check('not-found');

      // The sign-in dialog that appears when the session ended under the page.
      await openFromMenu(page, text.apiKeys);
      await context.clearCookies();
      await page.getByLabel(/^(名前|Name)/).fill('x');
      await page.getByRole('button', { name: text.createKey }).click();
      await page.getByRole('dialog', { name: text.reauth }).waitFor();
      await check('reauth-dialog');
      await page
        .getByRole('dialog')
        .getByLabel(/^(パスワード|Password)/)
        .fill('demo-password-123');
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /^(サインイン|Sign in)$/ })
        .click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: /^(コピー|Copy)$/ }).waitFor();

      // A group admin's page.
      await page.getByRole('button', { name: text.signOut }).click();
      await page.getByRole('heading', { name: text.signInHeading }).waitFor();
      await signIn(page, ACCOUNTS.groupAdmin);
      await openFromMenu(page, text.group);
      await page.getByRole('main').getByRole('table').first().waitFor();
      // Usage and cost per company: its table and chart (axis titles are interface text too).
      await page.getByTestId('usage-table').waitFor();
      await page.getByTestId('data-chart').locator('svg').first().waitFor({ timeout: 20_000 });
      await check('group');
      await page.getByRole('button', { name: text.rename }).first().click();
      await check('group-rename');

      // One click back to the other language.
      await switchLanguage(page, language === 'ja' ? 'en' : 'ja');
      expect(await heading(page)).toBe(TEXT[language === 'ja' ? 'en' : 'ja'].group);
      await expectTranslated(page, language === 'ja' ? 'en' : 'ja', 'after switching', DATA);
      expect(pageErrors(page)).toEqual([]);
      await context.close();
    }, 180_000);
  });
}

async function switchLanguage(page: Page, to: 'ja' | 'en') {
  await page.getByRole('button', { name: to === 'en' ? /English/ : /日本語/ }).click();
  await page.waitForFunction(
    (lang) =>
      (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
        .lang === lang,
    to,
  );
}
