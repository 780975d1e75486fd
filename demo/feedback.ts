// Demo citizen reports (illustrative, not from the article): sent through the public intake on the
// day the demo is loaded and handled through the feedback service, so each has a real timeline and
// a real deadline. Some wait for the operator, some are routed to a commune of Nam Sách and in
// hand, some are answered, and most of the answered ones are rated by their reporter.

import type pg from 'pg';
import type { Db } from '../src/db/kysely.js';
import { createCategoryCache } from '../src/modules/feedback/category-cache.js';
import { createFeedbackIntake } from '../src/modules/feedback/intake.js';
import { findReport } from '../src/modules/feedback/repo.js';
import { createFeedbackService } from '../src/modules/feedback/service.js';
import type { FileStore } from '../src/platform/files/store.js';
import { demoActor, demoPlatform } from './services.js';

/** How far a report gets: waiting for the operator, handed to its commune, answered, rated. */
const STEPS = ['received', 'assigned', 'resolved', 'rated'] as const;
type Step = (typeof STEPS)[number];
const reached = (step: Step, than: Step) => STEPS.indexOf(step) >= STEPS.indexOf(than);

interface DemoReport {
  category: string;
  description: string;
  address: string;
  /** The commune it happens in (its coordinates in demo/org-units.csv, a little apart). */
  commune: { code: string; lat: number; lng: number; officer?: string };
  reporter?: { name: string; phone: string };
  step: Step;
  answer?: string;
}

const AN_BINH = { code: 'HD-NS-ANBINH', lat: 21.01, lng: 106.355, officer: 'anbinh.canbo' };
const PHU_DIEN = { code: 'HD-NS-PHUDIEN', lat: 20.978, lng: 106.39, officer: 'phudien.canbo' };
const CONG_HOA = { code: 'HD-NS-CONGHOA', lat: 20.995, lng: 106.405, officer: 'conghoa.canbo' };
const SAO_DO = { code: 'HD-CL-SAODO', lat: 21.109, lng: 106.393 };
const PHA_LAI = { code: 'HD-CL-PHALAI', lat: 21.112, lng: 106.31 };
const NAM_SACH_TOWN = { code: 'HD-NS-NAMSACH', lat: 20.993, lng: 106.336 };

