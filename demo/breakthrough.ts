// Demo breakthrough tasks (công việc đột phá) of Hải Dương, from the seed article (Báo Hải Dương,
// December 2021): Nam Sách's inter-commune roads (six segments of the East–West axis, over 9 km,
// about 140 billion đồng, the commune People's Committees as investors, 70–80% of the volume done
// on some segments by December), Chí Linh's digital transformation (the operations centre founded
// on 16/12/2021, to open in early March 2022), site clearance in Bình Giang, Cẩm Giàng and the city
// of Hải Dương, Tứ Kỳ's discipline and cadre rotation. Then the current year, so that every state
// of the workflow shows: approved lists with their tasks under way, one submitted, one returned with
// comments, one still a draft. Everything goes through the services, on a clock set to the day each
// step happened; the extra accounts share the demo password.

import type { Db } from '../src/db/kysely.js';
import { createBreakthroughService } from '../src/modules/breakthrough/service.js';
import type { ItemFields } from '../src/modules/breakthrough/schemas.js';
import { createTaskService } from '../src/modules/tasks/service.js';
import { businessDateOf } from '../src/platform/calendar/businessTime.js';
import { createClock } from '../src/platform/clock/clock.js';
import { demoActor, demoPlatform } from './services.js';

/** Accounts the breakthrough demo needs besides the locality's own demo accounts. */
export const BREAKTHROUGH_DEMO_USERS = [
  { username: 'namsach.lanhdao', fullName: 'Hồ Văn Nam (minh họa)', unit: 'HD-NS', role: 'leader' },
  { username: 'namsach.taichinh', fullName: 'Đinh Thị Vốn (minh họa)', unit: 'HD-NS-PTCKH', role: 'officer' },
  { username: 'chilinh.lanhdao', fullName: 'Nguyễn Minh Linh (minh họa)', unit: 'HD-CL', role: 'leader' },
  { username: 'chilinh.canbo', fullName: 'Trần Văn Số (minh họa)', unit: 'HD-CL-VP', role: 'officer' },
  { username: 'binhgiang.lanhdao', fullName: 'Phạm Văn Giang (minh họa)', unit: 'HD-BG', role: 'leader' },
  { username: 'binhgiang.canbo', fullName: 'Vũ Văn Mặt (minh họa)', unit: 'HD-BG', role: 'officer' },
  { username: 'camgiang.lanhdao', fullName: 'Lê Thị Cẩm (minh họa)', unit: 'HD-CG', role: 'leader' },
  { username: 'camgiang.canbo', fullName: 'Ngô Văn Bằng (minh họa)', unit: 'HD-CG', role: 'officer' },
  { username: 'tphd.lanhdao', fullName: 'Bùi Văn Đông (minh họa)', unit: 'HD-TPHD', role: 'leader' },
  { username: 'tphd.canbo', fullName: 'Hoàng Thị Dương (minh họa)', unit: 'HD-TPHD', role: 'officer' },
  { username: 'tuky.noivu', fullName: 'Mạc Văn Kỳ (minh họa)', unit: 'HD-TK-PNV', role: 'officer' },
  // The investors of the six segments of the East–West axis: the communes' People's Committees.
  { username: 'anbinh.lanhdao', fullName: 'Đặng Văn An (minh họa)', unit: 'HD-NS-ANBINH', role: 'leader' },
  { username: 'phudien.canbo', fullName: 'Trịnh Văn Điền (minh họa)', unit: 'HD-NS-PHUDIEN', role: 'officer' },
  { username: 'conghoa.canbo', fullName: 'Lý Thị Hòa (minh họa)', unit: 'HD-NS-CONGHOA', role: 'officer' },
  { username: 'thaitan.canbo', fullName: 'Cao Văn Tân (minh họa)', unit: 'HD-NS-THAITAN', role: 'officer' },
  { username: 'anlam.canbo', fullName: 'Tạ Thị Lâm (minh họa)', unit: 'HD-NS-ANLAM', role: 'officer' },
  { username: 'minhtan.canbo', fullName: 'Phí Văn Minh (minh họa)', unit: 'HD-NS-MINHTAN', role: 'officer' },
] as const;

