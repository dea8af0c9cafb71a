/**
 * End-to-end harness: a real `kura serve` (embedded database, demo group) in this process, the
 * console built from web/ when its build is missing or older than its sources, and Debian's
 * Chromium driven by playwright-core. One server and one browser per test file, each on its own
 * copy of a data directory seeded by a real first start.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { serve, type RunningServer } from '../../src/cli/commands/serve.js';
import { withDirectoryLock } from '../helpers/directory-lock.js';
import { runTemplate } from '../helpers/run-template.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { ja } from '../../web/src/i18n/ja.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEMO_PASSWORD = 'demo-password-123';
export const VIEWPORT = { width: 1280, height: 800 };
const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';

export const ACCOUNTS = {
  companyAdmin: { company: 'sora-mobile', email: 'admin@sora-mobile.example' },
  member: { company: 'sora-mobile', email: 'member@sora-mobile.example' },
  viewer: { company: 'sora-mobile', email: 'viewer@sora-mobile.example' },
  groupAdmin: { company: 'sora-hd', email: 'group-admin@sora-hd.example' },
} as const;

// ---------- the console build ----------

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

function consoleIsFresh(): boolean {
  const built = path.join(ROOT, 'web', 'dist', 'index.html');
  if (!existsSync(built)) return false;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) =>
    newestMtime(path.join(ROOT, 'web', p)),
  );
  return statSync(built).mtimeMs >= Math.max(...sources);
}

/** Builds web/dist when missing or stale; test files running in parallel build it once, under a lock. */
export async function ensureConsoleBuilt(): Promise<void> {
  if (consoleIsFresh()) return;
  const lock = path.join(
    os.tmpdir(),
    `kura-web-build-${Buffer.from(ROOT).toString('base64url').slice(-24)}.lock`,
  );
  await withDirectoryLock(lock, async () => {
    if (consoleIsFresh()) return;
    const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  });
}

// ---------- server and browser ----------