export const DEMO_REPORTS: readonly DemoReport[] = [
  {
    category: 'rac-thai',
    description: 'Rác thải sinh hoạt tồn đọng nhiều ngày cạnh cổng chợ An Bình, bốc mùi (minh họa).',
    address: 'Cổng chợ An Bình',
    commune: AN_BINH,
    reporter: { name: 'Nguyễn Thị Hoa (minh họa)', phone: '0912 000 101' },
    step: 'rated',
    answer: 'Tổ vệ sinh môi trường của xã đã thu gom toàn bộ rác và bố trí thêm thùng rác tại cổng chợ.',
  },
  {
    category: 'den-duong',
    description: 'Ba bóng đèn đường trên trục đường liên xã đoạn qua thôn Đồng Bình không sáng (minh họa).',
    address: 'Đường liên xã, thôn Đồng Bình',
    commune: AN_BINH,
    step: 'rated',
    answer: 'Xã đã thay 3 bóng đèn hỏng; tuyến đèn đã sáng trở lại từ tối nay.',
  },
  {
    category: 'mat-duong',
    description: 'Ổ gà lớn giữa đường trục xã trước nhà văn hóa thôn, xe máy dễ ngã (minh họa).',
    address: 'Trước nhà văn hóa thôn An Đông',
    commune: AN_BINH,
    step: 'resolved',
    answer: 'Xã đã vá tạm ổ gà bằng đá dăm; sẽ thảm lại khi làm tuyến đường trục Đông – Tây.',
  },
  {
    category: 'ngap-ung',
    description: 'Cống thoát nước đầu làng bị tắc, nước tràn lên mặt đường sau mưa (minh họa).',
    address: 'Đầu làng Mạc Xá',
    commune: AN_BINH,
    step: 'assigned',
  },
  {
    category: 'cay-xanh',
    description: 'Cành cây xà cừ lớn bị gãy treo lơ lửng trên đường vào trường tiểu học (minh họa).',
    address: 'Đường vào Trường Tiểu học Phú Điền',
    commune: PHU_DIEN,
    reporter: { name: 'Trần Văn Bình (minh họa)', phone: '0983 000 202' },
    step: 'rated',
    answer: 'Xã đã cắt bỏ cành gãy và kiểm tra các cây còn lại trên tuyến đường.',
  },
  {
    category: 'lan-chiem',
    description: 'Quán hàng lấn chiếm vỉa hè, dựng mái che ra lòng đường tại ngã ba chợ (minh họa).',
    address: 'Ngã ba chợ Phú Điền',
    commune: PHU_DIEN,
    step: 'assigned',
  },
  {
    category: 'den-duong',
    description: 'Đèn chiếu sáng khu dân cư mới bật cả ban ngày, lãng phí điện (minh họa).',
    address: 'Khu dân cư mới Cộng Hòa',
    commune: CONG_HOA,
    step: 'assigned',
  },
  {
    category: 'rac-thai',
    description: 'Người dân đổ rác xuống mương thủy lợi cạnh cánh đồng (minh họa).',
    address: 'Mương thủy lợi cánh đồng thôn Trụ Thượng',
    commune: CONG_HOA,
    step: 'rated',
    answer: 'Xã đã vớt rác, nhắc nhở các hộ và gắn biển cấm đổ rác tại mương.',
  },
  {
    category: 'ngap-ung',
    description: 'Đoạn đường trước chợ Sao Đỏ ngập sâu mỗi khi mưa lớn (minh họa).',
    address: 'Đường trước chợ Sao Đỏ',
    commune: SAO_DO,
    reporter: { name: 'Lê Minh Tuấn (minh họa)', phone: '0904 000 303' },
    step: 'received',
  },
  {
    category: 'mat-duong',
    description: 'Vỉa hè lát gạch bị sụt lún, vỡ nhiều viên trên phố chính (minh họa).',
    address: 'Phố chính phường Phả Lại',
    commune: PHA_LAI,
    step: 'received',
  },
  {
    category: 'lan-chiem',
    description: 'Xe tải đỗ kín lòng đường trước cổng trường trung học giờ tan học (minh họa).',
    address: 'Cổng trường trung học, thị trấn Nam Sách',
    commune: NAM_SACH_TOWN,
    step: 'received',
  },
];

/** The demo's reports carry no photos: any use of the file store is a mistake in this file. */
const NO_FILES = new Proxy({} as FileStore, {
  get(_, name) {
    return () => Promise.reject(new Error(`demo feedback: the reports have no photos (file store ${String(name)})`));
  },
});

export async function loadDemoFeedback(db: Db, pool: pg.Pool): Promise<{ reports: number }> {
  const { bus, directory, calendar } = await demoPlatform(db);
  const categories = createCategoryCache({ db, bus, ttlSeconds: 3600 });
  const feedback = createFeedbackService({ db, bus, calendar, directory, files: NO_FILES, categories });
  const intake = createFeedbackIntake({ db, pool, bus, directory, categories, files: NO_FILES, feedback });
  const operator = await demoActor(db, 'dieuhanh');
  const units = new Map((await db.selectFrom('org_units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));

  for (const [n, r] of DEMO_REPORTS.entries()) {
    const fields: Record<string, string> = {
      category: r.category,
      description: r.description,
      address: r.address,
      // A few metres apart, so that reports of one commune are not on one point.
      lat: String(r.commune.lat + n * 0.0004),
      lng: String(r.commune.lng - n * 0.0003),
      ...(r.reporter ? { name: r.reporter.name, phone: r.reporter.phone, anonymous: 'false' } : {}),
    };
    const { code, token } = await intake.submit(fields, [], '127.0.0.1');
    if (!reached(r.step, 'assigned')) continue;
    const stored = await findReport(db, { code });
    if (!stored) throw new Error(`demo feedback: report ${code} was not stored`);
    const { id } = stored;
    const unitId = units.get(r.commune.code);
    if (unitId === undefined || !r.commune.officer) throw new Error(`demo feedback: ${r.commune.code} has no unit or no officer to hand it to`);
    await feedback.verify(operator, id, { unitId });
    if (!reached(r.step, 'resolved')) continue;
    await feedback.resolve(await demoActor(db, r.commune.officer), id, r.answer ?? '', []);
    if (r.step === 'rated') await intake.rate(code, { rating: 'satisfied', token });
  }
  return { reports: DEMO_REPORTS.length };
}
