import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { businessDateOf } from '../../src/platform/calendar/businessTime.js';
import { createCalendar } from '../../src/platform/calendar/calendar.js';
import { formatIsoDate, parseIsoDate } from '../../src/platform/calendar/isoDate.js';
import { NO_CHROMIUM, SCREENSHOTS, serverAndBrowser, signInPage, typeDate, expectAttribute } from './harness.js';

/**
 * The dossiers module end to end in Chromium against the real server with the demo locality: the
 * province's administrator imports a small export of a one-stop system (one row with an unknown
 * procedure: the dry run reports it by its line), imports the valid rows, opens the province's
 * Decision 766 overview, follows a number to the dossiers behind it, opens a late dossier and
 * downloads its apology letter (.docx). Screenshots under test/e2e/screenshots/ (ignored by git).
 */

const TODAY = businessDateOf(new Date());
const day = (offset: number) => formatIsoDate(parseIsoDate(TODAY) + offset);
/** 'YYYY-MM-DD' [+ 'HH:mm'] as a one-stop export writes it: dd/mm/yyyy HH:mm (Vietnam time). */
const vn = (date: string, time?: string) => `${date.split('-').reverse().join('/')}${time ? ` ${time}` : ''}`;

const RUN = Date.now().toString(36).toUpperCase();
const LATE = `E2E-${RUN}-01`;
const ON_TIME = `E2E-${RUN}-02`;
const BAD = `E2E-${RUN}-03`;
const OPEN = `E2E-${RUN}-04`;
const UNKNOWN_PROCEDURE = '9.999999.000.00.00.H23';
/** Received 20 days ago, promised 5 days later: overdue now, whatever holidays lie between. */
const LATE_RECEIVED = day(-20);

const HEADER = ['Mã hồ sơ', 'Mã thủ tục', 'Đơn vị tiếp nhận', 'Kênh nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Trạng thái', 'Thời điểm trạng thái', 'Ngày có kết quả', 'Ngày trả kết quả', 'Phí, lệ phí', 'Thanh toán trực tuyến', 'Số hóa', 'Cán bộ xử lý'];
const HANDLER = 'Nguyễn Thị Xử Lý';
const ROWS = [
  // Cấp Giấy xác nhận tình trạng hôn nhân (3 working days) at Xã An Bình, still in process: late.
  [LATE, '1.004873.000.00.00.H23', 'HD-NS-ANBINH', 'Trực tiếp', vn(LATE_RECEIVED, '08:30'), vn(day(-15)), 'Đang xử lý', vn(LATE_RECEIVED, '10:30'), '', '', '15.000', 'Không', 'Có', HANDLER],
  // Đăng ký khai sinh, returned before its promised date: on time.
  [ON_TIME, '1.001193.000.00.00.H23', 'HD-NS-ANBINH', 'Trực tuyến', vn(day(-12), '08:00'), vn(day(-5)), 'Đã trả kết quả', vn(day(-6), '09:00'), vn(day(-7), '10:00'), vn(day(-6), '09:00'), '', '', 'Có', ''],
  // A procedure the catalogue does not have: the dry run reports line 4.
  [BAD, UNKNOWN_PROCEDURE, 'HD-NS-ANBINH', 'Trực tiếp', vn(day(-3), '14:00'), vn(day(2)), 'Đang xử lý', vn(day(-3), '15:00'), '', '', '', '', '', ''],
  [OPEN, '1.004873.000.00.00.H23', 'HD-NS-NAMHUNG', 'Trực tuyến', vn(day(-1), '09:00'), vn(day(10)), 'Được tiếp nhận', vn(day(-1), '09:00'), '', '', '15.000', 'Có', 'Có', ''],
];
const BAD_LINE = 4;
const CSV = `\uFEFF${[HEADER, ...ROWS].map((row) => row.map((cell) => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\r\n')}\r\n`;