export interface Harness {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

async function waitForChromium(): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > deadline) throw new Error(`${CHROMIUM} not found: install Debian's chromium package`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Settings that do not change what the demo seeds (the template is shared across them). */
const SEED_NEUTRAL = new Set(['KURA_FOLDER_ROOTS']);

function harnessConfig(dataDir: string, env: Record<string, string>) {
  return loadConfig({
    KURA_DATA_DIR: dataDir,
    KURA_PORT: '0',
    KURA_DEMO_PASSWORD: DEMO_PASSWORD,
    KURA_LOG_LEVEL: 'silent',
    ...env,
  });
}

/**
 * A data directory the demo was seeded into by a real first start, once per test run for each
 * seeding: seeding costs ~10 s of two cores (initdb, migrations, three companies' documents and
 * sales data), copying it a tenth of a second.
 */
async function seededDemo(env: Record<string, string>, demoSales: boolean): Promise<string> {
  const seeding = Object.entries(env).filter(([key]) => !SEED_NEUTRAL.has(key));
  const key = createHash('sha256').update(JSON.stringify({ seeding, demoSales })).digest('hex').slice(0, 12);
  return runTemplate(`demo-${key}`, async (target) => {
    mkdirSync(target);
    const first = await serve(harnessConfig(target, Object.fromEntries(seeding)), createLogger('silent'), {
      demo: true,
      demoSales,
      print: () => {},
    });
    await first.stop();
  });
}

/**
 * `env`: more settings for the server (e.g. KURA_FOLDER_ROOTS), over the harness's own.
 * `demoSales: false`: the demo companies start without their sales database (journeys that add one).
 */
export async function startHarness(
  env: Record<string, string> = {},
  options: { demoSales?: boolean } = {},
): Promise<Harness> {
  await Promise.all([ensureConsoleBuilt(), waitForChromium()]);
  const demoSales = options.demoSales ?? true;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-'));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    cpSync(await seededDemo(env, demoSales), dataDir, { recursive: true });
    server = await serve(harnessConfig(dataDir, env), createLogger('silent'), {
      demo: true,
      demoSales,
      print: () => {},
    });
    expect(server.url).toMatch(/^http:\/\/localhost:[1-9][0-9]*$/);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
  } catch (error) {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  const launched = browser;
  return {
    url: running.url,
    browser: launched,
    async close() {
      await launched.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser profile (cookies, storage) at 1280×800 that records the console's untranslated keys. */
export async function newPage(harness: Harness): Promise<{ context: BrowserContext; page: Page }> {
  const context = await harness.browser.newContext({
    viewport: VIEWPORT,
    baseURL: harness.url,
    locale: 'ja-JP',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { kuraErrors?: string[] }).kuraErrors = errors;
  return { context, page };
}

/** Uncaught errors the page threw so far. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { kuraErrors?: string[] }).kuraErrors ?? [];
}

// ---------- journeys' steps ----------

export async function signIn(
  page: Page,
  account: { company: string; email: string },
  password = DEMO_PASSWORD,
) {
  await page.getByLabel(/^(会社ID|Company ID)/).fill(account.company);
  await page.getByLabel(/^(メールアドレス|E-mail address)/).fill(account.email);
  await page.getByLabel(/^(パスワード|Password)/).fill(password);
  await page.getByRole('button', { name: /^(サインイン|Sign in)$/ }).click();
  await page.getByRole('navigation').waitFor();
}

/** Navigates inside the console by its menu (a client-side route change, as a user would). */
export async function openFromMenu(page: Page, name: RegExp | string) {
  await page.getByRole('navigation').getByRole('link', { name }).click();
  await page.locator('h1').first().waitFor();
}

export async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').first().innerText()).trim();
}

const shots = new Map<string, number>();
/** A 1280×800 PNG of what the user sees, named by journey, order and page (a journey's old ones go first). */
export async function screenshot(page: Page, journey: string, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const count = (shots.get(journey) ?? 0) + 1;
  shots.set(journey, count);
  if (count === 1) {
    for (const file of readdirSync(SCREENSHOTS)) {
      if (file.startsWith(`${journey}-`)) rmSync(path.join(SCREENSHOTS, file));
    }
  }
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${journey}-${String(count).padStart(2, '0')}-${name}.png`),
  });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now: no serious or critical violations. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${where}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

function flatten(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatten(value as object, `${prefix}${key}.`),
  );
}
export const MESSAGE_KEYS = flatten(ja);

/**
 * Every string on the page is translated into `language`: i18next reported no missing key, no
 * message key shows as text, the document says its language, and in English no Japanese text
 * remains outside data (elements marked translate="no": names, companies) and the `extra` values given.
 */
export async function expectTranslated(
  page: Page,
  language: 'ja' | 'en',
  where: string,
  extra: string[] = [],
) {
  const state = await page.evaluate(() => {
    const doc = globalThis as unknown as {
      __kuraMissingKeys?: string[];
      document: {
        documentElement: { lang: string };
        body: { innerText: string };
      };
    };
    return {
      missing: doc.__kuraMissingKeys ?? [],
      lang: doc.document.documentElement.lang,
      text: doc.document.body.innerText,
    };
  });
  expect(state.missing, `${where}: missing translations`).toEqual([]);
  expect(state.lang, `${where}: <html lang>`).toBe(language);
  const rawKeys = MESSAGE_KEYS.filter((key) =>
    new RegExp(`(^|[^\\w.@-])${key.replace(/\./g, '\\.')}($|[^\\w.-])`).test(state.text),
  );
  expect(rawKeys, `${where}: message keys shown as text`).toEqual([]);
  if (language === 'en') {
    // Runs in the page (a string: the tests compile without DOM types): the text of every visible
    // node not marked as data.
    const visible = await page.evaluate<string>(`(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const parts = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('[translate="no"], script, style')) continue;
        if (!parent.checkVisibility()) continue;
        parts.push(node.textContent);
      }
      return parts.join(' ');
    })()`);
    let rest = visible;
    for (const value of extra) rest = rest.split(value).join(' ');
    const japanese = rest.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+/gu) ?? [];
    expect(japanese, `${where}: Japanese text left in English`).toEqual([]);
  }
}
