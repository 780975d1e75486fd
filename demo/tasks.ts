// Demo directed tasks of the 2021 locality, made through the tasks service on a clock set to the
// day of each step, so every task has a real history: the province's task to Nam Sách split to
// two communes with their reports (overdue now), Chí Linh's operations centre completed on time,
// Tứ Kỳ's rotation report completed late, and a draft to Bình Giang not yet clear on its deadline.

import type { Db } from '../src/db/kysely.js';
import { createTaskService } from '../src/modules/tasks/service.js';
import type { Actor } from '../src/platform/auth/actor.js';
import { createClock } from '../src/platform/clock/clock.js';
import { demoActor, demoPlatform } from './services.js';

export async function loadDemoTasks(db: Db): Promise<{ tasks: number }> {
  const units = new Map((await db.selectFrom('org_units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const unit = (code: string) => {
    const id = units.get(code);
    if (id === undefined) throw new Error(`demo tasks: no unit ${code}`);
    return id;
  };
  const actor = (username: string) => demoActor(db, username);
  const { bus, directory, calendar } = await demoPlatform(db);
  const clock = createClock({ settable: true });
  const tasks = createTaskService({ db, bus, calendar, directory, clock });
  /** The service acts at 09:00 (Vietnam) on `date`. */
  const on = (date: string, time = '09:00') => clock.set(new Date(`${date}T${time}:00+07:00`));

  const [province, namSach, anBinh, phuDien, chiLinh, tuKy] = await Promise.all(
    ['lanhdao', 'namsach.lanhdao', 'anbinh.canbo', 'phudien.canbo', 'chilinh.canbo', 'tuky.noivu'].map(actor),
  );
  const officer = await actor('namsach.canbo');
  let count = 0;

  async function issued(by: Actor, date: string, fields: Parameters<typeof tasks.create>[1]) {
    on(date);
    const draft = await tasks.create(by, fields);
    count++;
    return tasks.issue(by, draft.id, { version: draft.version, moveToWorkingDay: true });
  }
  const report = async (by: Actor, id: number, date: string, percent: number, text: string, submit = false) => {
    on(date, '16:00');
    return tasks.report(by, id, { percent, text, reportedOn: date, submit });
  };

  // Nam Sách's East–West axis: the province's task, split to An Bình (weight 2) and Phú Điền (weight 1).
  const axis = await issued(province, '2021-10-04', {
    issuerUnitId: unit('HD'),
    leadUnitId: unit('HD-NS'),
    assigneeUserId: officer.userId,
    title: 'Hoàn thành giải phóng mặt bằng tuyến trục Đông – Tây huyện Nam Sách',
    expectedResult: 'Bàn giao toàn bộ mặt bằng 6 đoạn tuyến cho chủ đầu tư',
    dueOn: '2021-12-31',
    sourceKind: 'meeting',
    sourceRef: 'Kết luận hội nghị Ban Thường vụ Tỉnh ủy tháng 9/2021 (minh họa)',
  });
  on('2021-10-06');
  const parts = [
    { by: anBinh, unit: 'HD-NS-ANBINH', title: 'GPMB đoạn qua xã An Bình', weight: 2, due: '2021-12-24', progress: [40, 80] },
    { by: phuDien, unit: 'HD-NS-PHUDIEN', title: 'GPMB đoạn qua xã Phú Điền', weight: 1, due: '2021-12-24', progress: [20, 50] },
  ];
  for (const p of parts) {
    const draft = await tasks.createSubtask(namSach, axis.id, {
      title: p.title,
      expectedResult: 'Bàn giao mặt bằng đoạn tuyến',
      leadUnitId: unit(p.unit),
      assigneeUserId: p.by.userId,
      dueOn: p.due,
      weight: p.weight,
    });
    count++;
    const child = await tasks.issue(namSach, draft.id, { version: draft.version });
    await report(p.by, child.id, '2021-11-15', p.progress[0], 'Đã kiểm đếm, lập phương án bồi thường');
    await report(p.by, child.id, '2021-12-10', p.progress[1], 'Đã chi trả bồi thường phần lớn số hộ');
  }
  on('2021-12-15');
  await tasks.comment(province, axis.id, { text: 'Đề nghị huyện tập trung tháo gỡ các hộ chưa đồng thuận trước 31/12.' });

  // Chí Linh's operations centre: completed on time.
  const centre = await issued(province, '2021-08-02', {
    issuerUnitId: unit('HD'),
    leadUnitId: unit('HD-CL'),
    assigneeUserId: chiLinh.userId,
    title: 'Đưa Trung tâm điều hành thông minh thành phố Chí Linh vào vận hành',
    expectedResult: 'Trung tâm vận hành, kết nối phản ánh hiện trường và camera',
    dueOn: '2021-12-17',
    sourceKind: 'direction',
    sourceRef: 'Chỉ đạo của Chủ tịch UBND tỉnh (minh họa)',
  });
  await report(chiLinh, centre.id, '2021-10-15', 60, 'Lắp đặt xong màn hình và đường truyền');
  const done = await report(chiLinh, centre.id, '2021-12-14', 100, 'Khai trương trung tâm', true);
  on('2021-12-15');
  await tasks.accept(province, centre.id, { version: done.version });

  // Tứ Kỳ's report on cadre rotation: sent after its deadline, accepted late.
  const rotation = await issued(province, '2021-09-01', {
    issuerUnitId: unit('HD'),
    leadUnitId: unit('HD-TK'),
    assigneeUserId: tuKy.userId,
    title: 'Báo cáo kết quả luân chuyển cán bộ theo Đề án 02',
    expectedResult: 'Báo cáo gửi Ban Tổ chức Tỉnh ủy',
    dueOn: '2021-10-29',
    sourceKind: 'document',
    sourceRef: 'Công văn số 123/UBND-NC (minh họa)',
  });
  const late = await report(tuKy, rotation.id, '2021-11-03', 100, 'Gửi báo cáo', true);
  on('2021-11-05');
  await tasks.accept(province, rotation.id, { version: late.version });

  // A draft not yet clear on its deadline: it cannot be issued until it is.
  on('2021-12-20');
  await tasks.create(province, {
    issuerUnitId: unit('HD'),
    leadUnitId: unit('HD-BG'),
    title: 'Tháo gỡ vướng mắc GPMB tuyến đường nối QL38B với đường 31 Hưng Yên',
    expectedResult: 'Bàn giao mặt bằng các hộ còn vướng',
  });
  count++;
  return { tasks: count };
}
