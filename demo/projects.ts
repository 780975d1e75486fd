// Demo key projects (dự án trọng điểm) from the seed article (Báo Hải Dương, December 2021):
// Nam Sách's East–West inter-commune axis (6 segments, over 9 km, about 140 billion đồng, the
// communes' People's Committees as investors, 70–80% of the volume done on some segments), and the
// site-clearance projects of Bình Giang and Cẩm Giàng: the road linking national road 38B with
// road 31 of Hưng Yên, road 196 phase 1 (Cẩm Giàng) and the Phúc Điền industrial park extension
// (the article places it in Bình Giang). Only those facts come from the article: every other
// number (segment lengths and progress, capital of the other projects, sources, disbursements,
// households, areas, compensation, dates, coordinates) is illustrative, made up for the demo.
// Two obstacles of the East–West axis are issued as tasks through the services (loadDemoObstacles).

import { sql } from 'kysely';
import type { Db, Queryable } from '../src/db/kysely.js';
import * as repo from '../src/modules/projects/repo.js';
import { createProjectEntries } from '../src/modules/projects/entries.js';
import { createProjectService } from '../src/modules/projects/service.js';
import { createTaskService } from '../src/modules/tasks/service.js';
import { createClock } from '../src/platform/clock/clock.js';
import { demoActor, demoPlatform } from './services.js';

const BILLION = 1_000_000_000;

interface DemoSegment {
  name: string;
  lengthKm: number;
  commune?: string;
  investor?: string;
  /** [date, percent] entries, oldest first. */
  progress: [string, number][];
}

interface DemoClearance {
  unit: string;
  households: number;
  agreed: number;
  areaM2: number;
  handedM2: number;
  approved: number;
  paid: number;
}

interface DemoProject {
  code: string;
  name: string;
  investor: string;
  unit: string;
  location: unknown;
  totalLengthKm: number | null;
  totalCapital: number;
  sources: { source: string; amount: number }[];
  startOn: string;
  endOn: string;
  description: string;
  segments: DemoSegment[];
  disbursements: { year: number; quarter: number; amount: number }[];
  milestones: { name: string; plannedOn: string; actualOn: string | null }[];
  clearances: DemoClearance[];
}

/**
 * The six segments of the East–West axis as demo/breakthrough.ts has them (the commune that invests
 * in each, its length and how far it had gone by mid-December 2021), with a September figure too.
 */
const NAM_SACH_AXIS: [commune: string, name: string, km: number, progress: [string, number][]][] = [
  ['HD-NS-ANBINH', 'Xã An Bình', 1.8, [['2021-09-30', 45], ['2021-12-15', 80]]],
  ['HD-NS-PHUDIEN', 'Xã Phú Điền', 1.5, [['2021-09-30', 40], ['2021-12-15', 75]]],
  ['HD-NS-CONGHOA', 'Xã Cộng Hòa', 1.6, [['2021-09-30', 35], ['2021-12-15', 70]]],
  ['HD-NS-THAITAN', 'Xã Thái Tân', 1.4, [['2021-09-30', 30], ['2021-12-15', 60]]],
  ['HD-NS-ANLAM', 'Xã An Lâm', 1.3, [['2021-09-30', 25], ['2021-12-15', 55]]],
  ['HD-NS-MINHTAN', 'Xã Minh Tân', 1.6, [['2021-09-30', 20], ['2021-12-15', 50]]],
];

