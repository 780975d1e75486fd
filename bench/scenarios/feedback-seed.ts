/**
 * The data of the feedback scenario: the demo locality (demo/org-units.csv, loaded by
 * demo/load.ts: 1 province, 12 districts, 61 communes, 24 agencies, the demo users and its
 * categories), twelve categories (Open311 services; those demo/load.ts already made are used as
 * they are), and N reports generated in SQL with generate_series, spread
 * over the communes (points within ~1.6 km of the commune centre), the categories (skewed),
 * the statuses (by age: recent ones open, old ones mostly closed) and received dates over the
 * last 365 days; a resolved report carries its handling time in working hours, computed in SQL
 * from a table of the days of the period made with the application's working-day calendar (and
 * checked against `workingHoursBetween` on a sample). Indexes of feedback_reports are dropped
 * during the load and built again from their own definitions (pg_indexes) afterwards; the
 * statistics rollups are rebuilt (`feedback_stats_rebuild()`), then VACUUM ANALYZE, a CHECKPOINT,
 * and a wait for the database's autovacuum workers to finish (`settle`).
 */
import type pg from 'pg';
import { loadDemo } from '../../demo/load.js';
import { createKysely } from '../../src/db/kysely.js';
import { createFeedbackDeadlines, DEFAULT_WORKING_PERIODS } from '../../src/modules/feedback/deadline.js';
import { type CalendarException, createCalendar } from '../../src/platform/calendar/calendar.js';
import { formatIsoDate, parseIsoDate } from '../../src/platform/calendar/isoDate.js';

export interface SeedCategory {
  code: string;
  name: string;
  group: string;
  unitKind: 'commune' | 'district';
  phrases: string[];
}

export const CATEGORIES: SeedCategory[] = [
  { code: 'den-duong', name: 'Đèn chiếu sáng công cộng', group: 'Hạ tầng', unitKind: 'commune', phrases: ['Đèn đường không sáng', 'Cột đèn chiếu sáng bị nghiêng', 'Đèn đường sáng cả ban ngày', 'Bóng đèn đường bị vỡ'] },
  { code: 'rac-thai', name: 'Rác thải, vệ sinh môi trường', group: 'Môi trường', unitKind: 'commune', phrases: ['Rác thải tập kết không đúng nơi quy định', 'Xe thu gom rác không đến', 'Bãi rác tự phát bốc mùi hôi', 'Đổ trộm phế thải xây dựng'] },
  { code: 'mat-duong', name: 'Đường giao thông hư hỏng', group: 'Hạ tầng', unitKind: 'district', phrases: ['Mặt đường bị sụt lún tạo ổ gà', 'Nắp hố ga bị vỡ nguy hiểm', 'Đường bị nứt và bong tróc', 'Vỉa hè bị hư hỏng'] },
  { code: 'ngap-ung', name: 'Ngập úng, thoát nước', group: 'Hạ tầng', unitKind: 'district', phrases: ['Đường ngập sâu sau mưa', 'Cống thoát nước bị tắc', 'Nước thải chảy tràn ra đường', 'Mương thoát nước bốc mùi'] },
  { code: 'lan-chiem', name: 'Lấn chiếm lòng đường, vỉa hè', group: 'Trật tự đô thị', unitKind: 'commune', phrases: ['Quán ăn lấn chiếm vỉa hè', 'Xe đỗ lấn chiếm lòng đường', 'Dựng lều bán hàng trên vỉa hè', 'Biển quảng cáo che khuất tầm nhìn'] },
  { code: 'xay-dung', name: 'Trật tự xây dựng', group: 'Trật tự đô thị', unitKind: 'district', phrases: ['Công trình xây dựng không phép', 'Xây dựng sai giấy phép', 'Vật liệu xây dựng để trên đường', 'Công trình không che chắn gây bụi'] },
  { code: 'tieng-on', name: 'Tiếng ồn', group: 'Môi trường', unitKind: 'commune', phrases: ['Hát karaoke gây ồn sau 22 giờ', 'Xưởng sản xuất gây tiếng ồn', 'Loa kẹo kéo gây ồn ào'] },
  { code: 'cay-xanh', name: 'Cây xanh', group: 'Hạ tầng', unitKind: 'commune', phrases: ['Cây xanh có nguy cơ đổ', 'Cành cây gãy chắn đường', 'Cây xanh che khuất đèn đường'] },
  { code: 'an-ninh', name: 'An ninh trật tự', group: 'An ninh', unitKind: 'district', phrases: ['Tụ tập đua xe ban đêm', 'Trộm cắp tài sản', 'Đánh nhau gây mất trật tự'] },
  { code: 'an-toan-thuc-pham', name: 'An toàn thực phẩm', group: 'Y tế', unitKind: 'district', phrases: ['Cơ sở kinh doanh thực phẩm không đảm bảo vệ sinh', 'Bán thực phẩm không rõ nguồn gốc'] },
  { code: 'nuoc-sach', name: 'Cấp nước sinh hoạt', group: 'Hạ tầng', unitKind: 'district', phrases: ['Mất nước sinh hoạt nhiều ngày', 'Nước máy có màu đục', 'Đường ống nước bị vỡ'] },
  { code: 'khac', name: 'Khác', group: 'Khác', unitKind: 'commune', phrases: ['Đề nghị lắp đặt biển báo', 'Phản ánh về thủ tục hành chính', 'Kiến nghị khác của người dân'] },
];

