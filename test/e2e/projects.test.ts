import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { businessDateOf } from '../../src/platform/calendar/businessTime.js';
import { pickOption, SCREENSHOTS, signInPage, NO_CHROMIUM, serverAndBrowser, expectAttribute, typeDate } from './harness.js';

/**
 * Key projects and breakthrough tasks in Chromium against the real server with the demo locality:
 * Nam Sách's leader opens the East–West axis (its length-weighted progress as the article gives it),
 * enters a milestone and deletes it again, and deletes an obstacle entered by mistake, whose task
 * is then cancelled; the province's leader reviews a breakthrough item at the year's end, is told
 * when another reviewer saved first, and saves once the list is read again.
 * Screenshots under test/e2e/screenshots/ (ignored by git).
 */

const YEAR = Number(businessDateOf(new Date()).slice(0, 4));
const MILESTONE = `Thông xe toàn tuyến (E2E ${Date.now().toString(36).toUpperCase()})`;

describe('e2e: key projects and breakthrough tasks — entries deleted, the year-end review', { skip: NO_CHROMIUM }, () => {
  const run = serverAndBrowser();
  let context: BrowserContext | null = null;
  let page: Page;
  /** Uncaught exceptions and console errors (watchPage). */
  const problems: string[] = [];

  async function signInAs(username: string) {
    await context?.close();
    // The second reviewer's save is refused on purpose (409).
    ({ context, page } = await signInPage(run.browser, run.server.url, username, { problems, expected: (where, text) => /\/items\/\d+\/review$/.test(where) && text.includes('status of 409') }));
  }

  /** A GET of the API as the signed-in person (the page's cookies). */
  async function apiGet<T>(url: string): Promise<T> {
    const res = await page.request.get(url);
    assert.equal(res.status(), 200, `${url}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Clicks a delete button and confirms in its Popconfirm. */
  async function deleteAndConfirm(button: Locator) {
    await button.click();
    await page.locator('.ant-popconfirm:not(.ant-popover-hidden) .ant-popconfirm-buttons .ant-btn-primary').click();
  }

  test('given Nam Sách’s leader, when the East–West axis is opened, then its progress is rolled up by length as the article has it', async () => {
    await signInAs('namsach.lanhdao');
    await page.getByTestId('nav-projects').click();
    await page.getByTestId('pj-row-NS-TRUC-DONG-TAY').waitFor();
    const list = await apiGet<{ items: { id: number; code: string }[] }>('/api/v1/projects?pageSize=100');
    const project = list.items.find((p) => p.code === 'NS-TRUC-DONG-TAY');
    assert.ok(project, 'the demo project');
    await page.goto(`/projects/${project.id}`);
    await page.getByTestId('pj-figures').waitFor();
    // (1.8 × 80 + 1.5 × 75 + 1.6 × 70 + 1.4 × 60 + 1.3 × 55 + 1.6 × 50) / 9.2 km
    await expectAttribute(page.getByTestId('pj-detail-physical'), 'data-value', '65.65');
    assert.equal(await page.getByTestId('pj-segments').locator('tbody tr.ant-table-row').count(), 6);
  });

  test('given the project, when a milestone is entered and then deleted, then it comes and goes', async () => {
    await page.getByRole('tab', { name: 'Mốc tiến độ' }).click();
    const table = page.getByTestId('pj-milestones');
    const before = await table.locator('tbody tr.ant-table-row').count();
    await page.getByTestId('pj-add-milestone').click();
    await page.getByTestId('pj-milestone-form').waitFor();
    await page.getByTestId('pj-milestone-name').fill(MILESTONE);
    await typeDate(page.getByTestId('pj-milestone-planned'), `${YEAR}-12-31`);
    await page.getByTestId('pj-milestone-ok').click();
    const row = table.locator('tbody tr.ant-table-row', { hasText: MILESTONE });
    await row.waitFor();
    assert.equal(await table.locator('tbody tr.ant-table-row').count(), before + 1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'projects-milestone.png'), animations: 'disabled' });

    await deleteAndConfirm(row.locator('[data-testid^="pj-milestone-delete-"]'));
    await row.waitFor({ state: 'detached' });
    assert.equal(await table.locator('tbody tr.ant-table-row').count(), before);
  });

  test('given an obstacle entered by mistake, when it is deleted, then it leaves the project and its task is cancelled', async () => {
    await page.getByRole('tab', { name: 'Vướng mắc' }).click();
    const table = page.getByTestId('pj-obstacles');
    const button = table.locator('[data-testid^="pj-obstacle-delete-"]').first();
    await button.waitFor();
    const obstacleId = Number((await button.getAttribute('data-testid'))?.replace('pj-obstacle-delete-', ''));
    const taskHref = await table.getByTestId(`pj-obstacle-task-${obstacleId}`).getAttribute('href');
    const taskId = Number(taskHref?.split('/').pop());
    assert.ok(obstacleId > 0 && taskId > 0, `obstacle ${obstacleId}, task ${taskHref}`);
    const task = await apiGet<{ status: string }>(`/api/v1/tasks/${taskId}`);
    assert.notEqual(task.status, 'cancelled');

    await deleteAndConfirm(button);
    await table.getByTestId(`pj-obstacle-task-${obstacleId}`).waitFor({ state: 'detached' });
    const after = await apiGet<{ status: string; events: { type: string; data: { reason?: string } }[] }>(`/api/v1/tasks/${taskId}`);
    assert.equal(after.status, 'cancelled');
    assert.match(after.events.find((e) => e.type === 'cancelled')?.data.reason ?? '', /Vướng mắc được xóa/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'projects-obstacle-deleted.png'), animations: 'disabled' });
  });

  test('given the province’s leader, when two reviewers save the year-end review of one item, then the second is told and saves after reading again', async () => {
    await signInAs('lanhdao');
    const lists = await apiGet<{ items: { id: number; status: string; year: number }[] }>(`/api/v1/breakthrough/registrations?year=2021&status=approved`);
    assert.ok(lists.items.length > 0, 'the demo’s approved lists of 2021');
    const id = lists.items[0].id;
    await page.goto(`/breakthrough/lists/${id}`);
    await page.getByTestId('bt-registration-page').waitFor();
    await page.getByTestId('bt-item-review-1').click();
    const form = page.getByTestId('bt-review-form');
    await form.waitFor();
    await pickOption(form.locator('.ant-select').first(), 'Không hoàn thành');

    // Meanwhile another reviewer saves the same item (the list's version moves on).
    const list = await apiGet<{ version: number; items: { id: number; position: number }[] }>(`/api/v1/breakthrough/registrations/${id}`);
    const item = list.items.find((i) => i.position === 1);
    const other = await page.request.put(`/api/v1/breakthrough/registrations/${id}/items/${item?.id}/review`, {
      data: { version: list.version, result: 'partly', note: 'Người đánh giá thứ hai' },
      headers: { 'x-csrf-token': await csrfToken() },
    });
    assert.equal(other.status(), 200, await other.text());

    await page.getByTestId('bt-review-ok').click();
    const notice = page.locator('.ant-message-notice', { hasText: /người khác thay đổi/ });
    await notice.waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'breakthrough-review-conflict.png'), animations: 'disabled' });
    assert.equal((await apiGet<{ items: { position: number; review: { result: string } | null }[] }>(`/api/v1/breakthrough/registrations/${id}`)).items.find((i) => i.position === 1)?.review?.result, 'partly', 'nothing overwritten');

    // Read again, then save.
    await page.reload();
    await page.getByTestId('bt-registration-page').waitFor();
    await page.getByTestId('bt-item-review-1').click();
    await form.waitFor();
    await pickOption(form.locator('.ant-select').first(), 'Không hoàn thành');
    await page.getByTestId('bt-review-ok').click();
    await page.getByTestId('bt-items').locator('[data-testid="bt-review"][data-result="not"]').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'breakthrough-reviewed.png'), animations: 'disabled' });
  });

  test('given the whole scenario, then the browser saw no uncaught error and no console error', () => {
    assert.deepEqual(problems, []);
  });

  /** The session's CSRF token, as the web app sends it with every write. */
  async function csrfToken(): Promise<string> {
    const me = await apiGet<{ csrfToken?: string }>('/api/v1/auth/me');
    assert.ok(me.csrfToken, 'the session has a CSRF token');
    return me.csrfToken;
  }
});
