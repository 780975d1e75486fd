import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, loadDemo } from '../../demo/load.js';
import { type TestApp, buildTestApp, signIn } from '../helpers/app.js';

/**
 * The demo key projects, as the province's leader sees them after a first start: the four projects
 * of the seed article, Nam Sách's East–West axis with the article's figures, and its obstacles as tasks.
 */
describe('the demo key projects', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp('pglite');
    assert.equal(await loadDemo(t.db, t.testDb.database.pool), true);
  });
  after(() => t?.close());

  test("the province view holds the article's four projects; the East–West axis has its six segments, 9.2 km and 140 billion đồng", async () => {
    const leader = await signIn(t.app, 'lanhdao', DEMO_PASSWORD);
    const res = await leader.get('/api/v1/projects/overview');
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as { id: number; code: string; managingUnit: { code: string }; totalCapital: number; figures: Record<string, number> }[];
    assert.deepEqual(items.map((p) => [p.code, p.managingUnit.code]), [
      ['BG-KCN-PHUCDIEN-MR', 'HD-BG'],
      ['BG-NOI-QL38B-DT31', 'HD-BG'],
      ['CG-DT196-GD1', 'HD-CG'],
      ['NS-TRUC-DONG-TAY', 'HD-NS'],
    ]);
    const axis = items.find((p) => p.code === 'NS-TRUC-DONG-TAY');
    assert.ok(axis);
    // (1.8×80 + 1.5×75 + 1.6×70 + 1.4×60 + 1.3×55 + 1.6×50) / 9.2 = 604 / 9.2
    assert.deepEqual([axis.totalCapital, axis.figures.segmentsLengthKm, axis.figures.physicalProgress], [140e9, 9.2, 65.65]);
    // Raised on 16/12/2021 with deadlines in January 2022, never closed: overdue today.
    assert.deepEqual([axis.figures.obstaclesOpen, axis.figures.obstaclesOverdue], [2, 2]);

    const detail = (await leader.get(`/api/v1/projects/${axis.id}`)).json();
    assert.equal(detail.segments.length, 6);
    assert.equal(detail.segments.filter((s: { progress: number }) => s.progress >= 70 && s.progress <= 80).length, 3, 'some segments at 70–80%');
    assert.ok(detail.segments.every((s: { investor: string }) => s.investor.startsWith('UBND xã')), 'the communes invest');
    assert.deepEqual(
      detail.obstacles.map((o: { task: { code: string; status: string } | null }) => [o.task?.code.startsWith('NV-2021-'), o.task?.status]),
      [
        [true, 'in_progress'],
        [true, 'in_progress'],
      ],
    );
  });
});