export const STREETS = ['Trần Hưng Đạo', 'Nguyễn Trãi', 'Lê Lợi', 'Quang Trung', 'Hoàng Văn Thụ', 'Điện Biên Phủ', 'Thanh Niên', 'Nguyễn Lương Bằng', 'Bạch Đằng', 'Chi Lăng', 'Phạm Ngũ Lão', 'Lê Thanh Nghị'];
const PLACES = ['ngõ', 'đường', 'thôn', 'khu dân cư'];
const TAILS = ['Đề nghị cơ quan chức năng kiểm tra, xử lý.', 'Tình trạng kéo dài nhiều ngày.', 'Người dân đi lại rất khó khăn.', 'Mong được giải quyết sớm.', ''];

/** A description as the seed writes them (for requests that look like the stored ones). */
export function description(category: SeedCategory, n: number, street: string, k = 0): string {
  return `${category.phrases[k % category.phrases.length]} tại ${PLACES[n % PLACES.length]} ${n} ${street}. ${TAILS[k % TAILS.length]}`.trim();
}

export interface Commune {
  id: number;
  districtId: number;
  name: string;
  lat: number;
  lng: number;
}

export interface FeedbackData {
  provinceId: number;
  communes: Commune[];
  categories: (SeedCategory & { id: number })[];
  reports: number;
  seconds: { demo: number; insert: number; indexes: number; rollups: number; analyze: number; settle: number };
  /** Whether the seed's writes were checkpointed (CHECKPOINT needs a superuser or pg_checkpoint). */
  checkpointed: boolean;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `ARRAY[${xs.map(lit).join(', ')}]::text[]`;

/**
 * Loads everything; `log` gets progress lines. Each batch is one INSERT … SELECT over
 * generate_series; foreign keys are not checked during the load (session_replication_role =
 * replica, when the role may set it), since every id is taken from the tables it refers to.
 */
export async function seedFeedback(pool: pg.Pool, total: number, log: (m: string) => void, batch = 100_000): Promise<FeedbackData> {
  const t0 = performance.now();
  await loadDemo(createKysely(pool), pool);
  // The demo's own citizen reports go (their rollups with them, through the triggers): the seed
  // writes every report itself, numbered from 1.
  await pool.query(
    'DELETE FROM notifications WHERE report_id IS NOT NULL; DELETE FROM feedback_events; DELETE FROM feedback_photos; DELETE FROM feedback_extensions; DELETE FROM feedback_reports',
  );
  const { rows: prov } = await pool.query<{ id: number }>(`SELECT id FROM org_units WHERE kind = 'province' ORDER BY id LIMIT 1`);
  const { rows: communes } = await pool.query<Commune>(
    `SELECT id, parent_id AS "districtId", name, lat, lng FROM org_units WHERE kind = 'commune' AND lat IS NOT NULL ORDER BY id`,
  );
  // The demo's own categories are kept as they are (demo/load.ts may load some of these codes);
  // the others are added.
  const categories: FeedbackData['categories'] = [];
  for (const c of CATEGORIES) {
    await pool.query(
      `INSERT INTO feedback_categories (code, name, description, group_name, unit_kind, deadline_days) VALUES ($1, $2, $3, $4, $5, 3)
       ON CONFLICT ((lower(code))) DO NOTHING`,
      [c.code, c.name, `Phản ánh về ${c.name.toLowerCase()}`, c.group, c.unitKind],
    );
    const { rows } = await pool.query<{ id: number; code: string; unit_kind: string; active: boolean }>(
      `SELECT id, code, unit_kind, active FROM feedback_categories WHERE lower(code) = lower($1)`,
      [c.code],
    );
    if (!rows[0]?.active) throw new Error(`category ${c.code} is missing or inactive`);
    categories.push({ ...c, code: rows[0].code, unitKind: rows[0].unit_kind === 'district' ? 'district' : 'commune', id: rows[0].id });
  }
  const tDemo = performance.now();

  const client = await pool.connect();
  let tInsert = 0;
  let tIndexes = 0;
  let tRollups = 0;
  try {
    const replica = await client
      .query(`SET session_replication_role = replica`)
      .then(() => true)
      .catch(() => false);
    if (!replica) log('  (not allowed to set session_replication_role: foreign keys are checked and the statistics trigger runs during the load, which is slower)');
    await client.query(`SET synchronous_commit = off`);
    // The indexes, as the migration made them, to build again after the load.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'feedback_reports' AND indexname <> 'feedback_reports_pkey'`,
    );
    const { rows: eventIndexes } = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'feedback_events' AND indexname <> 'feedback_events_pkey'`,
    );
    indexes.push(...eventIndexes);
    for (const i of indexes) await client.query(`DROP INDEX ${i.name}`);

    await client.query(`
      CREATE TEMP TABLE bench_communes AS
        SELECT row_number() OVER (ORDER BY id)::int AS n, id, parent_id, name, lat, lng FROM org_units WHERE kind = 'commune' AND lat IS NOT NULL;
      CREATE TEMP TABLE bench_categories (n int, id int, unit_kind text, phrases text[]);
      INSERT INTO bench_categories VALUES ${categories.map((c, i) => `(${i + 1}, ${c.id}, ${lit(c.unitKind)}, ${arr(c.phrases)})`).join(', ')};
      ANALYZE bench_communes; ANALYZE bench_categories;
      SELECT setseed(0.2026);`);
    // Handling times as the application counts them (deadline.ts): per day, the working hours
    // before it and whether it is worked; a time's worked hours are those before its day plus
    // those of its day up to it, and a handling time is the difference (resolved − verified).
    const { rows: exceptions } = await client.query<CalendarException>(`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_exceptions`);
    const calendar = createCalendar(exceptions);
    const hourOf = (time: string) => Number(time.slice(0, 2)) + Number(time.slice(3)) / 60;
    const today = parseIsoDate(new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10));
    const days: string[] = [];
    for (let d = today - 400, before = 0; d <= today + 10; d++) {
      const working = calendar.isWorkingDay(formatIsoDate(d));
      days.push(`('${formatIsoDate(d)}', ${working}, ${before})`);
      if (working) before += DEFAULT_WORKING_PERIODS.reduce((n, p) => n + hourOf(p.end) - hourOf(p.start), 0);
    }
    await client.query(`CREATE TEMP TABLE bench_days (day date PRIMARY KEY, working boolean, hours_before float8);
      INSERT INTO bench_days VALUES ${days.join(', ')}; ANALYZE bench_days;`);
    const local = (at: string) => `(${at} AT TIME ZONE INTERVAL '07:00')`;
    const workedUpTo = (day: string, at: string) => {
      const clock = `extract(epoch FROM ${local(at)} - ${local(at)}::date)::float8 / 3600`;
      const within = DEFAULT_WORKING_PERIODS.map((p) => `least(greatest(${clock} - ${hourOf(p.start)}, 0), ${hourOf(p.end) - hourOf(p.start)})`).join(' + ');
      return `(${day}.hours_before + CASE WHEN ${day}.working THEN ${within} ELSE 0 END)`;
    };
    const C = communes.length;
    const K = categories.length;
    // Tracking codes: i times an odd constant modulo 2^40 (a bijection), in the 32-symbol alphabet.
    const code = `'PA' || ${Array.from({ length: 8 }, (_, k) => `substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (((g.i::bigint * 2654435761) % 1099511627776) >> ${5 * k} & 31)::int + 1, 1)`).join(' || ')}`;
    const insert = `
      INSERT INTO feedback_reports (id, code, category_id, description, address, lat, lng, area_unit_id, anonymous, status, urgent,
        suggested_unit_id, unit_id, received_at, verified_at, deadline, original_deadline, resolved_at, closed_at, answer,
        rejection_reason, rejection_text, rating, rating_comment, rated_at, merged_into, source, updated_at, handling_hours)
      SELECT s.i, s.code, s.category_id, s.description, s.address, s.lat, s.lng, s.commune_id, true, s.status, s.urgent,
        s.handler,
        CASE WHEN s.status IN ('assigned', 'in_progress', 'resolved', 'closed') THEN s.handler END,
        s.received_at, s.verified_at, s.verified_at + interval '3 days', s.verified_at + interval '3 days',
        s.resolved_at, s.closed_at,
        CASE WHEN s.resolved_at IS NOT NULL THEN 'Đơn vị đã kiểm tra và xử lý xong nội dung phản ánh.' END,
        CASE WHEN s.status = 'rejected' THEN (ARRAY['spam', 'not_enough_information', 'out_of_scope'])[1 + floor(s.r5 * 3)::int] END,
        CASE WHEN s.status = 'rejected' THEN 'Phản ánh không đủ điều kiện xử lý.' END,
        CASE WHEN s.status = 'closed' AND s.r5 < 0.7 THEN CASE WHEN s.r6 < 0.8 THEN 'satisfied' ELSE 'not_satisfied' END END,
        NULL,
        CASE WHEN s.status = 'closed' AND s.r5 < 0.7 THEN s.closed_at END,
        CASE WHEN s.status = 'merged' AND s.i > 1 THEN greatest(1, s.i - 1 - floor(s.r6 * 500)::int) END,
        CASE WHEN s.r7 < 0.1 THEN 'open311' WHEN s.r7 < 0.15 THEN 'operator' ELSE 'web' END,
        coalesce(s.closed_at, s.resolved_at, s.verified_at, s.received_at),
        CASE WHEN s.resolved_at IS NOT NULL AND s.verified_at IS NOT NULL THEN ${workedUpTo('dr', 's.resolved_at')} - ${workedUpTo('dv', 's.verified_at')} END
      FROM (
        SELECT t.*,
          CASE WHEN t.status NOT IN ('received', 'rejected', 'merged') THEN t.received_at + t.r3 * interval '6 hours' END AS verified_at,
          CASE WHEN t.status IN ('resolved', 'closed') THEN least(now(), t.received_at + interval '6 hours' + t.r4 * interval '5 days') END AS resolved_at,
          CASE WHEN t.status = 'closed' THEN least(now(), t.received_at + interval '6 hours' + t.r4 * interval '5 days' + interval '1 day' + t.r6 * interval '6 days') END AS closed_at
        FROM (
          SELECT u.i, ${code.replace(/g\.i/g, 'u.i')} AS code, k.id AS category_id,
            k.phrases[1 + (u.i % array_length(k.phrases, 1))] || ' tại ' || (ARRAY[${PLACES.map(lit).join(', ')}])[1 + u.i % ${PLACES.length}] || ' ' || (1 + u.i % 300)
              || ' ' || (ARRAY[${STREETS.map(lit).join(', ')}])[1 + (u.i / 7) % ${STREETS.length}] || '. '
              || (ARRAY[${TAILS.map(lit).join(', ')}])[1 + (u.i / 3) % ${TAILS.length}] AS description,
            (1 + u.i % 300) || ' ' || (ARRAY[${STREETS.map(lit).join(', ')}])[1 + (u.i / 7) % ${STREETS.length}] || ', ' || c.name AS address,
            c.lat + (u.r8 - 0.5) * 0.03 AS lat, c.lng + (u.r9 - 0.5) * 0.03 AS lng, c.id AS commune_id,
            CASE WHEN k.unit_kind = 'district' THEN c.parent_id ELSE c.id END AS handler,
            now() - u.age * interval '1 day' AS received_at,
            CASE
              WHEN u.age < 2 THEN CASE WHEN u.r2 < 0.5 THEN 'received' WHEN u.r2 < 0.7 THEN 'verified' WHEN u.r2 < 0.9 THEN 'assigned' ELSE 'in_progress' END
              WHEN u.age < 10 THEN CASE WHEN u.r2 < 0.05 THEN 'rejected' WHEN u.r2 < 0.08 THEN 'merged' WHEN u.r2 < 0.2 THEN 'assigned'
                                        WHEN u.r2 < 0.4 THEN 'in_progress' WHEN u.r2 < 0.8 THEN 'resolved' ELSE 'closed' END
              ELSE CASE WHEN u.r2 < 0.06 THEN 'rejected' WHEN u.r2 < 0.09 THEN 'merged' WHEN u.r2 < 0.1 THEN 'in_progress'
                        WHEN u.r2 < 0.15 THEN 'resolved' ELSE 'closed' END
            END AS status,
            u.r7 < 0.02 AS urgent, u.r3, u.r4, u.r5, u.r6, u.r7
          FROM (
            SELECT g.i, random() * 365 AS age, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
              random() AS r6, random() AS r7, random() AS r8, random() AS r9, 1 + floor(random() * ${C})::int AS cn
            FROM generate_series($1::int, $2::int) AS g(i)
          ) u
          JOIN bench_communes c ON c.n = u.cn
          JOIN bench_categories k ON k.n = 1 + floor(power(u.r1, 1.3) * ${K})::int
        ) t
      ) s
      LEFT JOIN bench_days dv ON dv.day = ${local('s.verified_at')}::date
      LEFT JOIN bench_days dr ON dr.day = ${local('s.resolved_at')}::date`;
    const t1 = performance.now();
    for (let lo = 1; lo <= total; lo += batch) {
      const hi = Math.min(total, lo + batch - 1);
      // Interrupted (Ctrl-C): the run is ending its pool to drop the database; stop here.
      if ((pool as pg.Pool & { ending?: boolean }).ending) throw new Error('seeding interrupted');
      await client.query(insert, [lo, hi]);
      const s = (performance.now() - t1) / 1000;
      log(`  reports ${hi.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${s.toFixed(1)} s, ${Math.round(hi / s).toLocaleString('en-US')} rows/s)`);
    }
    await client.query(`SELECT setval(pg_get_serial_sequence('feedback_reports', 'id'), ${total})`);
    // The SQL handling times are the application's, on a sample.
    const { workingHoursBetween } = createFeedbackDeadlines({ calendar });
    const { rows: sample } = await client.query<{ id: number; verified_at: Date; resolved_at: Date; handling_hours: number }>(
      `SELECT id, verified_at, resolved_at, handling_hours FROM feedback_reports WHERE handling_hours IS NOT NULL AND id % 97 = 0 LIMIT 2000`,
    );
    for (const r of sample) {
      const expected = workingHoursBetween(r.verified_at, r.resolved_at);
      // pg's Date keeps milliseconds, PostgreSQL microseconds: 1 ms is 3e-7 h.
      if (Math.abs(expected - r.handling_hours) > 1e-6) throw new Error(`report ${r.id}: handling_hours ${r.handling_hours} in SQL, ${expected} by the calendar`);
    }
    if (sample.length === 0) throw new Error('no resolved report carries a handling time');
    // The timeline: the submission, and for a report past 'received' the step that brought it to
    // its state (Open311 answers read the latest event's time as updated_datetime).
    const te = performance.now();
    await client.query(`
      INSERT INTO feedback_events (report_id, action, from_status, to_status, at, public, actor_role, details)
      SELECT id, 'submit', NULL, 'received', received_at, true, 'reporter', '{"photos":0}' FROM feedback_reports;
      INSERT INTO feedback_events (report_id, action, from_status, to_status, at, public, actor_role, unit_id, details)
      SELECT id, CASE status WHEN 'verified' THEN 'verify' WHEN 'assigned' THEN 'assign' WHEN 'in_progress' THEN 'start'
                             WHEN 'resolved' THEN 'resolve' WHEN 'closed' THEN 'close' WHEN 'rejected' THEN 'reject' ELSE 'merge' END,
             'received', status, updated_at, true, CASE WHEN status IN ('in_progress', 'resolved') THEN 'unit' ELSE 'operator' END, unit_id, '{}'
      FROM feedback_reports WHERE status <> 'received'`);
    const { rows: ev } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM feedback_events`);
    log(`  timeline events ${ev[0].n.toLocaleString('en-US')} (${((performance.now() - te) / 1000).toFixed(1)} s)`);
    tInsert = performance.now();

