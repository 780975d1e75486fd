// Demo dossiers (hồ sơ thủ tục hành chính) of Hải Dương: a catalogue of the procedures its
// communes, districts and departments handle most, the province's one-stop system as the source,
// and about 5,000 dossiers over the last 15 months: mostly on time, some late, some with a
// supplement request, some still open (within or past their deadline), in person, online or by
// post, with fees paid online or not. Everything is made up; the generator is deterministic.

import { sql } from 'kysely';
import type { Queryable } from '../src/db/kysely.js';
import { businessDateOf, startOfBusinessDay } from '../src/platform/calendar/businessTime.js';
import type { WorkingCalendar } from '../src/platform/calendar/calendar.js';
import { writeDossiers } from '../src/modules/dossiers/writer.js';
import type { DossierInput } from '../src/modules/dossiers/dossier-row.js';
import { type SupplementRequest, baseDueDate, dossierDeadline } from '../src/modules/dossiers/rules/deadline.js';
import type { DossierChannel, DossierEvent, DossierStatus } from '../src/modules/dossiers/rules/statuses.js';

export const DEMO_SOURCE = { code: 'MOTCUA_HD', name: 'Hệ thống thông tin giải quyết TTHC tỉnh Hải Dương' } as const;

export interface DemoProcedure {
  /** National code on the public-service portal (mã thủ tục). */
  code: string;
  name: string;
  level: 'province' | 'district' | 'commune';
  unitKinds: ('province' | 'district' | 'commune' | 'agency')[];
  /** Legal processing time in working days (0: within the day). */
  days: number;
  /** Fee in đồng; null when the procedure bears none. */
  fee: number | null;
  online: 'full' | 'partial' | 'none';
  /** In force since this many months before the demo is loaded. */
  inForceMonths: number;
  /** Announced and published before it came into force (false: published late). */
  publishedOnTime: boolean;
  /** How often it is filed, relative to the others of its level. */
  weight: number;
  /** A provincial department's procedure: the department's unit code. */
  department?: string;
}

const commune = (p: Omit<DemoProcedure, 'level' | 'unitKinds'>): DemoProcedure => ({ ...p, level: 'commune', unitKinds: ['commune'] });
const district = (p: Omit<DemoProcedure, 'level' | 'unitKinds'>): DemoProcedure => ({ ...p, level: 'district', unitKinds: ['district'] });
const province = (p: Omit<DemoProcedure, 'level' | 'unitKinds'> & { department: string }): DemoProcedure => ({ ...p, level: 'province', unitKinds: ['agency'] });

