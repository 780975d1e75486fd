import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DEMO_PASSWORD, loadDemo } from '../../demo/load.js';
import { businessDateOf } from '../../src/platform/calendar/businessTime.js';
import { type TestApp, buildTestApp, signIn } from '../helpers/app.js';

/**
 * The demo's breakthrough tasks, loaded through the services as `npm start` loads them: the
 * article's 2021 lists approved, issued, reported on and reviewed; the current year in every state.
 * On PGlite, the engine of the default start (the demo's SQL is the services' own).
 */

describe('the demo breakthrough tasks', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp('pglite');
    assert.equal(await loadDemo(t.db, t.testDb.database.pool), true);
  });
  after(() => t.close());

  test('2021: the six units of the article, approved by the province, their tasks followed and reviewed', async () => {
    const province = await signIn(t.app, 'lanhdao', DEMO_PASSWORD);
    const res = await province.get('/api/v1/breakthrough/overview?year=2021');
    assert.equal(res.statusCode, 200, res.body);
    const o = res.json();
    const byUnit = new Map<string, { title: string; targetValue: number | null; targetUnit: string | null; task: { code: string; progress: number } | null; review: { result: string } | null }[]>();
    for (const r of o.rows) byUnit.set(r.unit.code, [...(byUnit.get(r.unit.code) ?? []), r.item]);
    assert.deepEqual([...byUnit.keys()].sort(), ['HD-BG', 'HD-CG', 'HD-CL', 'HD-NS', 'HD-TK', 'HD-TPHD']);
    assert.equal(o.totals.approved, o.totals.items, 'every 2021 list was approved');
    assert.equal(o.rows.filter((r: { item: { review: unknown } }) => r.item.review === null).length, 0, 'and reviewed at the year’s end');

    const roads = byUnit.get('HD-NS')?.[0];
    assert.ok(roads);
    assert.match(roads.title, /6 đoạn tuyến đường trục Đông - Tây/);
    assert.deepEqual([roads.targetValue, roads.targetUnit], [9, 'km']);
    assert.deepEqual(
      byUnit.get('HD-NS')?.map((i) => [i.targetValue, i.targetUnit]),
      [
        [9, 'km'],
        [140, 'tỷ đồng'],
      ],
    );
    // The six segments, each given to the commune that invests in it, 50–80% done by December.
    const segments = await sql<{ percent: number; lead: string }>`
      SELECT c.progress AS percent, u.code AS lead FROM tasks p JOIN tasks c ON c.parent_id = p.id JOIN org_units u ON u.id = c.lead_unit_id
      WHERE p.code = ${roads.task?.code} ORDER BY c.id`.execute(t.db);
    assert.equal(segments.rows.length, 6);
    assert.ok(segments.rows.every((s) => s.lead.startsWith('HD-NS-') && s.percent >= 50 && s.percent <= 80));
    assert.ok(segments.rows.filter((s) => s.percent >= 70).length >= 2, 'some segments at 70–80% of the volume');
    assert.ok(roads.task && roads.task.progress > 50 && roads.task.progress < 80, `the roll-up by length: ${roads.task?.progress}`);

    const centre = byUnit.get('HD-CL')?.[0];
    assert.match(centre?.title ?? '', /chuyển đổi số/);
    const tuKy = byUnit.get('HD-TK') ?? [];
    assert.deepEqual(
      tuKy.map((i) => [i.targetValue, i.review?.result]),
      [
        [5, 'achieved'],
        [8, 'achieved'],
      ],
    );
    assert.match(byUnit.get('HD-CG')?.map((i) => i.title).join(' ') ?? '', /38B.*31 tỉnh Hưng Yên.*196 giai đoạn 1/);
    assert.match(byUnit.get('HD-BG')?.[0].title ?? '', /Phúc Điền mở rộng/);

    const docx = await province.get('/api/v1/breakthrough/overview.docx?year=2021');
    assert.equal(docx.statusCode, 200);
    assert.equal(docx.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
  });

  test('the current year shows every state: approved with tasks under way, submitted, returned with comments, a draft', async () => {
    const year = Number(businessDateOf(new Date()).slice(0, 4));
    const province = await signIn(t.app, 'lanhdao', DEMO_PASSWORD);
    const lists = (await province.get(`/api/v1/breakthrough/registrations?year=${year}`)).json().items as { unit: { code: string }; status: string; returnComments: string | null }[];
    const status = Object.fromEntries(lists.map((l) => [l.unit.code, l.status]));
    assert.deepEqual(status, { 'HD-BG': 'submitted', 'HD-CG': 'returned', 'HD-CL': 'approved', 'HD-NS': 'approved', 'HD-TK': 'approved', 'HD-TPHD': 'draft' });
    assert.ok(lists.find((l) => l.unit.code === 'HD-CG')?.returnComments);
    const waiting = (await province.get('/api/v1/breakthrough/registrations?toReview=true')).json().items;
    assert.deepEqual(
      waiting.map((l: { unit: { code: string } }) => l.unit.code),
      ['HD-BG'],
    );
    // A district leader of the demo opens their own list; another district's is not theirs to see.
    const tuKy = await signIn(t.app, 'tuky.lanhdao', DEMO_PASSWORD);
    assert.deepEqual(
      (await tuKy.get(`/api/v1/breakthrough/registrations?year=${year}`)).json().items.map((l: { unit: { code: string } }) => l.unit.code),
      ['HD-TK'],
    );
  });
});