const DEMO_PROJECTS: DemoProject[] = [
  {
    code: 'NS-TRUC-DONG-TAY',
    name: 'Đường trục Đông - Tây huyện Nam Sách',
    investor: 'UBND các xã có tuyến đi qua (chủ đầu tư từng đoạn)',
    unit: 'HD-NS',
    location: { type: 'LineString', coordinates: [[106.355, 21.01], [106.355, 20.982], [106.365, 20.968], [106.375, 20.99], [106.39, 20.978], [106.405, 20.995]] },
    totalLengthKm: 9.2,
    totalCapital: 140 * BILLION,
    sources: [
      { source: 'Ngân sách huyện', amount: 100 * BILLION },
      { source: 'Ngân sách xã', amount: 40 * BILLION },
    ],
    startOn: '2021-03-26',
    endOn: '2022-06-30',
    description: 'Công việc đột phá năm 2021 của Ban Thường vụ Huyện ủy Nam Sách: xây dựng đường giao thông liên xã phục vụ phát triển kinh tế - xã hội; UBND cấp xã làm chủ đầu tư để thi công đồng loạt.',
    segments: NAM_SACH_AXIS.map(([commune, name, km, progress], i) => ({
      name: `Đoạn ${i + 1} qua ${name.replace('Xã', 'xã')}`,
      lengthKm: km,
      commune,
      investor: `UBND ${name.replace('Xã', 'xã')}`,
      progress,
    })),
    disbursements: [
      { year: 2021, quarter: 2, amount: 18 * BILLION },
      { year: 2021, quarter: 3, amount: 27 * BILLION },
      { year: 2021, quarter: 4, amount: 33 * BILLION },
    ],
    milestones: [
      { name: 'Khởi công đồng loạt các đoạn', plannedOn: '2021-03-26', actualOn: '2021-03-26' },
      { name: 'Hoàn thành nền đường các đoạn', plannedOn: '2021-12-31', actualOn: null },
      { name: 'Hoàn thành, đưa vào sử dụng', plannedOn: '2022-06-30', actualOn: null },
    ],
    clearances: NAM_SACH_AXIS.map(([unit], i) => ({
      unit,
      households: 18 + i * 3,
      agreed: 18 + i * 3 - (i > 3 ? 2 : 0),
      areaM2: 14_000 + i * 1_000,
      handedM2: 14_000 + i * 1_000 - (i > 3 ? 1_500 : 0),
      approved: (2 + i * 0.3) * BILLION,
      paid: (2 + i * 0.3) * BILLION - (i > 3 ? 0.4 * BILLION : 0),
    })),
  },
  {
    code: 'BG-NOI-QL38B-DT31',
    name: 'Đường nối quốc lộ 38B với đường 31 tỉnh Hưng Yên',
    investor: 'Ban Quản lý dự án đầu tư xây dựng tỉnh Hải Dương',
    unit: 'HD-BG',
    location: { type: 'LineString', coordinates: [[106.12, 20.88], [106.14, 20.895], [106.17, 20.905]] },
    totalLengthKm: 5.8,
    totalCapital: 420 * BILLION,
    sources: [
      { source: 'Ngân sách tỉnh', amount: 350 * BILLION },
      { source: 'Ngân sách huyện', amount: 70 * BILLION },
    ],
    startOn: '2021-05-15',
    endOn: '2023-12-31',
    description: 'Dự án trọng điểm, giải phóng mặt bằng là công việc đột phá năm 2021 của huyện Bình Giang.',
    segments: [
      { name: 'Đoạn đầu tuyến (nối quốc lộ 38B)', lengthKm: 3.1, progress: [['2021-12-15', 35]] },
      { name: 'Đoạn cuối tuyến (nối đường 31 Hưng Yên)', lengthKm: 2.7, progress: [['2021-12-15', 15]] },
    ],
    disbursements: [
      { year: 2021, quarter: 3, amount: 60 * BILLION },
      { year: 2021, quarter: 4, amount: 85 * BILLION },
    ],
    milestones: [
      { name: 'Hoàn thành giải phóng mặt bằng', plannedOn: '2021-12-31', actualOn: null },
      { name: 'Hoàn thành dự án', plannedOn: '2023-12-31', actualOn: null },
    ],
    // The demo locality lists no communes of Bình Giang: the district stands for them.
    clearances: [{ unit: 'HD-BG', households: 214, agreed: 187, areaM2: 268_000, handedM2: 231_000, approved: 96 * BILLION, paid: 81 * BILLION }],
  },
  {
    code: 'CG-DT196-GD1',
    name: 'Đường 196 giai đoạn 1 (Cẩm Giàng)',
    investor: 'Ban Quản lý dự án đầu tư xây dựng tỉnh Hải Dương',
    unit: 'HD-CG',
    location: { type: 'LineString', coordinates: [[106.2, 20.97], [106.22, 20.955], [106.245, 20.94]] },
    totalLengthKm: 4.5,
    totalCapital: 310 * BILLION,
    sources: [{ source: 'Ngân sách tỉnh', amount: 310 * BILLION }],
    startOn: '2021-04-01',
    endOn: '2023-06-30',
    description: 'Giải phóng mặt bằng là công việc đột phá năm 2021 của huyện Cẩm Giàng (nghị quyết chuyên đề của Huyện ủy).',
    segments: [{ name: 'Toàn tuyến giai đoạn 1', lengthKm: 4.5, progress: [['2021-09-30', 20], ['2021-12-15', 42]] }],
    disbursements: [
      { year: 2021, quarter: 2, amount: 40 * BILLION },
      { year: 2021, quarter: 4, amount: 72 * BILLION },
    ],
    milestones: [{ name: 'Bàn giao mặt bằng cho nhà thầu', plannedOn: '2021-09-30', actualOn: '2021-11-20' }],
    // The demo locality lists no communes of Cẩm Giàng: the district stands for them.
    clearances: [{ unit: 'HD-CG', households: 156, agreed: 149, areaM2: 182_000, handedM2: 171_500, approved: 64 * BILLION, paid: 60 * BILLION }],
  },
  {
    code: 'BG-KCN-PHUCDIEN-MR',
    name: 'Khu công nghiệp Phúc Điền mở rộng',
    investor: 'Công ty cổ phần đầu tư hạ tầng khu công nghiệp (minh họa)',
    unit: 'HD-BG',
    location: { type: 'Point', coordinates: [106.19, 20.93] },
    totalLengthKm: null,
    totalCapital: 1_200 * BILLION,
    sources: [{ source: 'Vốn doanh nghiệp', amount: 1_200 * BILLION }],
    startOn: '2021-06-01',
    endOn: '2024-12-31',
    description: 'Dự án có giải phóng mặt bằng được triển khai đúng tiến độ năm 2021.',
    segments: [],
    disbursements: [{ year: 2021, quarter: 4, amount: 150 * BILLION }],
    milestones: [{ name: 'Hoàn thành giải phóng mặt bằng giai đoạn 1', plannedOn: '2022-03-31', actualOn: null }],
    clearances: [{ unit: 'HD-BG', households: 330, agreed: 262, areaM2: 640_000, handedM2: 455_000, approved: 210 * BILLION, paid: 168 * BILLION }],
  },
];