/** The six segments: the commune that invests in each, its officer, and how far it had gone by December 2021. */
const SEGMENTS = [
  { unit: 'HD-NS-ANBINH', user: 'anbinh.canbo', km: 1.8, percent: 80 },
  { unit: 'HD-NS-PHUDIEN', user: 'phudien.canbo', km: 1.5, percent: 75 },
  { unit: 'HD-NS-CONGHOA', user: 'conghoa.canbo', km: 1.6, percent: 70 },
  { unit: 'HD-NS-THAITAN', user: 'thaitan.canbo', km: 1.4, percent: 60 },
  { unit: 'HD-NS-ANLAM', user: 'anlam.canbo', km: 1.3, percent: 55 },
  { unit: 'HD-NS-MINHTAN', user: 'minhtan.canbo', km: 1.6, percent: 50 },
] as const;

/** Loads the demo lists after the locality itself (units and the demo accounts) is in place. */
export async function loadDemoBreakthrough(db: Db, opts: { passwordHash: string }): Promise<{ lists: number; items: number }> {
  const units = new Map((await db.selectFrom('org_units').select(['id', 'code', 'path', 'name']).execute()).map((u) => [u.code, u]));
  const unit = (code: string) => {
    const u = units.get(code);
    if (!u) throw new Error(`demo breakthrough: no unit ${code}`);
    return u;
  };
  for (const u of BREAKTHROUGH_DEMO_USERS) {
    const { id } = await db
      .insertInto('users')
      .values({ username: u.username, full_name: u.fullName, org_unit_id: unit(u.unit).id, password_hash: opts.passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('user_grants').values({ user_id: id, role: u.role, org_unit_id: unit(u.unit).id }).execute();
  }

  const actor = (username: string) => demoActor(db, username);
  const userId = async (username: string) => (await actor(username)).userId as number;

  // The services on a clock of their own, set to the day of each step. The unit tree is read
  // once: the services read it inside their transactions, where PGlite has no second connection.
  const { bus, directory, calendar } = await demoPlatform(db);
  const clock = createClock({ settable: true });
  const tasks = createTaskService({ db, bus, calendar, directory, clock });
  const service = createBreakthroughService({ db, directory, tasks, calendar, now: clock.now });
  const today = businessDateOf(new Date());
  /** 09:00 in Vietnam on `date`, never later than yesterday (a demo loaded in January still has a past). */
  const on = (date: string) => {
    const latest = new Date(Date.now() - 86_400_000);
    const at = new Date(`${date}T09:00:00+07:00`);
    clock.set(at < latest ? at : latest);
    return businessDateOf(clock.now());
  };

  let lists = 0;
  let items = 0;
  /** A unit's list with its items, taken as far as `until` (the superior returns it once when `returned` is given). */
  async function register(
    year: number,
    code: string,
    by: string,
    entries: ItemFields[],
    flow: { created: string; submitted?: string; returned?: { on: string; comments: string; resubmitted?: string }; approved?: string; approver?: string },
  ) {
    on(flow.created);
    const who = await actor(by);
    let list = await service.create(who, { unitId: unit(code).id, year });
    for (const item of entries) list = await service.addItem(who, list.id, { version: list.version, ...item });
    lists++;
    items += entries.length;
    if (!flow.submitted) return list;
    on(flow.submitted);
    list = await service.submit(who, list.id, list.version);
    const approver = await actor(flow.approver ?? 'lanhdao');
    if (flow.returned) {
      on(flow.returned.on);
      list = await service.returnList(approver, list.id, list.version, flow.returned.comments);
      if (!flow.returned.resubmitted) return list;
      on(flow.returned.resubmitted);
      list = await service.submit(who, list.id, list.version);
    }
    if (!flow.approved) return list;
    on(flow.approved);
    return service.approve(approver, list.id, list.version);
  }

  /** A progress report on the task an item became (or on any task), on `date`. */
  async function report(username: string, taskId: number, date: string, percent: number, text: string, submit = false) {
    const reportedOn = on(date);
    return tasks.report(await actor(username), taskId, { percent, text, reportedOn, submit });
  }
  async function accept(username: string, taskId: number, date: string) {
    on(date);
    const who = await actor(username);
    const task = await tasks.get(who, taskId);
    return tasks.accept(who, taskId, { version: task.version });
  }
  async function review(username: string, list: { id: number; items: { id: number }[] }, n: number, date: string, body: Omit<Parameters<typeof service.review>[3], 'version'>) {
    on(date);
    const who = await actor(username);
    const { version } = await service.get(who, list.id);
    return service.review(who, list.id, list.items[n].id, { ...body, version });
  }
  const taskOf = (list: { items: { task: { id: number } | null }[] }, n: number) => {
    const task = list.items[n].task;
    if (!task) throw new Error('demo breakthrough: the item was not issued');
    return task.id;
  };

  // ---- 2021, as the article tells it ----
  const ns = await register(
    2021,
    'HD-NS',
    'namsach.lanhdao',
    [
      {
        title: 'Xây dựng đường giao thông liên xã: 6 đoạn tuyến đường trục Đông - Tây huyện',
        description: 'Phát triển hạ tầng giao thông phục vụ phát triển kinh tế - xã hội, tạo trục thúc đẩy phát triển tại những địa phương xa trung tâm. UBND các xã làm chủ đầu tư để thi công đồng loạt.',
        targetValue: 9,
        targetUnit: 'km',
        leadUnitId: unit('HD-NS').id,
        assigneeUserId: await userId('namsach.canbo'),
        dueOn: '2021-12-31',
        expectedResult: '6 đoạn tuyến với tổng chiều dài trên 9 km hoàn thành, đưa vào sử dụng',
      },
      {
        title: 'Bố trí, huy động vốn đầu tư xây dựng đường trục Đông - Tây',
        targetValue: 140,
        targetUnit: 'tỷ đồng',
        leadUnitId: unit('HD-NS-PTCKH').id,
        assigneeUserId: await userId('namsach.taichinh'),
        dueOn: '2021-12-31',
        expectedResult: 'Khoảng 140 tỷ đồng vốn đầu tư được bố trí cho 6 đoạn tuyến',
      },
    ],
    {
      created: '2021-01-11',
      submitted: '2021-01-15',
      returned: { on: '2021-01-20', comments: 'Đề nghị nêu rõ chỉ tiêu vốn đầu tư và giao UBND các xã làm chủ đầu tư từng đoạn tuyến.', resubmitted: '2021-01-25' },
      approved: '2021-02-01',
    },
  );
  // Nam Sách gives each segment to the commune that invests in it (sub-tasks of the roads' task).
  const roads = taskOf(ns, 0);
  on('2021-02-05');
  for (const [n, s] of SEGMENTS.entries()) {
    const child = await tasks.createSubtask(await actor('namsach.lanhdao'), roads, {
      title: `Đoạn tuyến ${n + 1} đường trục Đông - Tây qua ${unit(s.unit).name}`,
      expectedResult: `Hoàn thành ${s.km.toLocaleString('vi-VN')} km đường`,
      leadUnitId: unit(s.unit).id,
      assigneeUserId: await userId(s.user),
      dueOn: '2021-12-31',
      weight: s.km,
    });
    await tasks.issue(await actor('namsach.lanhdao'), child.id, { version: child.version, moveToWorkingDay: true });
    await report(s.user, child.id, '2021-06-30', Math.round(s.percent / 2), 'Đã khởi công, đang thi công nền đường.');
    await report(s.user, child.id, '2021-12-10', s.percent, `Đạt ${s.percent}% khối lượng thi công.`);
  }
  await report('namsach.taichinh', taskOf(ns, 1), '2021-12-10', 85, 'Đã bố trí phần lớn vốn cho các đoạn tuyến; phần còn lại bố trí trong kế hoạch năm 2022.');

  const cl = await register(
    2021,
    'HD-CL',
    'chilinh.lanhdao',
    [
      {
        title: 'Thực hiện chuyển đổi số: xây dựng Trung tâm Điều hành đô thị thông minh thành phố',
        description: 'Nhiệm vụ đột phá năm 2021 và cả nhiệm kỳ 2020-2025: phân tích dữ liệu kinh tế - xã hội, giám sát giải quyết thủ tục hành chính, tiếp nhận phản ánh, văn bản điện tử, an ninh trật tự và giao thông, thông tin mạng xã hội; họp trực tuyến.',
        targetValue: 1,
        targetUnit: 'trung tâm',
        leadUnitId: unit('HD-CL-VP').id,
        assigneeUserId: await userId('chilinh.canbo'),
        dueOn: '2022-03-31',
        expectedResult: 'Trung tâm Điều hành đô thị thông minh chính thức đi vào hoạt động từ đầu tháng 3/2022',
      },
    ],
    { created: '2021-01-12', submitted: '2021-01-18', approved: '2021-02-01' },
  );
  await report('chilinh.canbo', taskOf(cl, 0), '2021-12-16', 80, 'Thành lập Trung tâm Điều hành đô thị thông minh chiều 16/12; nhà thầu đang lắp đặt, hoàn thiện các hạng mục.');
  await report('chilinh.canbo', taskOf(cl, 0), '2022-03-02', 100, 'Trung tâm chính thức đi vào hoạt động.', true);
  await accept('lanhdao', taskOf(cl, 0), '2022-03-04');

  const clearance = (title: string, code: string, officer: string) => ({
    title,
    targetValue: 100,
    targetUnit: '%',
    leadUnitId: unit(code).id,
    dueOn: '2021-12-31',
    expectedResult: 'Bàn giao mặt bằng sạch cho chủ đầu tư theo đúng tiến độ dự án',
    officer,
  });
  const withAssignee = async (e: ReturnType<typeof clearance>): Promise<ItemFields> => {
    const { officer, ...item } = e;
    return { ...item, assigneeUserId: await userId(officer) };
  };
  const bg = await register(
    2021,
    'HD-BG',
    'binhgiang.lanhdao',
    [await withAssignee(clearance('Giải phóng mặt bằng dự án khu công nghiệp Phúc Điền mở rộng', 'HD-BG', 'binhgiang.canbo'))],
    { created: '2021-01-13', submitted: '2021-01-19', approved: '2021-02-02' },
  );
  const cg = await register(
    2021,
    'HD-CG',
    'camgiang.lanhdao',
    [
      await withAssignee(clearance('Giải phóng mặt bằng dự án đường nối quốc lộ 38B với đường 31 tỉnh Hưng Yên', 'HD-CG', 'camgiang.canbo')),
      await withAssignee(clearance('Giải phóng mặt bằng dự án đường 196 giai đoạn 1', 'HD-CG', 'camgiang.canbo')),
    ],
    { created: '2021-01-13', submitted: '2021-01-19', approved: '2021-02-02' },
  );
  const tp = await register(
    2021,
    'HD-TPHD',
    'tphd.lanhdao',
    [await withAssignee(clearance('Giải phóng mặt bằng các dự án, công trình trọng điểm trên địa bàn thành phố', 'HD-TPHD', 'tphd.canbo'))],
    { created: '2021-01-14', submitted: '2021-01-20', approved: '2021-02-02' },
  );
  for (const [list, officer] of [
    [bg, 'binhgiang.canbo'],
    [cg, 'camgiang.canbo'],
    [tp, 'tphd.canbo'],
  ] as const) {
    for (const n of list.items.keys()) {
      await report(officer, taskOf(list, n), '2021-06-30', 60, 'Đang kiểm đếm, lập và phê duyệt phương án bồi thường.');
      await report(officer, taskOf(list, n), '2021-12-15', 100, 'Dự án triển khai theo đúng tiến độ; đã bàn giao mặt bằng.', true);
      await accept('lanhdao', taskOf(list, n), '2021-12-22');
    }
  }

  const tk = await register(
    2021,
    'HD-TK',
    'tuky.lanhdao',
    [
      {
        title: 'Siết chặt kỷ luật, kỷ cương: điều động, chuyển đổi vị trí công tác trưởng, phó phòng chuyên môn giữ chức vụ từ 5 năm trở lên',
        targetValue: 5,
        targetUnit: 'cán bộ',
        leadUnitId: unit('HD-TK-PNV').id,
        assigneeUserId: await userId('tuky.noivu'),
        dueOn: '2021-12-31',
        expectedResult: 'Quyết định điều động, chuyển đổi vị trí công tác đối với 5 cán bộ',
      },
      {
        title: 'Điều động, luân chuyển cán bộ chủ chốt cấp xã giữa các xã theo Đề án 02 của Ban Thường vụ Tỉnh ủy',
        targetValue: 8,
        targetUnit: 'cán bộ',
        leadUnitId: unit('HD-TK-PNV').id,
        assigneeUserId: await userId('tuky.noivu'),
        dueOn: '2021-12-31',
        expectedResult: 'Bí thư Đảng ủy hoặc Chủ tịch UBND xã không phải người địa phương tại các xã luân chuyển',
      },
    ],
    { created: '2021-01-12', submitted: '2021-01-18', approved: '2021-02-01' },
  );
  await report('tuky.noivu', taskOf(tk, 0), '2021-11-30', 100, 'Đã điều động, chuyển đổi vị trí công tác 5 trưởng, phó phòng; điều động 4 cán bộ Phó Chủ tịch Ủy ban MTTQ, phó các đoàn thể.', true);
  await accept('lanhdao', taskOf(tk, 0), '2021-12-06');
  await report('tuky.noivu', taskOf(tk, 1), '2021-12-10', 100, 'Đã luân chuyển 8 cán bộ chủ chốt cấp xã giữa 6 xã.', true);
  await accept('lanhdao', taskOf(tk, 1), '2021-12-15');

  // The year-end review by the province (đánh giá cuối năm).
  const reviewOn = '2022-01-14';
  await review('lanhdao', ns, 0, reviewOn, { result: 'partly', note: 'Các công trình cơ bản bảo đảm tiến độ; một số đoạn tuyến đạt 70-80% khối lượng thi công.' });
  await review('lanhdao', ns, 1, reviewOn, { result: 'partly', note: 'Phần vốn còn lại bố trí trong kế hoạch năm 2022.' });
  await review('lanhdao', cl, 0, reviewOn, { result: 'partly', achievedValue: 1, note: 'Đã thành lập Trung tâm ngày 16/12/2021; đi vào hoạt động từ đầu tháng 3/2022.' });
  for (const list of [bg, cg, tp]) {
    for (const n of list.items.keys()) await review('lanhdao', list, n, reviewOn, { result: 'achieved', achievedValue: 100, note: 'Dự án triển khai theo đúng tiến độ.' });
  }
  await review('lanhdao', tk, 0, reviewOn, { result: 'achieved', achievedValue: 5 });
  await review('lanhdao', tk, 1, reviewOn, {
    result: 'achieved',
    achievedValue: 8,
    note: '6 xã có Bí thư Đảng ủy hoặc Chủ tịch UBND xã không phải người địa phương; 2 xã có cả hai, vượt chỉ tiêu Đề án 02.',
  });

  // ---- the current year: every state of the workflow ----
  const year = Number(today.slice(0, 4));
  const nsNow = await register(
    year,
    'HD-NS',
    'namsach.lanhdao',
    [
      {
        title: 'Nâng cấp, mở rộng đường giao thông liên xã kết nối đường trục Đông - Tây',
        targetValue: 5,
        targetUnit: 'km',
        leadUnitId: unit('HD-NS').id,
        assigneeUserId: await userId('namsach.canbo'),
        dueOn: `${year}-12-15`,
        expectedResult: 'Các tuyến đường liên xã được nâng cấp, đưa vào sử dụng',
      },
    ],
    { created: `${year}-01-08`, submitted: `${year}-01-12`, approved: `${year}-01-20` },
  );
  await report('namsach.canbo', taskOf(nsNow, 0), `${year}-06-30`, 40, 'Hoàn thành giải phóng mặt bằng, đang thi công nền đường.');
  const clNow = await register(
    year,
    'HD-CL',
    'chilinh.lanhdao',
    [
      {
        title: 'Đẩy mạnh chuyển đổi số, nâng cao hiệu quả Trung tâm Điều hành đô thị thông minh',
        targetValue: 100,
        targetUnit: '%',
        leadUnitId: unit('HD-CL-VP').id,
        assigneeUserId: await userId('chilinh.canbo'),
        dueOn: `${year}-12-31`,
        expectedResult: 'Các phòng, ban và xã, phường kết nối, khai thác dữ liệu trên Trung tâm',
      },
      {
        title: 'Giải phóng mặt bằng các dự án lớn, thu hút đầu tư',
        targetValue: 100,
        targetUnit: '%',
        leadUnitId: unit('HD-CL').id,
        assigneeUserId: await userId('chilinh.canbo'),
        dueOn: `${year}-09-30`,
        expectedResult: 'Bàn giao mặt bằng các dự án lớn cho nhà đầu tư',
      },
    ],
    { created: `${year}-01-08`, submitted: `${year}-01-13`, approved: `${year}-01-21` },
  );
  await report('chilinh.canbo', taskOf(clNow, 0), `${year}-07-15`, 55, 'Đã kết nối dữ liệu thủ tục hành chính và phản ánh hiện trường.');
  await report('chilinh.canbo', taskOf(clNow, 1), `${year}-08-31`, 65, 'Còn vướng mắc ở một số hộ chưa đồng ý phương án bồi thường.');
  const tkNow = await register(
    year,
    'HD-TK',
    'tuky.lanhdao',
    [
      {
        title: 'Tiếp tục luân chuyển cán bộ chủ chốt cấp xã theo Đề án 02',
        targetValue: 6,
        targetUnit: 'cán bộ',
        leadUnitId: unit('HD-TK-PNV').id,
        assigneeUserId: await userId('tuky.noivu'),
        dueOn: `${year}-06-30`,
        expectedResult: 'Quyết định luân chuyển 6 cán bộ chủ chốt cấp xã',
      },
    ],
    { created: `${year}-01-09`, submitted: `${year}-01-14`, approved: `${year}-01-21` },
  );
  await report('tuky.noivu', taskOf(tkNow, 0), `${year}-06-15`, 100, 'Đã luân chuyển 6 cán bộ chủ chốt cấp xã.', true);
  await accept('lanhdao', taskOf(tkNow, 0), `${year}-06-20`);
  await register(
    year,
    'HD-BG',
    'binhgiang.lanhdao',
    [await withAssignee({ ...clearance('Giải phóng mặt bằng các dự án khu công nghiệp, cụm công nghiệp trên địa bàn huyện', 'HD-BG', 'binhgiang.canbo'), dueOn: `${year}-12-31` })],
    { created: `${year}-01-10`, submitted: `${year}-01-16` },
  );
  await register(
    year,
    'HD-CG',
    'camgiang.lanhdao',
    [await withAssignee({ ...clearance('Giải phóng mặt bằng dự án đường 196 giai đoạn 2', 'HD-CG', 'camgiang.canbo'), dueOn: `${year}-12-31` })],
    { created: `${year}-01-10`, submitted: `${year}-01-15`, returned: { on: `${year}-01-22`, comments: 'Đề nghị bổ sung chỉ tiêu diện tích đất bàn giao (ha) và số hộ bị ảnh hưởng.' } },
  );
  await register(
    year,
    'HD-TPHD',
    'tphd.lanhdao',
    [{ title: 'Chỉnh trang đô thị, giải phóng mặt bằng các tuyến đường vành đai', leadUnitId: unit('HD-TPHD').id, expectedResult: 'Mặt bằng sạch bàn giao cho chủ đầu tư' }],
    { created: `${year}-01-12` },
  );
  clock.set(null);
  await bus.close();
  return { lists, items };
}