/** The procedures a Hải Dương commune, district or department receives most often. */
export const DEMO_PROCEDURES: readonly DemoProcedure[] = [
  commune({ code: '1.001193.000.00.00.H23', name: 'Đăng ký khai sinh', days: 0, fee: null, online: 'full', inForceMonths: 60, publishedOnTime: true, weight: 14 }),
  commune({ code: '1.000656.000.00.00.H23', name: 'Đăng ký khai tử', days: 0, fee: null, online: 'full', inForceMonths: 60, publishedOnTime: true, weight: 5 }),
  commune({ code: '1.000894.000.00.00.H23', name: 'Đăng ký kết hôn', days: 0, fee: null, online: 'partial', inForceMonths: 60, publishedOnTime: true, weight: 6 }),
  commune({ code: '1.004873.000.00.00.H23', name: 'Cấp Giấy xác nhận tình trạng hôn nhân', days: 3, fee: 15000, online: 'full', inForceMonths: 60, publishedOnTime: true, weight: 8 }),
  commune({ code: '2.000815.000.00.00.H23', name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc chứng nhận', days: 0, fee: 2000, online: 'partial', inForceMonths: 48, publishedOnTime: true, weight: 20 }),
  commune({ code: '2.000884.000.00.00.H23', name: 'Chứng thực chữ ký trong các giấy tờ, văn bản', days: 0, fee: 10000, online: 'none', inForceMonths: 48, publishedOnTime: true, weight: 7 }),
  commune({ code: '2.001035.000.00.00.H23', name: 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở', days: 2, fee: 50000, online: 'none', inForceMonths: 48, publishedOnTime: true, weight: 6 }),
  commune({ code: '1.004884.000.00.00.H23', name: 'Cấp bản sao Trích lục hộ tịch', days: 0, fee: 8000, online: 'full', inForceMonths: 36, publishedOnTime: true, weight: 6 }),
  commune({ code: '1.001022.000.00.00.H23', name: 'Đăng ký nhận cha, mẹ, con', days: 3, fee: 15000, online: 'partial', inForceMonths: 36, publishedOnTime: false, weight: 2 }),
  commune({ code: '1.004837.000.00.00.H23', name: 'Đăng ký giám hộ', days: 3, fee: null, online: 'partial', inForceMonths: 36, publishedOnTime: true, weight: 1 }),
  commune({ code: '2.000286.000.00.00.H23', name: 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', days: 3, fee: 15000, online: 'full', inForceMonths: 10, publishedOnTime: true, weight: 3 }),
  commune({ code: '1.001653.000.00.00.H23', name: 'Xác nhận hộ gia đình làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình', days: 5, fee: null, online: 'partial', inForceMonths: 5, publishedOnTime: false, weight: 2 }),

  district({ code: '2.000575.000.00.00.H23', name: 'Đăng ký thành lập hộ kinh doanh', days: 3, fee: 100000, online: 'full', inForceMonths: 14, publishedOnTime: true, weight: 12 }),
  district({ code: '2.000720.000.00.00.H23', name: 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', days: 3, fee: 50000, online: 'full', inForceMonths: 14, publishedOnTime: true, weight: 6 }),
  district({ code: '1.009994.000.00.00.H23', name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', days: 15, fee: 75000, online: 'partial', inForceMonths: 40, publishedOnTime: true, weight: 8 }),
  district({ code: '1.004227.000.00.00.H23', name: 'Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất', days: 7, fee: 50000, online: 'partial', inForceMonths: 12, publishedOnTime: true, weight: 12 }),
  district({ code: '1.004221.000.00.00.H23', name: 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế', days: 10, fee: 50000, online: 'partial', inForceMonths: 12, publishedOnTime: false, weight: 14 }),
  district({ code: '1.004269.000.00.00.H23', name: 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu', days: 20, fee: 100000, online: 'partial', inForceMonths: 12, publishedOnTime: true, weight: 5 }),
  district({ code: '2.000355.000.00.00.H23', name: 'Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống', days: 15, fee: 700000, online: 'full', inForceMonths: 30, publishedOnTime: true, weight: 3 }),
  district({ code: '2.000633.000.00.00.H23', name: 'Cấp Giấy phép bán lẻ sản phẩm rượu', days: 10, fee: 1200000, online: 'full', inForceMonths: 30, publishedOnTime: true, weight: 2 }),
  district({ code: '1.001766.000.00.00.H23', name: 'Đăng ký khai sinh có yếu tố nước ngoài', days: 15, fee: 100000, online: 'partial', inForceMonths: 48, publishedOnTime: true, weight: 1 }),
  district({ code: '1.001776.000.00.00.H23', name: 'Giải quyết trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội', days: 12, fee: null, online: 'partial', inForceMonths: 8, publishedOnTime: true, weight: 5 }),
  district({ code: '1.010832.000.00.00.H23', name: 'Thủ tục hưởng mai táng phí, trợ cấp một lần khi người có công với cách mạng từ trần', days: 12, fee: null, online: 'none', inForceMonths: 8, publishedOnTime: false, weight: 2 }),

  province({ code: '2.001610.000.00.00.H23', name: 'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên', days: 3, fee: 50000, online: 'full', inForceMonths: 36, publishedOnTime: true, weight: 10, department: 'HD-SKHDT' }),
  province({ code: '2.002037.000.00.00.H23', name: 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp', days: 3, fee: 50000, online: 'full', inForceMonths: 36, publishedOnTime: true, weight: 8, department: 'HD-SKHDT' }),
  province({ code: '1.009972.000.00.00.H23', name: 'Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV', days: 20, fee: 150000, online: 'partial', inForceMonths: 40, publishedOnTime: true, weight: 3, department: 'HD-SXD' }),
  province({ code: '1.002804.000.00.00.H23', name: 'Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', days: 5, fee: 135000, online: 'full', inForceMonths: 24, publishedOnTime: true, weight: 12, department: 'HD-SGTVT' }),
  province({ code: '1.010727.000.00.00.H23', name: 'Cấp giấy phép môi trường (thẩm quyền của Ủy ban nhân dân cấp tỉnh)', days: 30, fee: 2500000, online: 'partial', inForceMonths: 13, publishedOnTime: false, weight: 1, department: 'HD-STNMT' }),
  province({ code: '1.003880.000.00.00.H23', name: 'Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp', days: 10, fee: null, online: 'full', inForceMonths: 20, publishedOnTime: true, weight: 1, department: 'HD-STTTT' }),
  province({ code: '1.005384.000.00.00.H23', name: 'Thẩm định thành lập đơn vị sự nghiệp công lập', days: 20, fee: null, online: 'none', inForceMonths: 20, publishedOnTime: true, weight: 1, department: 'HD-SNV' }),
  province({ code: '1.008413.000.00.00.H23', name: 'Cấp mã số đơn vị có quan hệ với ngân sách', days: 2, fee: null, online: 'full', inForceMonths: 3, publishedOnTime: true, weight: 2, department: 'HD-STC' }),
];

/** The catalogue row of a demo procedure, its dates counted back from `today` ('YYYY-MM-DD'). */
export function procedureDates(p: DemoProcedure, today: string): { effectiveOn: string; announcedOn: string; publishedOn: string } {
  const [y, m] = today.split('-').map(Number);
  const months = y * 12 + (m - 1) - p.inForceMonths;
  const effectiveOn = `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01`;
  const shift = (days: number) => businessDateOf(new Date(startOfBusinessDay(effectiveOn).getTime() + days * DAY + 12 * HOUR));
  // Announced three weeks ahead; published a week ahead, or ten days late for the stragglers.
  return { effectiveOn, announcedOn: shift(-21), publishedOn: shift(p.publishedOnTime ? -7 : 10) };
}

/** A unit of demo/org-units.csv. */
export interface DemoUnit {
  code: string;
  kind: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Office hours, in minutes after midnight (Asia/Ho_Chi_Minh): 07:30–17:00. */
const OPENS = 7 * 60 + 30;
const CLOSES = 17 * 60;

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đỗ', 'Bùi', 'Đặng', 'Ngô'];
const GIVEN = ['Thị Lan', 'Văn Hùng', 'Thị Hương', 'Minh Tuấn', 'Thị Thu Trang', 'Văn Nam', 'Thị Mai', 'Đức Anh', 'Thị Hà', 'Quang Huy', 'Thị Ngọc', 'Văn Thắng'];
/** The share of each level among dossiers: communes receive most, departments least. */
const LEVEL_SHARE = { commune: 0.55, district: 0.35, province: 0.1 } as const;

/** A small seeded generator (mulberry32), so that every demo load has the same dossiers. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * About `count` dossiers received in the 15 months before `now`, across the communes, districts
 * and departments among `units`; the facts after `now` are not known yet (open dossiers).
 */
export function demoDossiers(input: { units: readonly DemoUnit[]; calendar: WorkingCalendar; now: Date; count?: number; seed?: number }): DossierInput[] {
  const { calendar, now } = input;
  const rng = random(input.seed ?? 2021);
  const chance = (p: number) => rng() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const weighted = <T extends { weight: number }>(items: readonly T[]): T => {
    let left = rng() * items.reduce((sum, i) => sum + i.weight, 0);
    for (const item of items) {
      left -= item.weight;
      if (left < 0) return item;
    }
    return items[items.length - 1];
  };

  const unitsOf = (kind: string) => input.units.filter((u) => u.kind === kind).map((u) => u.code);
  const receivers = { commune: unitsOf('commune'), district: unitsOf('district') };
  const departments = new Set(unitsOf('agency'));
  const procedures = {
    commune: DEMO_PROCEDURES.filter((p) => p.level === 'commune'),
    district: DEMO_PROCEDURES.filter((p) => p.level === 'district'),
    province: DEMO_PROCEDURES.filter((p) => p.level === 'province' && p.department && departments.has(p.department)),
  };
  const handlers = new Map<string, string[]>();
  const handlerOf = (unit: string) => {
    let names = handlers.get(unit);
    if (!names) {
      names = Array.from({ length: 3 }, () => `${pick(SURNAMES)} ${pick(GIVEN)}`);
      handlers.set(unit, names);
    }
    return pick(names);
  };

  /** The instant `minutes` after midnight on business date `date`. */
  const at = (date: string, minutes: number) => new Date(startOfBusinessDay(date).getTime() + minutes * MINUTE);
  /** `t` when it falls in office hours on a working day, else a moment early on the next working day. */
  const officeTime = (t: Date): Date => {
    const date = businessDateOf(t);
    const minutes = (t.getTime() - startOfBusinessDay(date).getTime()) / MINUTE;
    if (calendar.isWorkingDay(date) && minutes >= OPENS && minutes < CLOSES) return t;
    const next = calendar.isWorkingDay(date) && minutes < OPENS ? date : calendar.addWorkingDays(date, 1);
    return at(next, OPENS + between(0, 150));
  };
  /** A moment in office hours `days` working days after `t`'s day, and after `t` itself. */
  const afterWorkingDays = (t: Date, days: number) => {
    const later = at(calendar.addWorkingDays(businessDateOf(t), days), OPENS + between(30, 540));
    return later.getTime() > t.getTime() ? later : new Date(t.getTime() + between(10, 90) * MINUTE);
  };

  const from = now.getTime() - 456 * DAY; // 15 months
  const codes = new Map<string, number>();
  const out: DossierInput[] = [];
  const count = input.count ?? 5000;
  while (out.length < count) {
    const level = ((r) => (r < LEVEL_SHARE.commune ? 'commune' : r < LEVEL_SHARE.commune + LEVEL_SHARE.district ? 'district' : 'province'))(rng());
    if (procedures[level].length === 0 || (level !== 'province' && receivers[level].length === 0)) continue;
    const procedure = weighted(procedures[level]);
    const unit = level === 'province' ? (procedure.department as string) : pick(receivers[level]);
    // More dossiers in recent months, as online filing and the one-stop system spread.
    const progress = rng() ** 0.8;
    const filed = new Date(Math.floor((from + progress * (now.getTime() - from)) / MINUTE) * MINUTE);
    const onlineShare = procedure.online === 'full' ? 0.35 + 0.3 * progress : procedure.online === 'partial' ? 0.15 + 0.2 * progress : 0;
    const channel: DossierChannel = chance(onlineShare) ? 'online' : chance(0.03) ? 'post' : 'in_person';
    // Online: filed at any hour, accepted in office hours; in person and by post: received in office hours.
    const receivedAt = channel === 'online' ? officeTime(new Date(filed.getTime() + between(10, 120) * MINUTE)) : officeTime(at(businessDateOf(filed), OPENS + between(0, 540)));
    if (receivedAt.getTime() >= now.getTime()) continue;

    const promisedReturnDate = baseDueDate(calendar, { receivedAt, promisedReturnDate: null, processingWorkingDays: procedure.days });
    const events: DossierEvent[] = [];
    const supplements: SupplementRequest[] = [];
    const push = (status: DossierStatus, t: Date) => events.push({ status, at: t });
    if (channel === 'online') push('registered', new Date(Math.min(filed.getTime(), receivedAt.getTime() - 5 * MINUTE)));
    push('accepted', receivedAt);

    const fate = rng();
    let late = false;
    if (fate < 0.012) {
      push('not_accepted', new Date(receivedAt.getTime() + between(20, 180) * MINUTE));
    } else {
      let resumed = new Date(receivedAt.getTime() + between(10, 180) * MINUTE);
      push('in_process', resumed);
      const requests = chance(0.012) ? 2 : chance(0.08) ? 1 : 0;
      for (let i = 0; i < requests; i++) {
        const askedAt = afterWorkingDays(resumed, between(0, Math.max(1, Math.ceil(procedure.days / 2))));
        const answeredAt = afterWorkingDays(askedAt, between(1, 6));
        supplements.push({ askedAt, answeredAt });
        push('supplement_requested', askedAt);
        push('in_process', answeredAt);
        resumed = answeredAt;
      }
      const facts = { receivedAt, promisedReturnDate, processingWorkingDays: procedure.days, supplements };
      const dueAt = dossierDeadline(calendar, facts, new Date(8.64e15)).dueAt;
      if (procedure.fee && chance(0.25)) push('payment_requested', new Date(resumed.getTime() + between(30, 240) * MINUTE));
      late = requests > 1 || chance(0.035);
      if (fate < 0.022) {
        push('withdrawn', officeTime(new Date(resumed.getTime() + rng() * Math.max(HOUR, dueAt.getTime() - resumed.getTime()))));
      } else if (!(chance(0.02) && receivedAt.getTime() > now.getTime() - 90 * DAY)) {
        // Finished: on time somewhere before the end of the due day, or late by up to two weeks.
        const onTime = new Date(resumed.getTime() + rng() * Math.max(HOUR, dueAt.getTime() - resumed.getTime()));
        let finished = late ? afterWorkingDays(dueAt, between(1, 10)) : officeTime(onTime);
        if (!late && finished.getTime() > dueAt.getTime()) finished = new Date(Math.max(resumed.getTime() + 10 * MINUTE, at(businessDateOf(dueAt), CLOSES - between(15, 120)).getTime()));
        push('processed', finished);
        if (chance(0.88)) push('returned', officeTime(new Date(finished.getTime() + between(0, 3) * DAY + between(10, 240) * MINUTE)));
      }
    }

    // What happened after `now` is not known yet.
    const known = events.filter((e) => e.at.getTime() <= now.getTime());
    const knownSupplements = supplements
      .filter((s) => s.askedAt.getTime() <= now.getTime())
      .map((s) => ({ askedAt: s.askedAt, answeredAt: s.answeredAt && s.answeredAt.getTime() <= now.getTime() ? s.answeredAt : null }));
    const result = known.some((e) => e.status === 'processed');
    const returned = known.some((e) => e.status === 'returned');
    const fee = procedure.fee === null ? null : chance(0.04) ? 0 : procedure.fee;

    const day = businessDateOf(receivedAt);
    const key = `${unit}-${day.slice(2).replaceAll('-', '')}`;
    const seq = (codes.get(key) ?? 0) + 1;
    codes.set(key, seq);
    out.push({
      code: `${key}-${String(seq).padStart(4, '0')}`,
      procedureCode: procedure.code,
      receivingUnitCode: unit,
      channel,
      receivedAt,
      promisedReturnDate,
      handler: handlerOf(unit),
      events: known,
      supplements: knownSupplements,
      fee,
      paidOnline: fee ? chance(channel === 'online' ? 0.7 : 0.08) : null,
      synced: chance(0.97),
      digitised: chance(0.55 + 0.3 * progress),
      electronicResult: result && chance(0.45 + 0.3 * progress),
      reusedData: chance(0.15 + 0.2 * progress),
      rating: returned && chance(0.35) ? (chance(late ? 0.3 : 0.03) ? 'dissatisfied' : chance(0.45) ? 'very_satisfied' : 'satisfied') : null,
      complaint: chance(late ? 0.05 : 0.003),
    });
  }
  return out;
}

/**
 * Loads the source, the catalogue and the dossiers through the dossiers' writer, in the caller's
 * transaction; fails when the writer rejects any of them.
 */
export async function loadDemoDossiers(trx: Queryable, units: readonly DemoUnit[], calendar: WorkingCalendar, now = new Date()) {
  const today = businessDateOf(now);
  const { rows } = await sql<{ id: number }>`INSERT INTO dossier_sources (code, name) VALUES (${DEMO_SOURCE.code}, ${DEMO_SOURCE.name}) RETURNING id`.execute(trx);
  const dates = DEMO_PROCEDURES.map((p) => procedureDates(p, today));
  const column = <T>(value: (p: DemoProcedure, i: number) => T) => DEMO_PROCEDURES.map(value);
  // unit_kinds travels as the text of an array ('{commune}'), cast per row: unnest flattens arrays of arrays.
  await sql`INSERT INTO dossier_procedures (code, name, level, unit_kinds, processing_days, has_fee, online, effective_on, announced_on, published_on)
    SELECT code, name, level, kinds::text[], days, has_fee, online, effective_on, announced_on, published_on
    FROM unnest(${column((p) => p.code)}::text[], ${column((p) => p.name)}::text[], ${column((p) => p.level)}::text[],
      ${column((p) => `{${p.unitKinds.join(',')}}`)}::text[], ${column((p) => p.days)}::int[], ${column((p) => p.fee !== null)}::boolean[],
      ${column((p) => p.online)}::text[], ${column((_, i) => dates[i].effectiveOn)}::date[], ${column((_, i) => dates[i].announcedOn)}::date[],
      ${column((_, i) => dates[i].publishedOn)}::date[])
      AS u(code, name, level, kinds, days, has_fee, online, effective_on, announced_on, published_on)`.execute(trx);
  const dossiers = demoDossiers({ units, calendar, now });
  const results = await writeDossiers(trx, rows[0].id, dossiers, { calendar, now });
  const rejected = results.filter((r) => r.result === 'rejected');
  if (rejected.length > 0) throw new Error(`demo dossiers rejected by the writer: ${JSON.stringify(rejected.slice(0, 3))}`);
  return { procedures: DEMO_PROCEDURES.length, dossiers: dossiers.length };
}