/** Loads the demo key projects in the demo's transaction; returns how many. */
export async function loadDemoProjects(trx: Queryable): Promise<{ projects: number }> {
  const units = new Map(
    (await sql<{ id: number; code: string }>`SELECT id, code FROM org_units`.execute(trx)).rows.map((u) => [u.code, u.id] as const),
  );
  const unitId = (code: string) => {
    const id = units.get(code);
    if (id === undefined) throw new Error(`demo/projects.ts: no org unit ${code}`);
    return id;
  };
  for (const p of DEMO_PROJECTS) {
    const projectId = await repo.insertProject(
      trx,
      {
        code: p.code,
        name: p.name,
        investor: p.investor,
        managing_unit_id: unitId(p.unit),
        location: p.location,
        total_length_km: p.totalLengthKm,
        total_capital: p.totalCapital,
        capital_sources: p.sources,
        status: 'in_progress',
        start_on: p.startOn,
        end_on: p.endOn,
        description: p.description,
      },
      null,
    );
    for (const [i, s] of p.segments.entries()) {
      const segmentId = await repo.insertSegment(trx, projectId, {
        name: s.name,
        length_km: s.lengthKm,
        commune_unit_id: s.commune ? unitId(s.commune) : null,
        investor: s.investor ?? null,
        position: i + 1,
      });
      for (const [onDate, percent] of s.progress) await repo.insertProgress(trx, segmentId, { on_date: onDate, percent, note: null }, null);
    }
    for (const d of p.disbursements) await repo.insertDisbursement(trx, projectId, { year: d.year, quarter: d.quarter, month: null, amount: d.amount, note: null }, null);
    for (const m of p.milestones) await repo.insertMilestone(trx, projectId, { name: m.name, planned_on: m.plannedOn, actual_on: m.actualOn, note: null });
    for (const c of p.clearances) {
      await repo.upsertClearance(
        trx,
        projectId,
        unitId(c.unit),
        {
          affected_households: c.households,
          affected_area_m2: c.areaM2,
          agreed_households: c.agreed,
          compensation_approved: Math.round(c.approved),
          compensation_paid: Math.round(c.paid),
          handed_over_area_m2: c.handedM2,
          note: null,
        },
        null,
      );
    }
  }
  return { projects: DEMO_PROJECTS.length };
}

/** Obstacles of the East–West axis (illustrative), each issued by the province's operator as a task. */
const DEMO_OBSTACLES = [
  {
    commune: 'HD-NS-ANBINH',
    description: '2 hộ tại xã An Bình chưa đồng thuận đơn giá bồi thường đất nông nghiệp, chưa bàn giao 1.200 m² mặt bằng.',
    responsible: 'HD-NS-ANBINH',
    assignee: 'anbinh.canbo',
    dueOn: '2022-01-14',
  },
  {
    commune: 'HD-NS-PHUDIEN',
    description: 'Cột điện trung thế trong phạm vi thi công đoạn qua xã Phú Điền chưa được di dời.',
    responsible: 'HD-NS',
    assignee: 'namsach.canbo',
    dueOn: '2022-01-28',
  },
] as const;

/**
 * Issues the demo obstacles through the projects and tasks services, as the province's operator on
 * 16/12/2021; after the locality and its projects are committed (the services run their own transactions).
 */
export async function loadDemoObstacles(db: Db): Promise<{ obstacles: number }> {
  const actor = await demoActor(db, 'dieuhanh');
  const units = new Map((await sql<{ id: number; code: string }>`SELECT id, code FROM org_units`.execute(db)).rows.map((u) => [u.code, u.id] as const));
  const project = (await sql<{ id: number }>`SELECT id FROM projects WHERE code = 'NS-TRUC-DONG-TAY'`.execute(db)).rows[0];

  // The services on a clock set to the day the obstacles were raised; the unit tree and the calendar
  // are read before any transaction (PGlite has no second connection inside one).
  const { bus, directory, calendar } = await demoPlatform(db);
  const clock = createClock({ settable: true });
  clock.set(new Date('2021-12-16T09:00:00+07:00'));
  const tasks = createTaskService({ db, bus, calendar, directory, clock });
  const projects = createProjectService({ db, bus, directory, tasks, now: clock.now });
  const entries = createProjectEntries({ projects, tasks, now: clock.now });
  for (const o of DEMO_OBSTACLES) {
    await entries.addObstacle(actor, project.id, {
      description: o.description,
      communeUnitId: units.get(o.commune) ?? null,
      responsibleUnitId: units.get(o.responsible) ?? 0,
      assigneeUserId: (await demoActor(db, o.assignee)).userId as number,
      dueOn: o.dueOn,
    });
  }
  return { obstacles: DEMO_OBSTACLES.length };
}