describe('e2e: dossiers — import a file, the Decision 766 overview, a number’s dossiers, the apology letter', { skip: NO_CHROMIUM }, () => {
  const run = serverAndBrowser();
  let page: Page;
  /** Uncaught exceptions and console errors, but the 401 of /auth/me before anyone signs in. */
  const problems: string[] = [];

  /** The whole page in one picture (the window made as tall as the page, as feedback.test.ts does). */
  async function fullScreenshot(file: string) {
    const viewport = page.viewportSize()!;
    await page.evaluate(() => window.scrollTo(0, 0));
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
    await page.screenshot({ path: path.join(SCREENSHOTS, file), animations: 'disabled' });
    await page.setViewportSize(viewport);
  }

  /** The total a DataTable shows under it ("1–20 trên tổng số 31" → 31), once its rows are loaded. */
  async function tableTotal(testId: string): Promise<number> {
    const table = page.getByTestId(testId);
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await table.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    const text = (await table.locator('.ant-pagination-total-text').textContent()) ?? '';
    const match = /(\d[\d.]*)\s*$/.exec(text.trim());
    assert.ok(match, `a total in "${text}"`);
    return Number(match[1].replace(/\./g, ''));
  }

  before(async () => {
    ({ page } = await signInPage(run.browser, run.server.url, 'admin', { problems }));
  });

  test('given the province administrator, when a CSV export is uploaded, then its header is mapped to the dossier fields', async () => {
    await page.getByTestId('nav-dossiers').click();
    await page.getByTestId('dos-overview').waitFor();
    await page.getByTestId('dos-nav-imports').click();
    await page.waitForURL('**/dossiers/imports');
    await page.getByTestId('dos-import-new').click();
    await page.waitForURL('**/dossiers/imports/new');
    // The demo has one source: it is chosen already.
    await page.getByTestId('dos-import-source').getByText('MOTCUA_HD').waitFor();
    await page.getByTestId('dos-import-file').locator('input[type=file]').setInputFiles({ name: 'ho-so-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.getByTestId('dos-import-upload-submit').click();
    await page.waitForURL(/\/dossiers\/imports\/\d+$/);
    await page.getByTestId('dos-import-mapping').waitFor();

    // Every column of the file is recognised: the suggestion names it.
    for (const [field, column] of [['code', 1], ['procedureCode', 2], ['receivingUnitCode', 3], ['receivedAt', 5], ['status', 7]] as const) {
      const chosen = (await page.getByTestId(`dos-import-map-${field}`).textContent()) ?? '';
      assert.ok(chosen.includes(`Cột ${column}: ${HEADER[column - 1]}`), `${field}: ${chosen}`);
    }
    assert.equal(await page.getByTestId('dos-import-sample').locator('tbody tr.ant-table-row').count(), ROWS.length);
    await fullScreenshot('dossiers-import-mapping.png');
  });

  test('given the mapping, when the dry run ends, then it reports the row with the unknown procedure by its line and writes nothing', async () => {
    await page.getByTestId('dos-import-check').click();
    await page.getByTestId('dos-import-report').waitFor({ timeout: 60_000 });
    await expectAttribute(page.getByTestId('dos-import-rows'), 'data-value', String(ROWS.length));
    await expectAttribute(page.getByTestId('dos-import-ok'), 'data-value', String(ROWS.length - 1));
    await expectAttribute(page.getByTestId('dos-import-bad'), 'data-value', '1');

    const problemsTable = page.getByTestId('dos-import-problems');
    await problemsTable.getByTestId('dos-problem-line').first().waitFor();
    assert.deepEqual(await problemsTable.getByTestId('dos-problem-line').allTextContents(), [String(BAD_LINE)]);
    const reason = (await problemsTable.getByTestId('dos-problem-message').first().textContent()) ?? '';
    assert.ok(reason.includes(UNKNOWN_PROCEDURE), `the reason names the code: ${reason}`);

    // Nothing is written by a dry run.
    const listed = await page.request.get(`/api/v1/dossiers?q=E2E-${RUN}`);
    assert.equal(listed.status(), 200);
    assert.equal(((await listed.json()) as { total: number }).total, 0);

    // The bad rows export to Excel.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dos-import-problems-export').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    await fullScreenshot('dossiers-import-dry-run.png');
  });

  test('given the report, when the valid rows are imported, then three are created and the bad one is rejected', async () => {
    await page.getByTestId('dos-import-skip').click();
    await page.getByTestId('dos-import-run').click();
    await page.getByTestId('dos-import-result').waitFor({ timeout: 60_000 });
    for (const [figure, value] of [['created', 3], ['updated', 0], ['unchanged', 0], ['rejected', 1]] as const) {
      await expectAttribute(page.getByTestId(`dos-import-${figure}`), 'data-value', String(value), figure);
    }
    await fullScreenshot('dossiers-import-result.png');

    await page.getByTestId('dos-nav-imports').click();
    await page.getByTestId('dos-imports').locator('[data-state="imported"]').first().waitFor();
  });

  test('given the import, when the province’s overview for the year is opened and a number followed, then the list holds as many dossiers, the late one among them', async () => {
    await page.getByTestId('dos-nav-overview').click();
    await page.waitForURL('**/dossiers');
    await page.getByTestId('dos-period-year').click();
    const year = LATE_RECEIVED.slice(0, 4);
    // In the first days of January the late dossier was received last year: look at that year.
    if (year !== TODAY.slice(0, 4)) await page.goto(`/dossiers?period=year&year=${year}`);
    await page.waitForURL(new RegExp(`period=year&year=${year}`));
    await page.getByTestId('dos-total').waitFor();
    await page.getByTestId('dos-trend').waitFor();
    // The subtitle names the unit once the org-unit tree has loaded, which may be after the figures.
    await page.locator('.page-header', { hasText: new RegExp(`Tỉnh Hải Dương · Năm ${year}`) }).waitFor();
    // Feedback on procedures has no source: 5.1 is "no data", never zero or full marks.
    await expectAttribute(page.getByTestId('dos-points-5.1'), 'data-status', 'no_data');
    await fullScreenshot('dossiers-overview.png');

    // A count of procedures (3.1) lists the procedures of the catalogue it counts.
    const inForce = page.getByTestId('dos-count-3.1-proceduresInForce');
    const procedures = Number(await inForce.getAttribute('data-value'));
    assert.ok(procedures >= 1, `procedures in force: ${procedures}`);
    await inForce.click();
    await page.waitForURL(/\/dossiers\/procedures\?.*scorecardCount=proceduresInForce/);
    await page.getByTestId('dos-procedures-drilldown').waitFor();
    assert.equal(await tableTotal('dos-procedures'), procedures, 'the catalogue lists the procedures the number counts');
    await page.goBack();
    await page.getByTestId('dos-total').waitFor();

    const overdue = page.getByTestId('dos-tl-in_process_overdue');
    const shown = Number(await overdue.getAttribute('data-value'));
    assert.ok(shown >= 1, `overdue dossiers: ${shown}`);
    await overdue.click();
    await page.waitForURL(/\/dossiers\/list\?.*timeliness=in_process_overdue/);
    await page.getByTestId('dos-list-drilldown').waitFor();
    assert.equal(await tableTotal('dos-list-all'), shown, 'the list holds the dossiers the number counts');

    await page.getByTestId('dos-list-all-search').locator('input').fill(LATE);
    await page.getByTestId('dos-list-all-search').locator('input').press('Enter');
    await page.getByTestId('dos-list-all').locator('.ant-pagination-total-text', { hasText: /tổng số 1$/ }).waitFor();
    await page.getByTestId(`dos-row-${LATE}`).waitFor();
    assert.equal(await tableTotal('dos-list-all'), 1);
    await fullScreenshot('dossiers-drill-down.png');
    await page.getByTestId(`dos-row-${LATE}`).click();
    await page.waitForURL(/\/dossiers\/\d+(\?.*)?$/);
  });

  test('given the late dossier, then its detail shows its timeline, its deadline and its timeliness now and as of a past date', async () => {
    const detail = page.getByTestId('dos-detail');
    await detail.waitFor();
    assert.equal(await page.getByTestId('dos-detail-code').textContent(), LATE);
    await expectAttribute(detail, 'data-timeliness', 'in_process_overdue');
    await expectAttribute(page.getByTestId('dos-now-tag'), 'data-timeliness', 'in_process_overdue');
    assert.ok(((await page.getByTestId('dos-deadline').textContent()) ?? '').includes(vn(day(-15))), 'the promised date is the deadline');
    const statuses = await page.getByTestId('dos-timeline-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));
    assert.equal(statuses.at(-1), 'in_process', `timeline: ${statuses.join(', ')}`);

    // The day after its receipt it was within its deadline.
    await typeDate(page.getByTestId('dos-asof'), day(-19));
    await page.waitForURL(new RegExp(`asOf=${day(-19)}`));
    await page.getByTestId('dos-asof-result-tag').waitFor();
    await expectAttribute(page.getByTestId('dos-asof-result-tag'), 'data-timeliness', 'in_process_within');
    await fullScreenshot('dossiers-detail.png');
  });

  test('given the late dossier, when the apology letter is filled in, then a .docx is downloaded', async () => {
    const newReturnDate = createCalendar([]).addWorkingDays(TODAY, 3);
    await page.getByTestId('dos-letter-open').click();
    const form = page.getByTestId('dos-letter-form');
    await form.waitFor();
    await typeDate(page.getByTestId('dos-letter-date'), newReturnDate);
    await page.getByTestId('dos-letter-reason').fill('Hồ sơ cần xác minh thêm thông tin hộ tịch tại nơi cư trú trước đây của công dân.');
    await page.getByTestId('dos-letter-signer').fill('Nguyễn Văn An');
    await page.getByTestId('dos-letter-number').fill('12/PXL-UBND');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dossiers-apology-letter.png'), animations: 'disabled' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dos-letter-submit').click()]);
    assert.match(download.suggestedFilename(), /^phieu-xin-loi-.+\.docx$/);
    const bytes = fs.readFileSync((await download.path())!);
    // A .docx is a zip (PK\x03\x04) whose parts include [Content_Types].xml and word/document.xml.
    assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
    const names = bytes.toString('latin1');
    assert.ok(names.includes('[Content_Types].xml') && names.includes('word/document.xml'), 'the parts of a Word document');
    await form.waitFor({ state: 'detached' });
  });

  test('given the late dossier, then the overdue list shows it with its handler', async () => {
    await page.goto('/dossiers/overdue');
    const search = page.getByTestId('dos-list-overdue-search').locator('input');
    await search.fill(LATE);
    await search.press('Enter');
    const row = page.getByTestId(`dos-row-${LATE}`).locator('xpath=ancestor::tr');
    await row.waitFor();
    assert.equal(await row.getByTestId('dos-handler').textContent(), HANDLER);
    assert.equal(await tableTotal('dos-list-overdue'), 1);
  });

  test('given the import, when the ranking of the province’s units is opened, then Nam Sách is ranked and opens its own overview', async () => {
    const year = LATE_RECEIVED.slice(0, 4);
    await page.goto(`/dossiers/ranking?period=year&year=${year}`);
    const namSach = page.getByTestId('dos-ranking-unit-HD-NS');
    await namSach.waitFor();
    const rows = await page.getByTestId('dos-ranking-table').locator('tbody tr.ant-table-row').count();
    assert.ok(rows >= 2, `ranked units: ${rows}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dos-ranking-export').click()]);
    assert.deepEqual([...fs.readFileSync((await download.path())!).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'an .xlsx (a zip)');
    await namSach.click();
    await page.waitForURL(/\/dossiers\?.*unitId=\d+/);
    await page.locator('.page-header', { hasText: /Nam Sách/ }).waitFor();
    await page.getByTestId('dos-total').waitFor();
  });

  test('given the whole scenario, then the browser saw no uncaught error and no console error', () => {
    assert.deepEqual(problems, []);
  });
});
