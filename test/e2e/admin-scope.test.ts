import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../demo/load.js';
import { NO_CHROMIUM, SCREENSHOTS, expectAttribute, openDropdown, pickOption, pickTreeUnit, serverAndBrowser, shownIn, watchPage } from './harness.js';

/**
 * The scenario, end to end in Chromium against the real server and the built web app:
 * an administrator creates a commune and an officer scoped to it; the officer signs in and sees
 * that commune only. The screenshots are kept under test/e2e/screenshots/ (ignored by git).
 */

const COMMUNE = { code: 'HD-NS-E2E', name: 'Xã Thử Nghiệm E2E' };
const DISTRICT = { code: 'HD-NS', name: 'Huyện Nam Sách' };
const OFFICER = { username: 'e2e.canbo', fullName: 'Cán Bộ Thử Nghiệm', password: 'Kiem-tra#E2E-2026' };

interface TreeItem {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
}

describe('e2e: an administrator creates a commune and an officer scoped to it', { skip: NO_CHROMIUM }, () => {
  const run = serverAndBrowser();
  let context: BrowserContext;
  let page: Page;
  let districtId: number;
  /** Uncaught exceptions and console errors, but the 401 of /auth/me before anyone signs in. */
  const problems: string[] = [];

  before(async () => {
    context = await run.browser.newContext({ baseURL: run.server.url, viewport: { width: 1366, height: 800 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    watchPage(page, problems);
  });

  const byTestId = (id: string) => page.getByTestId(id);

  async function signIn(username: string, password: string) {
    await byTestId('login-username').fill(username);
    await byTestId('login-password').fill(password);
    await byTestId('login-submit').click();
    await byTestId('user-menu').waitFor();
  }

  /** The success message a dialog shows once the server has answered. */
  const toast = (text: string) => page.locator('.ant-message-notice', { hasText: text }).waitFor();

  test('given the sign-in page, when the administrator signs in, then it is in Vietnamese and the admin menu shows', async () => {
    await page.goto('/', { waitUntil: 'networkidle' });
    await page.waitForURL('**/login');
    await byTestId('login-submit').waitFor();
    assert.equal(await byTestId('login-submit').textContent(), 'Đăng nhập');
    assert.ok(await page.getByText('Tên đăng nhập', { exact: true }).isVisible());
    await expectAttribute(page.locator('html'), 'lang', 'vi');

    await signIn('admin', DEMO_PASSWORD);
    await byTestId('nav-admin-org-units').waitFor();
    assert.equal(await byTestId('nav-admin').textContent(), 'Quản trị');
  });

  test('given Quản trị → Đơn vị, when the administrator creates a commune under Huyện Nam Sách, then it is in the tree', async () => {
    await byTestId('nav-admin-org-units').click();
    await page.waitForURL('**/admin/org-units');
    await byTestId('org-unit-node-HD').waitFor();

    await byTestId('org-unit-create').click();
    const form = byTestId('org-unit-form');
    await form.waitFor();
    await pickTreeUnit(byTestId('org-unit-form-parent'), DISTRICT.name, 'nam sach');
    await byTestId('org-unit-form-code').fill(COMMUNE.code);
    await byTestId('org-unit-form-name').fill(COMMUNE.name);
    await pickOption(byTestId('org-unit-form-kind'), 'Xã / phường / thị trấn');
    await byTestId('org-unit-form-submit').click();
    await toast(`Đã thêm đơn vị ${COMMUNE.name}.`);
    await form.waitFor({ state: 'detached' });

    await byTestId('org-units-tree-search').locator('input').fill('thu nghiem e2e');
    const node = byTestId(`org-unit-node-${COMMUNE.code}`);
    await node.waitFor();
    assert.equal(await node.textContent(), `${COMMUNE.name} (${COMMUNE.code})`);
    await byTestId(`org-unit-node-${DISTRICT.code}`).waitFor(); // kept as the path to the match
    assert.equal(await byTestId('org-unit-node-HD-NS-ANBINH').count(), 0, 'the search hides the other communes');

    // The administrator's view of the API: the new commune sits under Nam Sách.
    const { items } = (await (await page.request.get('/api/v1/org-units/tree')).json()) as { items: TreeItem[] };
    const district = items.find((u) => u.code === DISTRICT.code);
    assert.ok(district);
    districtId = district.id;
    assert.equal(items.find((u) => u.code === COMMUNE.code)?.parentId, districtId);

    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-org-units.png'), fullPage: true });
  });

  test('given Người dùng, when the administrator creates an officer on the new commune, then the user is listed', async () => {
    await byTestId('nav-admin-users').click();
    await page.waitForURL('**/admin/users');
    await byTestId('users-table').locator('tbody tr[data-row-key]').first().waitFor();

    await byTestId('user-create').click();
    const form = byTestId('user-form');
    await form.waitFor();
    await byTestId('user-form-username').fill(OFFICER.username);
    await byTestId('user-form-fullname').fill(OFFICER.fullName);
    await byTestId('user-form-password').fill(OFFICER.password);
    await byTestId('user-form-confirm').fill(OFFICER.password);
    await pickOption(byTestId('user-form-grant-role-0'), 'Cán bộ xử lý');
    await pickTreeUnit(byTestId('user-form-grant-unit-0'), COMMUNE.name, 'thu nghiem');
    await byTestId('user-form-submit').click();
    await toast(`Đã tạo tài khoản ${OFFICER.username}.`);
    await form.waitFor({ state: 'detached' });

    const search = byTestId('users-table-search').locator('input');
    await search.fill(OFFICER.username);
    await search.press('Enter');
    // The list has answered the search when only one row is left.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="users-table"] tbody tr[data-row-key]').length === 1);
    const row = await byTestId('users-table').locator('tbody tr[data-row-key]').textContent();
    assert.ok(row?.includes(OFFICER.username), row ?? '');
    assert.ok(row?.includes(OFFICER.fullName), row ?? '');
    assert.ok(row?.includes(`Cán bộ xử lý · ${COMMUNE.name}`), row ?? '');
  });

  test('given the new officer, when the administrator signs out and the officer signs in, then only the commune is in reach', async () => {
    await byTestId('user-menu').click();
    await byTestId('logout').click();
    await page.waitForURL('**/login');
    await byTestId('login-submit').waitFor();

    await signIn(OFFICER.username, OFFICER.password);
    await page.waitForURL('**/dashboard'); // a fresh start, not the administrator's last page
    assert.match((await byTestId('user-menu').textContent()) ?? '', new RegExp(OFFICER.fullName));

    // No administration in the sidebar.
    await byTestId('nav-dashboard').waitFor();
    assert.equal(await byTestId('nav-admin').count(), 0);
    assert.equal(await byTestId('nav-admin-org-units').count(), 0);
    assert.equal(await byTestId('nav-admin-users').count(), 0);

    // The header's switcher holds the commune and offers nothing else: one node, nothing to expand.
    const switcher = byTestId('org-unit-switcher');
    await shownIn(switcher, COMMUNE.name).waitFor();
    await switcher.click();
    const nodes = openDropdown(page).locator('.ant-select-tree-node-content-wrapper');
    await nodes.first().waitFor();
    assert.deepEqual(await nodes.evaluateAll((els) => els.map((el) => el.getAttribute('title'))), [COMMUNE.name]);
    assert.equal(await openDropdown(page).locator('.ant-select-tree-switcher:not(.ant-select-tree-switcher-noop)').count(), 0);
    await page.keyboard.press('Escape');
    await nodes.first().waitFor({ state: 'hidden' });

    // The API, with the same session cookie, agrees.
    const tree = await page.request.get('/api/v1/org-units/tree');
    assert.equal(tree.status(), 200);
    const { items } = (await tree.json()) as { items: TreeItem[] };
    assert.deepEqual(items.map((u) => [u.code, u.name, u.parentId]), [[COMMUNE.code, COMMUNE.name, districtId]]);
    const above = await page.request.get(`/api/v1/org-units?rootId=${districtId}`);
    const body = await above.text();
    assert.ok([403, 404].includes(above.status()), `rootId=Nam Sách: ${above.status()} ${body}`);
    assert.equal(body.includes(DISTRICT.name), false);

    // An administration page by its address shows the refusal, not the page.
    await page.goto('/admin/org-units', { waitUntil: 'networkidle' });
    await page.getByText('Bạn không có quyền thực hiện thao tác này.').waitFor();
    assert.equal(await byTestId('org-units-tree').count(), 0);

    // The picture: the officer's dashboard with the switcher open on its one unit.
    await page.goto('/dashboard', { waitUntil: 'networkidle' });
    await shownIn(switcher, COMMUNE.name).waitFor();
    await switcher.click();
    await nodes.first().waitFor();
    assert.equal(await nodes.count(), 1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'officer-scope.png'), fullPage: true });
  });

  test('given the whole scenario, then the browser saw no uncaught error and no console error', () => {
    assert.deepEqual(problems, []);
  });
});
