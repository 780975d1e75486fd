// The operations-centre screen's figures, on the demo data: each area equals what its module's own
// endpoint answers for the same unit and period (the screen never counts a second way), the unit
// and the period are checked as the modules check them, and the sheet holds the same figures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_REPORTS } from '../../demo/feedback.js';
import { DEMO_PASSWORD, loadDemo } from '../../demo/load.js';
import { type TestApp, buildTestApp, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { readXlsx } from '../helpers/xlsx.js';

type Json = Record<string, unknown>;
type Agent = Awaited<ReturnType<typeof signIn>>;
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

async function getJson(agent: Agent, url: string): Promise<Json> {
  const res = await agent.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return res.json();
}

/** What the screen should say, read from each module's own endpoint for the same unit and period. */
async function fromTheModules(agent: Agent, unitId: number, periodQuery: string, from: string, to: string, year: number) {
  const [stats, scorecard, tasks, breakthrough, projects] = await Promise.all([
    getJson(agent, `/api/v1/feedback/statistics?unitId=${unitId}&from=${from}&to=${to}`),
    getJson(agent, `/api/v1/dossiers/scorecard?unitId=${unitId}&${periodQuery}`),
    getJson(agent, `/api/v1/tasks/scorecard?unitId=${unitId}&from=${from}&to=${to}`),
    getJson(agent, `/api/v1/breakthrough/overview?unitId=${unitId}&year=${year}`),
    getJson(agent, `/api/v1/projects/overview?unitId=${unitId}`),
  ]);
  const rows = stats.items as Record<string, number>[];
  const sum = (field: string) => rows.reduce((s, r) => s + r[field], 0);
  const feedback = {
    received: sum('received'),
    resolved: sum('resolved'),
    resolvedOnTime: sum('resolvedOnTime'),
    resolvedLate: sum('resolvedLate'),
    overdueOpen: sum('overdueOpen'),
    rated: sum('rated'),
    satisfied: sum('satisfied'),
  };
  const measures = (scorecard.groups as { measures: { id: string; rate: number | null; counts: { name: string; value: number | null }[] }[] }[]).flatMap((g) => g.measures);
  const count = (name: string) => measures.flatMap((m) => m.counts).find((c) => c.name === name)?.value ?? 0;
  const timeliness = Object.fromEntries((scorecard.timeliness as { name: string; value: number }[]).map((c) => [c.name, c.value]));
  const onTime = measures.find((m) => m.counts[0]?.name === 'dossiersHandledOnTime');
  assert.ok(onTime, 'the scorecard has the on-time measure');
  const taskTotal = tasks.total as Record<string, number>;
  const p = projects.totals as Record<string, number>;
  return {
    feedback: { ...feedback, onTimeRate: pct(feedback.resolvedOnTime, feedback.resolved), satisfactionRate: pct(feedback.satisfied, feedback.rated) },
    dossiers: {
      outOf100: scorecard.outOf100,
      complete: scorecard.complete,
      received: count('dossiersReceived'),
      handled: count('dossiersHandled'),
      completedOnTime: timeliness.completed_on_time,
      completedLate: timeliness.completed_late,
      inProcessWithin: timeliness.in_process_within,
      inProcessOverdue: timeliness.in_process_overdue,
      onTimeRate: onTime.rate === null ? null : oneDecimal(onTime.rate * 100),
    },
    tasks: {
      total: taskTotal.total,
      completedOnTime: taskTotal.completedOnTime,
      completedLate: taskTotal.completedLate,
      inProgressWithin: taskTotal.inProgressWithin,
      inProgressOverdue: taskTotal.inProgressOverdue,
      onTimeRate: oneDecimal(taskTotal.onTimeRate),
    },
    breakthrough: { year, ...(breakthrough.totals as Json) },
    projects: {
      projects: p.projects,
      totalCapital: p.totalCapital,
      disbursed: p.disbursed,
      disbursementRate: oneDecimal(p.disbursementRate),
      physicalProgress: oneDecimal(p.physicalProgress),
      clearanceRate: oneDecimal(p.clearanceRate),
      obstaclesOpen: p.obstaclesOpen,
      obstaclesOverdue: p.obstaclesOverdue,
    },
  };
}

const AREAS = ['feedback', 'dossiers', 'tasks', 'breakthrough', 'projects'] as const;

for (const kind of await testBackends()) {
  describe(`the operations-centre screen on ${kind}`, () => {
    let t: TestApp;
    let leader: Agent;
    let units: Map<string, number>;
    before(async () => {
      t = await buildTestApp(kind);
      assert.equal(await loadDemo(t.db, t.testDb.database.pool), true);
      leader = await signIn(t.app, 'lanhdao', DEMO_PASSWORD);
      const tree = (await t.db.selectFrom('org_units').select(['id', 'code']).execute()) as { id: number; code: string }[];
      units = new Map(tree.map((u) => [u.code, u.id]));
    });
    after(() => t?.close());

    const unit = (code: string) => {
      const id = units.get(code);
      assert.ok(id, code);
      return id;
    };

    test('each area equals its module’s own answer, for the province and a district, this month, a year and a range', async () => {
      const thisYear = new Date().getFullYear();
      const cases: [string, string][] = [
        ['HD', ''],
        ['HD-NS', ''],
        ['HD', 'period=year&year=2021'],
        ['HD', `period=year&year=${thisYear}`],
        ['HD-NS', 'period=year&year=2021'],
        ['HD-NS', `period=quarter&year=${thisYear}&index=1`],
        ['HD-BG', `period=range&from=2021-06-01&to=${thisYear}-01-31`],
      ];
      const seen = new Set<string>();
      for (const [code, periodQuery] of cases) {
        const url = `/api/v1/dashboard?unitId=${unit(code)}${periodQuery ? `&${periodQuery}` : ''}`;
        const screen = await getJson(leader, url);
        const period = screen.period as { from: string; to: string; year: number | null };
        assert.equal((screen.unit as { code: string }).code, code);
        const expected = await fromTheModules(leader, unit(code), periodQuery || 'period=month', period.from, period.to, period.year ?? Number(period.to.slice(0, 4)));
        for (const area of AREAS) {
          assert.deepEqual(screen[area], expected[area], `${area} of ${url}`);
          // Not vacuous: across the cases, every area shows something.
          if (Object.entries(screen[area] as Json).some(([k, v]) => k !== 'year' && typeof v === 'number' && v > 0)) seen.add(area);
        }
      }
      assert.deepEqual([...seen].sort(), [...AREAS].sort(), 'the demo data gives each area a figure');
    });

    test('the demo’s citizen reports, sent and handled on the day it was loaded, are this month’s feedback figures', async () => {
      const feedback = (await getJson(leader, `/api/v1/dashboard?unitId=${unit('HD')}`)).feedback as Record<string, number>;
      const answered = DEMO_REPORTS.filter((r) => r.step === 'resolved' || r.step === 'rated').length;
      const rated = DEMO_REPORTS.filter((r) => r.step === 'rated').length;
      assert.deepEqual(
        [feedback.received, feedback.resolved, feedback.rated, feedback.satisfied, feedback.satisfactionRate],
        [DEMO_REPORTS.length, answered, rated, rated, 100],
      );
      assert.ok(answered > 0 && rated > 0 && rated < answered, 'the demo has reports at every step');
    });

    test('without a unit, the caller’s own: a district’s leader sees the district; another district, or the province, is refused', async () => {
      const district = await signIn(t.app, 'namsach.lanhdao', DEMO_PASSWORD);
      const own = await getJson(district, '/api/v1/dashboard');
      assert.equal((own.unit as { code: string }).code, 'HD-NS');
      for (const code of ['HD', 'HD-BG']) {
        const res = await district.get(`/api/v1/dashboard?unitId=${unit(code)}`);
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().code, 'FORBIDDEN');
      }
    });

    test('bad input is a 4xx with a code and a Vietnamese message', async () => {
      const cases: [string, number, string][] = [
        ['period=range&from=2026-01-01', 400, 'INVALID_PERIOD'],
        ['period=range&from=2026-02-01&to=2026-01-01', 400, 'INVALID_PERIOD'],
        ['period=month&index=2&year=2026&extra=1', 400, 'VALIDATION_FAILED'],
        ['period=week', 400, 'VALIDATION_FAILED'],
        ['unitId=999999', 404, 'NOT_FOUND'],
      ];
      for (const [query, status, code] of cases) {
        const res = await leader.get(`/api/v1/dashboard?${query}`);
        assert.equal(res.statusCode, status, `${query}: ${res.body}`);
        assert.equal(res.json().code, code, query);
        assert.match(res.json().message, /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i, `${query}: a Vietnamese message`);
      }
      const signedOut = await t.app.inject({ method: 'GET', url: '/api/v1/dashboard' });
      assert.equal(signedOut.statusCode, 401);
    });

    test('format=xlsx gives the same figures as a sheet: area, figure, value', async () => {
      const query = `unitId=${unit('HD')}&period=year&year=2021`;
      const screen = await getJson(leader, `/api/v1/dashboard?${query}`);
      const rows = await readXlsx(await leader.get(`/api/v1/dashboard?${query}&format=xlsx`));
      assert.deepEqual(rows[0], ['Lĩnh vực', 'Chỉ tiêu', 'Giá trị']);
      assert.match(rows[1].join(' '), /Năm 2021/);
      const value = (area: RegExp, figure: string) => rows.find((r) => area.test(r[0]) && r[1] === figure)?.[2];
      const tasks = screen.tasks as Record<string, number>;
      const projects = screen.projects as Record<string, number>;
      const breakthrough = screen.breakthrough as Record<string, number>;
      assert.equal(value(/^Nhiệm vụ/, 'Đang thực hiện quá hạn'), String(tasks.inProgressOverdue));
      assert.equal(value(/^Dự án/, 'Số dự án'), String(projects.projects));
      assert.equal(value(/^Dự án/, 'Tổng mức đầu tư (đồng)'), String(projects.totalCapital));
      assert.equal(value(/^Công việc đột phá năm 2021/, 'Số công việc'), String(breakthrough.items));
    });
  });
}
