import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { NO_CHROMIUM, SCREENSHOTS, expectAttribute, serverAndBrowser, signInPage } from './harness.js';

/**
 * The operations-centre screen in Chromium against the real server with the demo locality: the
 * province's leader lands on it after signing in and sees this month's figures of every module; he
 * picks the year 2021 of the seed article (its breakthrough tasks and directed tasks), opens the
 * overdue tasks from their tile and exports the screen to Excel; Nam Sách's leader sees Nam Sách.
 * Every figure shown is checked against GET /api/v1/dashboard for the same unit and period.
 * Screenshots under test/e2e/screenshots/ (ignored by git).
 */

type Figures = Record<string, Record<string, number | boolean | null>>;
const AREAS = ['feedback', 'dossiers', 'tasks', 'breakthrough', 'projects'] as const;

describe('e2e: the operations-centre screen — every module’s figures for a unit and a period', { skip: NO_CHROMIUM }, () => {
  const run = serverAndBrowser();
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    ({ context, page } = await signInPage(run.browser, run.server.url, 'lanhdao', { problems }));
  });
  after(() => context?.close());

  /** Each figure on the page (data-value of dash-<area>-<figure>) equals the API's answer for the unit and period shown. */
  async function assertShownAsAnswered(): Promise<Figures> {
    const tiles = page.getByTestId('dash-tiles');
    await tiles.waitFor();
    const [unitId, from, to] = await Promise.all(['data-unit', 'data-from', 'data-to'].map((a) => tiles.getAttribute(a)));
    const search = new URL(page.url()).searchParams;
    const period = search.get('period') ? `&period=${search.get('period')}&year=${search.get('year')}` : '';
    const res = await page.request.get(`/api/v1/dashboard?unitId=${unitId}${period}`);
    assert.equal(res.status(), 200, await res.text());
    const answer = (await res.json()) as Figures & { period: { from: string; to: string } };
    assert.deepEqual([answer.period.from, answer.period.to], [from, to]);
    const shown = await page.locator('[data-testid^="dash-"][data-value]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-testid') ?? '', el.getAttribute('data-value') ?? '']));
    assert.ok(shown.length >= 20, `the tiles show their figures: ${shown.length}`);
    for (const [testId, value] of shown) {
      const [, area, figure] = testId.split('-');
      const a = answer[area];
      const expected =
        figure === 'completed' ? Number(a.completedOnTime) + Number(a.completedLate) : a[figure] === null ? '' : a[figure];
      assert.equal(value, String(expected), testId);
    }
    return answer;
  }

  test('given the province leader signing in, then the first screen is the operations centre with this month’s figures of every module', async () => {
    await page.goto('/');
    await page.waitForURL('**/dashboard');
    for (const area of AREAS) await page.getByTestId(`dash-${area}`).waitFor();
    const answer = await assertShownAsAnswered();
    assert.equal((answer.unit as unknown as { code: string }).code, 'HD');
    // The demo's citizen reports were sent and handled on the day it was loaded: this month.
    assert.ok(Number(answer.feedback.received) > 0 && Number(answer.feedback.resolved) > 0, 'the demo’s reports are this month’s');
    // The key projects have no period: the article's four are there this month too.
    await expectAttribute(page.getByTestId('dash-projects-projects'), 'data-value', '4');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-month.png'), fullPage: true, animations: 'disabled' });
  });

  test('given the year 2021 chosen, then the tiles show 2021: its breakthrough items and its directed tasks, overdue ones in red', async () => {
    await page.getByTestId('dos-period-year').click();
    await page.waitForURL(/period=year/);
    // The year picker: back to 2021 through the address, as a bookmark would.
    await page.goto('/dashboard?period=year&year=2021');
    await expectAttribute(page.getByTestId('dash-tiles'), 'data-from', '2021-01-01');
    const answer = await assertShownAsAnswered();
    assert.ok(Number(answer.breakthrough.items) > 0, 'the article’s breakthrough items of 2021');
    assert.ok(Number(answer.tasks.total) > 0, 'the directed tasks of 2021');
    assert.match((await page.getByTestId('dash-breakthrough').textContent()) ?? '', /2021/);
    if (Number(answer.tasks.inProgressOverdue) > 0) {
      assert.match((await page.getByTestId('dash-tasks-inProgressOverdue').getAttribute('class')) ?? '', /dash-alert/);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-2021.png'), fullPage: true, animations: 'disabled' });
  });

  test('given the tasks tile, when its overdue figure is clicked, then the task list opens filtered to the overdue tasks of the unit', async () => {
    const overdue = page.getByTestId('dash-tasks-inProgressOverdue');
    const count = Number(await overdue.getAttribute('data-value'));
    assert.ok(count > 0, 'the demo has overdue tasks (Nam Sách’s, from 2021)');
    await overdue.click();
    await page.waitForURL(/\/tasks\?/);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('timeliness'), 'in_progress_overdue');
    await page.getByTestId('task-list').locator('tbody tr.ant-table-row').first().waitFor();
    await page.goBack();
    await page.getByTestId('dash-tiles').waitFor();
  });

  test('given the screen, when exported, then an Excel file comes with the same figures', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-export').click()]);
    assert.match(download.suggestedFilename(), /^chi-so-dieu-hanh-HD-2021-01-01-2021-12-31\.xlsx$/);
    const bytes = fs.readFileSync((await download.path()) ?? '');
    assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
  });

  test('given Nam Sách’s leader, then the screen is Nam Sách’s without choosing it', async () => {
    const other = await signInPage(run.browser, run.server.url, 'namsach.lanhdao', { problems });
    try {
      page = other.page;
      await page.goto('/dashboard');
      await page.getByTestId('dash-tiles').waitFor();
      const answer = await assertShownAsAnswered();
      assert.equal((answer.unit as unknown as { code: string }).code, 'HD-NS');
      assert.match((await page.locator('.page-header').textContent()) ?? '', /Nam Sách/);
    } finally {
      await other.context.close();
    }
  });

  test('given the whole walk-through, then the browser saw no uncaught error and no console error', () => {
    assert.deepEqual(problems, []);
  });
});
