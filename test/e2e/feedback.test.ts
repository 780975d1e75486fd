import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { type APIRequestContext, type BrowserContext, type Page, request } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_PASSWORD } from '../../demo/load.js';
import { NO_CHROMIUM, SCREENSHOTS, closeList, serverAndBrowser, signInPage, watchPage } from './harness.js';

/**
 * The scenario, end to end in Chromium against the real server and the built web app:
 * a citizen on a phone-sized screen submits a report with a photo; an operator verifies and
 * assigns it; the commune officer resolves it with an answer; the citizen rates it; the public
 * page shows the whole timeline; the same report is read back through Open311 as closed.
 * The screenshots are kept under test/e2e/screenshots/ (ignored by git).
 */

const CATEGORY = {
  code: 'den-duong-e2e',
  name: 'Đèn đường hỏng (E2E)',
  description: 'Đèn chiếu sáng công cộng không sáng, chập chờn hoặc gãy cột.',
  unitKind: 'commune',
  deadlineDays: 3,
};
/** Near Xã An Bình (Nam Sách); with no boundaries loaded, routing takes the nearest commune centre. */
const PLACE = { latitude: 21.0, longitude: 106.35 };
const COMMUNE = 'Xã An Bình';
const DESCRIPTION = 'Đèn đường trước nhà văn hóa thôn Bình Lao hỏng từ tuần trước, buổi tối rất tối, trẻ em đi học về nguy hiểm.';
const PHONE_NUMBER = '0912 345 678';
/** The reporter's phone number however it might be written back (0912 345 678, 0912345678, +84 912…). */
const PHONE_SHAPES = /912[\s.-]?345[\s.-]?678/;
const ANSWER = 'UBND xã An Bình đã thay bóng đèn LED mới và kiểm tra lại đường dây; đèn đã sáng bình thường.';
const RATING_COMMENT = 'Cảm ơn xã đã xử lý nhanh.';
/** Every public step, in the order the scenario takes them. */
const PUBLIC_STEPS = ['submit', 'verify', 'assign', 'resolve', 'rate', 'close'];

interface PublicReport {
  code: string;
  status: string;
  unitName: string | null;
  answer: string | null;
  rating: string | null;
  closedAt: string | null;
  photos: { url: string; kind: 'report' | 'answer' }[];
  timeline: { action: string; to: string }[];
}

interface StaffReport {
  id: number;
  code: string;
  status: string;
  photos: { id: number; url: string; kind: 'report' | 'answer'; verified: boolean }[];
}

/** A phone photo: a real JPEG whose EXIF carries the GPS position (IFD3), as a phone camera writes it. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 40, g: 60, b: 90 } } })
    .composite([
      {
        input: await sharp({ create: { width: 200, height: 200, channels: 3, background: { r: 250, g: 220, b: 80 } } }).png().toBuffer(),
        top: 120,
        left: 300,
      },
    ])
    .withExif({
      IFD0: { Make: 'E2E', Model: 'Điện thoại thử nghiệm' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '106/1 21/1 0/1' },
    })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Whether an EXIF block (as sharp returns it) has a GPS IFD: tag 0x8825 in IFD0. */
