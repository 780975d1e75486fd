import { type ChildProcess, spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '../../demo/load.js';
import { REQUIRE_ALL_TIERS } from '../helpers/db.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test/e2e/screenshots');

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(Boolean) as string[];

/** Debian's Chromium, or undefined (which fails the run when every tier is required). */
export function chromiumPath(): string | undefined {
  const found = CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found && REQUIRE_ALL_TIERS) throw new Error('REQUIRE_ALL_TIERS: Chromium is not installed (apt-get install chromium)');
  return found;
}

/** A walk-through's `skip`: where Chromium is missing (a failure instead when every tier is required). */
export const NO_CHROMIUM = !chromiumPath() && 'Chromium is not installed (apt-get install chromium)';

/**
 * The real server (with `env`) and Chromium for the walk-through of the enclosing describe: both
 * started before its tests, stopped after them (closing the browser closes its contexts).
 */
export function serverAndBrowser(env: Record<string, string> = {}): { readonly server: RunningServer; readonly browser: Browser } {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    [server, browser] = await Promise.all([startServer(env), launchBrowser(chromiumPath()!)]);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
  };
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** The real server (`src/main.ts`) with the demo locality on a fresh embedded database. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok && output.includes('is running')) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in time: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Collects a page's uncaught exceptions and console errors into `problems` (a walk-through ends by
 * asserting there were none), except the signed-out probe of the session (Chromium logs the 401 of
 * /auth/me itself) and what `expected` lets through: the refusals the walk-through provokes.
 */
export function watchPage(page: Page, problems: string[], label = '', expected?: (where: string, text: string) => boolean): void {
  const who = label ? `${label} ` : '';
  page.on('pageerror', (error) => problems.push(`${who}pageerror: ${error.stack ?? error.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    if (where.endsWith('/api/v1/auth/me') && msg.text().includes('401')) return;
    if (expected?.(where, msg.text())) return;
    problems.push(`${who}console.error: ${msg.text()} (${where})`);
  });
}

/** A fresh browser context (each person on their own machine) signed in as a demo user, watched as watchPage does. */
export async function signInPage(
  browser: Browser,
  baseURL: string,
  username: string,
  watch: { problems: string[]; expected?: (where: string, text: string) => boolean },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  watchPage(page, watch.problems, username, watch.expected);
  await page.goto('/login', { waitUntil: 'networkidle' });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  return { context, page };
}

/**
 * Types an ISO date (yyyy-mm-dd) into an antd DatePicker whose input is `input`, as dd/mm/yyyy, and
 * confirms it with Enter; then waits until the picker has taken it: its panel closed and its input
 * showing the date. An Enter that reaches the picker before it has parsed the text confirms the
 * value it had, so the date is typed again (three tries) rather than read back wrong later.
 */
export async function typeDate(input: Locator, isoDate: string): Promise<void> {
  const text = isoDate.split('-').reverse().join('/');
  const openPanel = input.page().locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)');
  for (let attempt = 1; ; attempt++) {
    await input.click();
    await input.fill(text);
    await input.press('Enter');
    const closed = await openPanel
      .waitFor({ state: 'hidden', timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (closed && (await input.inputValue()) === text) return;
    if (attempt === 3) throw new Error(`the date picker did not take ${text} (it shows "${await input.inputValue()}")`);
    await input.page().keyboard.press('Escape');
  }
}

/**
 * Asserts that `locator`'s attribute `name` reads `expected`, waiting for it first (5 s): a page
 * re-renders after the answer that changes it, so a value read at once can still be the old one.
 */
export async function expectAttribute(locator: Locator, name: string, expected: string, message?: string): Promise<void> {
  const reached = await locator
    .and(locator.page().locator(`[${name}="${expected}"]`))
    .first()
    .waitFor({ timeout: 5000 })
    .then(() => true)
    .catch(() => false);
  if (!reached) assert.equal(await locator.getAttribute(name, { timeout: 1000 }), expected, message ?? `${name} of ${locator}`);
}

/** The Ant Design Select / TreeSelect list open on the page. */
export const openDropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

/** The label a single Select / TreeSelect shows for its value. */
export const shownIn = (select: Locator, title: string) => select.locator(`[title="${title}"]`).first();

/**
 * After a pick the list closes by itself; one still open 2 s later (a click that landed while it
 * was opening picks the option and leaves it open) is closed with Escape, which then goes to the
 * list and not to a dialog around it.
 */
export async function closeList(option: Locator): Promise<void> {
  const closed = await option
    .waitFor({ state: 'hidden', timeout: 2000 })
    .then(() => true)
    .catch(() => false);
  if (closed) return;
  await option.page().keyboard.press('Escape');
  await option.waitFor({ state: 'hidden' });
}

/** Ant Design Select: click, then the option with that title; waits until the select shows it and its list is closed. */
export async function pickOption(select: Locator, title: string): Promise<void> {
  await select.click();
  const option = openDropdown(select.page()).locator(`.ant-select-item-option[title="${title}"]`);
  await option.click();
  await shownIn(select, title).waitFor();
  await closeList(option);
}

/**
 * Ant Design TreeSelect of org units: click, type part of the name, click the unit (Enter does not
 * select). On a busy machine the tree can re-render under the first click (its units load, the
 * search filters): it is clicked again until the picker shows the unit (three tries).
 */
export async function pickTreeUnit(picker: Locator, name: string, search: string): Promise<void> {
  await picker.click();
  await picker.locator('input').fill(search);
  const option = openDropdown(picker.page()).locator(`.ant-select-tree-node-content-wrapper[title="${name}"]`);
  for (let attempt = 1; ; attempt++) {
    await option.click();
    const picked = await shownIn(picker, name)
      .waitFor({ timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (picked) break;
    if (attempt === 3) throw new Error(`could not pick "${name}"`);
  }
  await closeList(option);
}