    // Build the indexes again, two at a time (two cores), the slowest (trigram GIN) first.
    const queue = [...indexes].sort((a, b) => Number(/gin/i.test(b.def)) - Number(/gin/i.test(a.def)));
    const builder = async (c: pg.PoolClient) => {
      await c.query(`SET maintenance_work_mem = '256MB'`);
      await c.query(`SET max_parallel_maintenance_workers = 0`);
      for (let next = queue.shift(); next; next = queue.shift()) {
        const t = performance.now();
        await c.query(next.def);
        log(`  index ${next.name} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
      }
    };
    const second = await pool.connect();
    try {
      await Promise.all([builder(client), builder(second)]);
    } finally {
      second.release();
    }
    tIndexes = performance.now();
    await client.query(`RESET session_replication_role`);
    // The trigger that keeps the statistics rollups did not run during the load (replica role).
    await client.query('SELECT feedback_stats_rebuild()');
    tRollups = performance.now();
    log(`  statistics rollups (${((tRollups - tIndexes) / 1000).toFixed(1)} s)`);
  } finally {
    client.release();
  }
  await Promise.all([pool.query('VACUUM ANALYZE feedback_reports'), pool.query('VACUUM ANALYZE feedback_events')]);
  await pool.query('VACUUM ANALYZE');
  const tAnalyze = performance.now();
  const checkpointed = await settle(pool, log);
  const tSettle = performance.now();
  return {
    provinceId: prov[0].id,
    communes,
    categories,
    reports: total,
    seconds: {
      demo: (tDemo - t0) / 1000,
      insert: (tInsert - tDemo) / 1000,
      indexes: (tIndexes - tInsert) / 1000,
      rollups: (tRollups - tIndexes) / 1000,
      analyze: (tAnalyze - tRollups) / 1000,
      settle: (tSettle - tAnalyze) / 1000,
    },
    checkpointed,
  };
}

/**
 * Leaves the database as a server that had been running for a while would have it, so that the
 * measurements after the seed do not pay for it: the seed writes gigabytes of WAL, and without a
 * CHECKPOINT here the checkpoints that WAL requested would still be writing its pages out (and
 * every page first changed after one is logged whole) while the writes are measured. Then waits,
 * up to `maxSeconds`, until no autovacuum worker is busy on the database. False when the role may
 * not CHECKPOINT.
 */
async function settle(pool: pg.Pool, log: (m: string) => void, maxSeconds = 120): Promise<boolean> {
  const t = performance.now();
  const checkpointed = await pool
    .query('CHECKPOINT')
    .then(() => true)
    .catch((err: { code?: string }) => {
      if (err.code !== '42501') throw err;
      return false;
    });
  log(checkpointed ? `  CHECKPOINT (${((performance.now() - t) / 1000).toFixed(1)} s)` : '  (not allowed to CHECKPOINT: the seed\'s writes may still be checkpointed during the measurements)');
  const t1 = performance.now();
  for (;;) {
    const { rows } = await pool.query<{ tables: string[] }>(
      `SELECT coalesce(array_agg(query), '{}') AS tables FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'autovacuum worker'`,
    );
    const waited = (performance.now() - t1) / 1000;
    if (rows[0].tables.length === 0) {
      if (waited > 1) log(`  autovacuum done (waited ${waited.toFixed(0)} s)`);
      return checkpointed;
    }
    if (waited > maxSeconds) {
      log(`  autovacuum still busy after ${maxSeconds} s (${rows[0].tables.join('; ')}): measuring anyway`);
      return checkpointed;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