function hasGps(exif: Buffer): boolean {
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const ifd0 = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  for (let i = 0; i < u16(ifd0); i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

describe('e2e: a citizen report from a phone to its answer, its rating and Open311', { skip: NO_CHROMIUM }, () => {
  const run = serverAndBrowser();
  let phoneContext: BrowserContext;
  let phone: Page;
  let operator: Page;
  let officer: Page;
  let photo: Buffer;
  let code: string;
  let reportId: number;
  /** Uncaught exceptions and console errors on every page, but the 401 of /auth/me before anyone signs in. */
  const problems: string[] = [];

  /** A desktop browser of its own, signed in as a demo user. */
  const desktop = async (username: string) => (await signInPage(run.browser, run.server.url, username, { problems })).page;

  /** Every image on the page decoded (the photo previews and thumbnails), before a screenshot. */
  const imagesLoaded = (page: Page) =>
    page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));

  /**
   * The whole page in one picture. A `fullPage` screenshot of the staff layout draws its fixed
   * sidebar and sticky header where the page happened to be scrolled, across the content: make the
   * window as tall as the page instead, then put it back.
   */
  async function fullScreenshot(page: Page, file: string) {
    const viewport = page.viewportSize()!;
    await page.evaluate(() => window.scrollTo(0, 0));
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
    await page.screenshot({ path: path.join(SCREENSHOTS, file), animations: 'disabled' });
    await page.setViewportSize(viewport);
  }

  /** The data-action of every timeline item on the page, top to bottom. */
  const timelineOf = (page: Page) =>
    page.getByTestId('fb-timeline-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-action')));
  const timelineItem = (page: Page, action: string) => page.locator(`[data-testid="fb-timeline-item"][data-action="${action}"]`);

  /** A report's public view, as anyone on the Internet reads it. */
  async function publicReport(api: APIRequestContext): Promise<PublicReport> {
    const res = await api.get(`/api/v1/public/feedback/${code}`);
    assert.equal(res.status(), 200, await res.text());
    return (await res.json()) as PublicReport;
  }

  before(async () => {
    photo = await phonePhoto();

    // The demo has no feedback categories: the administrator creates one through the staff API.
    const admin = await request.newContext({ baseURL: run.server.url });
    try {
      const login = await admin.post('/api/v1/auth/login', { data: { username: 'admin', password: DEMO_PASSWORD } });
      assert.equal(login.status(), 200, await login.text());
      const { csrfToken } = (await (await admin.get('/api/v1/auth/me')).json()) as { csrfToken: string };
      const created = await admin.post('/api/v1/feedback/categories', { data: CATEGORY, headers: { 'x-csrf-token': csrfToken } });
      assert.equal(created.status(), 201, await created.text());
    } finally {
      await admin.dispose();
    }

    phoneContext = await run.browser.newContext({
      baseURL: run.server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
      geolocation: PLACE,
    });
    await phoneContext.grantPermissions(['geolocation']);
    phoneContext.setDefaultTimeout(15_000);
    phone = await phoneContext.newPage();
    watchPage(phone, problems, 'citizen');
  });

  test('given the sanity of the photo, then it is a JPEG with GPS in its EXIF', async () => {
    const meta = await sharp(photo).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.ok(meta.exif && hasGps(meta.exif), 'the test photo carries a GPS position');
  });

  test('given a phone, when the citizen reports with the category, their location, a description and a photo, then a tracking code is shown', async () => {
    await phone.goto('/phan-anh', { waitUntil: 'networkidle' });
    await phone.getByTestId('fb-form').waitFor();
    // The form fits the phone: nothing wider than the screen.
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling on a phone');

    await phone.getByTestId('fb-form-category').tap();
    const option = phone.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: CATEGORY.name });
    await option.tap();
    await phone.getByTestId('fb-form-category').getByText(CATEGORY.name).waitFor();
    await closeList(option);

    await phone.getByTestId('fb-form-locate').tap();
    const point = phone.getByTestId('fb-form-point');
    await point.waitFor();
    assert.match((await point.textContent()) ?? '', /^21\.00000, 106\.35000/);

    await phone.getByTestId('fb-form-description').fill(DESCRIPTION);
    await phone.getByTestId('fb-form-photos-input').setInputFiles({ name: 'den-duong.jpg', mimeType: 'image/jpeg', buffer: photo });
    await phone.getByTestId('fb-form-photos-preview').waitFor();
    await phone.getByTestId('fb-form-phone').fill(PHONE_NUMBER);
    await imagesLoaded(phone);
    await phone.screenshot({ path: path.join(SCREENSHOTS, 'feedback-phone-form.png'), fullPage: true, animations: 'disabled' });

    const submitted = phone.waitForResponse((res) => res.url().endsWith('/api/v1/public/feedback') && res.request().method() === 'POST');
    await phone.getByTestId('fb-form-submit').tap();
    assert.equal((await submitted).status(), 201);
    const shownCode = phone.getByTestId('fb-tracking-code');
    await shownCode.waitFor();
    code = ((await shownCode.textContent()) ?? '').trim();
    assert.match(code, /^PA[2-9A-HJ-NP-Z]{8}$/);
    assert.ok(((await phone.getByTestId('fb-tracking-token').textContent()) ?? '').length >= 20, 'the reporter secret is shown once');

    const report = await publicReport(phone.request);
    assert.equal(report.status, 'received');
    assert.deepEqual(report.timeline.map((e) => e.action), ['submit']);
    assert.deepEqual(report.photos, [], 'an unverified photo is not public');
    assert.equal(PHONE_SHAPES.test(JSON.stringify(report)), false, 'the phone number is never public');
  });

  test('given the new report, when the operator verifies it with the suggested commune, then it is assigned to that commune', async () => {
    operator = await desktop('dieuhanh');
    await operator.getByTestId('nav-feedback').click();
    await operator.waitForURL('**/feedback/queue');
    const row = operator.getByTestId(`fb-row-${code}`);
    await row.click();
    await operator.waitForURL(/\/feedback\/reports\/\d+$/);
    reportId = Number(new URL(operator.url()).pathname.split('/').pop());
    await operator.getByTestId('fb-detail').waitFor();
    assert.equal(await operator.getByTestId('fb-detail-description').textContent(), DESCRIPTION);

    await operator.getByTestId('fb-action-verify').click();
    const suggestion = operator.getByTestId('fb-verify-suggestion');
    await suggestion.waitFor();
    assert.match((await suggestion.textContent()) ?? '', new RegExp(COMMUNE));
    // The suggestion is already the chosen unit: the operator accepts it as it is.
    await operator.getByTestId('fb-verify-unit').locator(`[title="${COMMUNE}"]`).first().waitFor();
    await operator.getByTestId('fb-verify-submit').click();
    await operator.getByTestId('fb-verify-form').waitFor({ state: 'detached' });
    await timelineItem(operator, 'assign').waitFor();
    assert.deepEqual(await timelineOf(operator), ['submit', 'verify', 'assign']);
    assert.equal(await operator.getByTestId('fb-detail-unit').textContent(), COMMUNE);
    assert.equal(await operator.getByTestId('fb-action-verify').count(), 0);

    // The citizen's photo is fine to show: the operator makes it public.
    const photoSwitch = operator.locator('[data-testid^="fb-photo-verify-"]');
    assert.equal(await photoSwitch.count(), 1);
    await photoSwitch.click();
    await operator.locator('[data-testid^="fb-photo-verify-"][aria-checked="true"]').waitFor();

    await imagesLoaded(operator);
    await fullScreenshot(operator, 'feedback-operator-detail.png');
  });

  test('given the stored photo, when it is read back by staff and by the public, then it is an image without EXIF', async () => {
    const staff = await operator.request.get(`/api/v1/feedback/reports/${reportId}`);
    assert.equal(staff.status(), 200);
    const report = (await staff.json()) as StaffReport;
    assert.equal(report.photos.length, 1);
    assert.equal(report.photos[0].verified, true);

    const published = (await publicReport(phone.request)).photos.filter((p) => p.kind === 'report');
    assert.equal(published.length, 1, 'the verified photo is public');
    for (const [who, api, url] of [
      ['staff', operator.request, report.photos[0].url],
      ['public', phone.request, published[0].url],
    ] as const) {
      const res = await api.get(url);
      assert.equal(res.status(), 200, `${who} ${url}`);
      assert.match(res.headers()['content-type'] ?? '', /^image\//);
      const meta = await sharp(await res.body()).metadata();
      assert.ok(meta.width && meta.width > 0, `${who}: a decodable image`);
      assert.equal(meta.exif, undefined, `${who}: no EXIF (so no GPS) in the served photo`);
    }
  });

  test('given the assignment, when the An Bình officer resolves it with an answer, then it is resolved', async () => {
    officer = await desktop('anbinh.canbo');
    await officer.getByTestId('nav-feedback').click();
    await officer.waitForURL('**/feedback/queue');
    await officer.getByTestId('fb-nav-unit').click();
    await officer.waitForURL('**/feedback/unit');
    await officer.getByTestId(`fb-row-${code}`).click();
    await officer.waitForURL(`**/feedback/reports/${reportId}`);

    await officer.getByTestId('fb-action-resolve').click();
    await officer.getByTestId('fb-resolve-form').waitFor();
    await officer.getByTestId('fb-resolve-answer').fill(ANSWER);
    const fixed = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 250, g: 240, b: 200 } } }).jpeg().toBuffer();
    await officer.getByTestId('fb-resolve-photos-input').setInputFiles({ name: 'da-sua.jpg', mimeType: 'image/jpeg', buffer: fixed });
    await officer.getByTestId('fb-resolve-photos-preview').waitFor();
    await officer.getByTestId('fb-resolve-submit').click();
    await officer.getByTestId('fb-resolve-form').waitFor({ state: 'detached' });
    await timelineItem(officer, 'resolve').waitFor();
    assert.equal(await officer.getByTestId('fb-detail-answer').textContent(), ANSWER);
    assert.deepEqual(await timelineOf(officer), ['submit', 'verify', 'assign', 'resolve']);
  });

  test('given the answer, when the citizen rates it satisfied on the phone, then the public page shows the whole timeline', async () => {
    // Still on the confirmation of the submission: the citizen follows the link.
    await phone.getByTestId('fb-tracking-link').tap();
    await phone.waitForURL(`**/phan-anh/${code}`);
    await phone.getByTestId('fb-track-answer').waitFor();
    assert.match((await phone.getByTestId('fb-track-answer').textContent()) ?? '', new RegExp(ANSWER.slice(0, 40)));
    assert.equal(await phone.getByTestId('fb-track-unit').textContent(), COMMUNE);

    await phone.getByTestId('fb-rate-satisfied').tap();
    await phone.locator('.ant-radio-button-wrapper-checked', { has: phone.getByTestId('fb-rate-satisfied') }).waitFor();
    await phone.getByTestId('fb-rate-comment').fill(RATING_COMMENT);
    await phone.getByTestId('fb-rate-submit').tap();
    await phone.getByTestId('fb-track-rating').waitFor();
    await timelineItem(phone, 'close').waitFor();
    await phone.getByTestId('fb-rate').waitFor({ state: 'detached' });

    // What the server keeps, read afresh: every step in order, on the page and in the API.
    await phone.reload({ waitUntil: 'networkidle' });
    await phone.getByTestId('fb-track').waitFor();
    assert.deepEqual(await timelineOf(phone), PUBLIC_STEPS);
    assert.match((await phone.getByTestId('fb-track-rating').textContent()) ?? '', /Hài lòng/);
    assert.equal(await phone.getByTestId('fb-rate').count(), 0, 'no second rating');
    assert.equal(await phone.getByTestId('fb-reopen').count(), 0, 'a satisfied reporter is not offered a reopening');
    // Both photos shown and loaded: the citizen's (verified) and the answer's.
    const images = phone.locator('[data-testid="fb-track"] img[src*="/api/v1/public/feedback/photos/"]');
    await phone.waitForFunction(
      () => {
        const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid="fb-track"] img[src*="/api/v1/public/feedback/photos/"]')];
        return imgs.length === 2 && imgs.every((img) => img.complete && img.naturalWidth > 0);
      },
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(await images.count(), 2);

    const report = await publicReport(phone.request);
    assert.equal(report.status, 'closed');
    assert.ok(report.closedAt);
    assert.equal(report.rating, 'satisfied');
    assert.equal(report.answer, ANSWER);
    assert.equal(report.unitName, COMMUNE);
    assert.deepEqual(report.timeline.map((e) => e.action), PUBLIC_STEPS);
    assert.deepEqual(report.timeline.map((e) => e.to), ['received', 'verified', 'assigned', 'resolved', 'resolved', 'closed']);

    await phone.screenshot({ path: path.join(SCREENSHOTS, 'feedback-phone-tracking.png'), fullPage: true, animations: 'disabled' });
  });

  test('given the closed report, when it is read through Open311 GeoReport v2, then it is closed there too', async () => {
    const published = (await publicReport(phone.request)).photos.find((p) => p.kind === 'report');
    assert.ok(published);

    const json = await phone.request.get(`/open311/v2/requests/${code}.json`);
    const text = await json.text();
    assert.equal(json.status(), 200, text);
    assert.match(json.headers()['content-type'] ?? '', /^application\/json/);
    const requests = JSON.parse(text) as Record<string, unknown>[];
    assert.ok(Array.isArray(requests) && requests.length === 1, text);
    const [one] = requests;
    assert.equal(one.service_request_id, code);
    assert.equal(one.status, 'closed');
    assert.equal(one.service_code, CATEGORY.code);
    assert.equal(one.service_name, CATEGORY.name);
    assert.equal(one.description, DESCRIPTION);
    assert.equal(one.agency_responsible, COMMUNE);
    assert.match(String(one.status_notes), /^Đã đóng/);
    assert.ok(String(one.status_notes).includes(ANSWER), `status_notes: ${one.status_notes}`);
    assert.equal(one.lat, PLACE.latitude);
    assert.equal(one.long, PLACE.longitude);
    assert.equal(one.media_url, `${run.server.url}${published.url}`, 'the verified photo, by its public address');
    const w3c = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
    for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) {
      assert.match(String(one[field]), w3c, `${field}: ${one[field]}`);
    }
    assert.ok(Date.parse(String(one.updated_datetime)) >= Date.parse(String(one.requested_datetime)));
    assert.equal(PHONE_SHAPES.test(JSON.stringify(one)), false, 'no phone number through Open311');

    // The same in the mandatory XML form.
    const xml = await phone.request.get(`/open311/v2/requests/${code}.xml`);
    const body = await xml.text();
    assert.equal(xml.status(), 200, body);
    assert.match(xml.headers()['content-type'] ?? '', /^text\/xml/);
    assert.ok(body.includes(`<service_request_id>${code}</service_request_id>`), body);
    assert.ok(body.includes('<status>closed</status>'), body);
  });

  test('given the whole scenario, then the browser saw no uncaught error and no console error', () => {
    assert.deepEqual(problems, []);
  });
});
