/**
 * The data of the tasks scenario: 1 province → 300 units (20 departments, 20 districts with 8 to
 * 18 communes each, 260 communes), a leader and an officer in each unit, and N directed tasks
 * issued over the last two years, generated in SQL (set-based: a plan of every task's life in
 * working-day ranks, then one INSERT … SELECT per table).
 *
 * - Top-level tasks: the province's to its departments and districts, a district's to itself or
 *   its communes, a department's to itself; sub-tasks split a district's task to its communes
 *   (issued a few working days after the parent, due no later than the parent's deadline,
 *   finished no later than the parent).
 * - Deadlines 5 to 90 working days after issue on a calendar made with the application's
 *   (holidays and weekends off); 12% of the tasks with one approved extension and 3% with two
 *   (`due_changed_at`, `due_before`, `original_due_on`), a few pending.
 * - Completions mostly on time, ~20% late, 3% never finished (overdue now); 2% drafts, 2%
 *   cancelled; what lies after now has not happened yet (recent tasks in progress or submitted).
 * - Progress reports every ~12 days of work (the last one at 100% when the result was
 *   submitted), the history (created, issued, split, reported, extension requested/approved,
 *   submitted, accepted, cancelled), parents' rolled-up progress.
 * Secondary indexes of the task tables are dropped during the load and built again from their own
 * definitions; then VACUUM ANALYZE.
 */
import type pg from 'pg';
import { formatIsoDate } from '../../src/platform/calendar/isoDate.js';
import { seedWorkingDays } from '../lib/working-days.js';

const DAY_MS = 86_400_000;
/** Communes of each of the 20 districts (260 in all). */
const COMMUNES = [18, 9, 14, 11, 16, 12, 10, 15, 13, 8, 17, 12, 14, 11, 13, 15, 10, 12, 16, 14];
const DEPARTMENTS = [
  'Sở Nội vụ', 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư', 'Sở Xây dựng', 'Sở Giao thông vận tải', 'Sở Tài nguyên và Môi trường',
  'Sở Nông nghiệp và Phát triển nông thôn', 'Sở Công Thương', 'Sở Giáo dục và Đào tạo', 'Sở Y tế', 'Sở Lao động - Thương binh và Xã hội',
  'Sở Văn hóa, Thể thao và Du lịch', 'Sở Thông tin và Truyền thông', 'Sở Khoa học và Công nghệ', 'Sở Tư pháp', 'Thanh tra tỉnh',
  'Văn phòng UBND tỉnh', 'Ban Quản lý các khu công nghiệp', 'Ban Dân tộc', 'Công an tỉnh',
];
const TITLES = [
  'Triển khai kế hoạch chuyển đổi số', 'Rà soát, tháo gỡ vướng mắc giải phóng mặt bằng dự án đường tỉnh 389',
  'Báo cáo tình hình thực hiện chỉ tiêu kinh tế - xã hội quý', 'Kiểm tra công tác phòng cháy, chữa cháy tại các chợ',
  'Xây dựng phương án phòng, chống thiên tai mùa mưa bão', 'Đẩy nhanh tiến độ giải ngân vốn đầu tư công',
  'Tổ chức đối thoại với người dân về thu hồi đất', 'Hoàn thiện hồ sơ đề nghị công nhận xã nông thôn mới nâng cao',
  'Xử lý dứt điểm phản ánh của người dân về ô nhiễm môi trường', 'Nâng cao chỉ số cải cách hành chính (PAR Index)',
  'Rà soát thủ tục hành chính trực tuyến toàn trình', 'Kiểm tra an toàn thực phẩm dịp Tết Nguyên đán',
  'Chỉnh trang đô thị, lập lại trật tự hành lang giao thông', 'Tổng kết thực hiện Nghị quyết về phát triển du lịch',
  'Xây dựng kế hoạch tuyển sinh đầu cấp', 'Hỗ trợ doanh nghiệp tháo gỡ khó khăn về mặt bằng sản xuất',
  'Cập nhật cơ sở dữ liệu dân cư phục vụ Đề án 06', 'Rà soát hộ nghèo, hộ cận nghèo',
];
const RESULTS = [
  'Báo cáo kết quả gửi UBND tỉnh', 'Kế hoạch được phê duyệt', 'Văn bản đề xuất giải pháp', 'Hồ sơ hoàn chỉnh trình thẩm định',
  'Biên bản kiểm tra và kiến nghị xử lý', 'Số liệu cập nhật trên hệ thống',
];
const REPORTS = ['Đã tổ chức họp triển khai, phân công cán bộ phụ trách', 'Đang khảo sát, thu thập số liệu', 'Đã hoàn thành dự thảo, đang lấy ý kiến', 'Đang hoàn thiện hồ sơ'];

export interface TaskData {
  provinceId: number;
  departmentIds: number[];
  districtIds: number[];
  /** Units under the province (300). */
  unitCount: number;
  /** The instant the generated histories are cut at (nothing after it is known). */
  now: Date;
  /** The bench user's sign-in: leader of the province. */
  username: string;
  seconds: { units: number; insert: number; indexes: number; analyze: number };
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `ARRAY[${xs.map(lit).join(', ')}]`;

/**
 * 1 province (id 1), departments 2..21, districts 22..41, communes 42..301 (each district's
 * contiguous); a leader (1000 + unit) and an officer (2000 + unit) in each unit.
 */
async function seedUnitsAndUsers(client: pg.PoolClient, passwordHash: string) {
  let next = 42;
  const districts = COMMUNES.map((communes, n) => {
    const d = { n, id: 22 + n, first: next, communes };
    next += communes;
    return d;
  });
  await client.query(`
    CREATE TEMP TABLE bench_district (n int PRIMARY KEY, id int NOT NULL, first int NOT NULL, communes int NOT NULL);
    INSERT INTO bench_district VALUES ${districts.map((d) => `(${d.n}, ${d.id}, ${d.first}, ${d.communes})`).join(', ')};
    CREATE UNIQUE INDEX ON bench_district (id);
    INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
    VALUES (1, 'BENCH-T', 'Tỉnh Thử Nghiệm', 'province', NULL, '/1/', 1);
    INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
    SELECT 1 + s, 'BENCH-S' || lpad(s::text, 2, '0'), (${arr(DEPARTMENTS)})[s], 'agency', 1, '/1/' || (1 + s) || '/', 2 FROM generate_series(1, 20) AS s;
    INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
    SELECT id, 'BENCH-H' || lpad((n + 1)::text, 2, '0'), 'Huyện Thử Nghiệm số ' || (n + 1), 'district', 1, '/1/' || id || '/', 2 FROM bench_district;
    INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
    SELECT d.first + c, 'BENCH-X' || (d.first + c), 'Xã Thử Nghiệm số ' || (d.first + c - 41), 'commune', d.id, '/1/' || d.id || '/' || (d.first + c) || '/', 3
    FROM bench_district d, generate_series(0, d.communes - 1) AS c;
    SELECT setval(pg_get_serial_sequence('org_units', 'id'), ${next - 1});
    INSERT INTO users (id, username, full_name, org_unit_id, password_hash)
    SELECT 1000 + id, 'bench.leader.' || id, 'Lãnh đạo ' || name, id, ${lit(passwordHash)} FROM org_units
    UNION ALL
    SELECT 2000 + id, 'bench.officer.' || id, 'Chuyên viên ' || name, id, ${lit(passwordHash)} FROM org_units;
    SELECT setval(pg_get_serial_sequence('users', 'id'), 3000);
    INSERT INTO user_grants (user_id, role, org_unit_id)
    SELECT 1000 + id, 'leader', id FROM org_units UNION ALL SELECT 2000 + id, 'officer', id FROM org_units;
    ANALYZE org_units; ANALYZE bench_district;`);
  return { departmentIds: Array.from({ length: 20 }, (_, i) => 2 + i), districtIds: districts.map((d) => d.id), unitCount: next - 2 };
}

/**
 * The working days of the two years before `today` and the years after it (bench/lib/working-days.ts),
 * and the ranks of the first and the last working day tasks are issued on: two years up to yesterday.
 */
async function seedCalendar(client: pg.PoolClient, today: string) {
  await seedWorkingDays(client, today, { before: 760, after: 900 });
  const { rows } = await client.query<{ lo: number; hi: number }>(
    `SELECT (SELECT rank + 1 FROM bench_days WHERE day = $1::date - 730) AS lo, (SELECT rank FROM bench_days WHERE day = $1::date - 1) AS hi`,
    [today],
  );
  return rows[0];
}

/**
 * The plan of every task in working-day ranks: issue (r0, at tod), deadline r0 + n, up to two
 * extensions (approved on rank a1/a2, adding x1/x2 working days), completion on rank c (if ever),
 * cancellation on rank cancel_rank. Top-level tasks first, then the sub-tasks of some of them.
 */
function planSql(top: number, sub: number, lo: number, hi: number) {
  return `
  CREATE TEMP TABLE bench_plan AS
  WITH u AS (
    SELECT g.i, random() AS ri, random() AS rl, random() AS rr, random() AS rm, random() AS rn, random() AS rk, random() AS re1,
      random() AS re2, random() AS rx, random() AS rc, random() AS rs, random() AS rd, random() AS rt, random() AS rtod, random() AS rq
    FROM generate_series(1, ${top}) AS g(i)
  ), v AS (
    SELECT u.*, floor(u.rl * 20)::int AS dn,
      CASE WHEN u.ri < 0.35 THEN 'province' WHEN u.ri < 0.80 THEN 'district' ELSE 'department' END AS by,
      u.rd < 0.02 AS draft,
      (ARRAY[5, 10, 10, 15, 20, 20, 30, 45, 60, 90])[1 + floor(u.rn * 10)::int] AS n,
      CASE WHEN u.rk < 0.12 THEN 1 WHEN u.rk < 0.15 THEN 2 ELSE 0 END AS exts,
      (ARRAY[5, 10, 15, 20])[1 + floor(u.rx * 4)::int] AS x1,
      (ARRAY[5, 10])[1 + floor(u.re2 * 2)::int] AS x2
    FROM u
  ), w AS (
    SELECT v.*,
      CASE v.by WHEN 'province' THEN 1 WHEN 'district' THEN d.id ELSE 2 + v.dn END AS issuer,
      CASE v.by
        WHEN 'province' THEN CASE WHEN v.rr < 0.4 THEN 2 + v.dn ELSE d.id END
        WHEN 'district' THEN CASE WHEN v.rr < 0.3 THEN d.id ELSE d.first + floor(v.rm * d.communes)::int END
        ELSE 2 + v.dn END AS lead,
      CASE WHEN v.draft THEN ${hi} - floor(v.rq * 60)::int ELSE ${lo} + floor(sqrt(v.rt) * ${hi - lo + 1})::int END AS r0
    FROM v JOIN bench_district d ON d.n = v.dn
  ), x AS (
    SELECT w.*, w.r0 + 1 + floor(w.re1 * (w.n + 2))::int AS a1 FROM w
  ), y AS (
    SELECT x.*, x.a1 + 1 + floor(x.re2 * (x.n + x.x1 - (x.a1 - x.r0) + 1))::int AS a2,
      x.r0 + x.n + CASE WHEN x.exts >= 1 THEN x.x1 ELSE 0 END + CASE WHEN x.exts >= 2 THEN x.x2 ELSE 0 END AS dl
    FROM x
  ), z AS (
    SELECT y.*, greatest(
        CASE WHEN y.rs < 0.04 THEN y.dl + 20 + floor(y.rs / 0.04 * 400)::int
          ELSE y.r0 + greatest(1, floor(power(y.rc, 0.6) * (y.dl - y.r0) * 1.25)::int) END,
        CASE y.exts WHEN 1 THEN y.a1 + 1 WHEN 2 THEN y.a2 + 1 ELSE 0 END) AS c
    FROM y
  )
  SELECT z.i, NULL::int AS parent_i, z.draft, z.issuer, z.lead, z.r0, time '08:00' + z.rtod * interval '9 hours' AS tod, z.n,
    z.exts, z.a1, z.x1, z.a2, z.x2, z.c,
    CASE WHEN z.rd >= 0.02 AND z.rd < 0.04 THEN z.r0 + 1 + floor(z.rq * (z.c - z.r0 - 1))::int END AS cancel_rank,
    1::numeric AS weight, random() AS rct, random() AS rsub, floor(random() * 1000000)::int AS pick
  FROM z;

  -- Sub-tasks: a district's task (from the province, or its own) split to its communes.
  INSERT INTO bench_plan
  WITH k AS (
    SELECT p.i AS pi, p.lead AS issuer, p.r0 AS pr0, p.n AS pn, p.c AS pc, p.tod AS ptod, j,
      random() AS r1, random() AS r2, random() AS rm, random() AS rk, random() AS re1, random() AS rx, random() AS rc, random() AS rs,
      random() AS rq, random() AS rw
    FROM bench_plan p, generate_series(1, 1 + floor(p.rsub * 3)::int) AS j
    WHERE NOT p.draft AND p.cancel_rank IS NULL AND p.lead BETWEEN 22 AND 41
    ORDER BY random()
    LIMIT ${sub}
  ), v AS (
    SELECT k.*, k.pr0 + least(floor(k.r1 * 4)::int, k.pn - 1, k.pc - k.pr0 - 1, ${hi} - k.pr0) AS r0
    FROM k
  ), w AS (
    SELECT v.*, greatest(1, floor(v.r2 * (v.pr0 + v.pn - v.r0))::int) AS n FROM v
  ), x AS (
    SELECT w.*, w.r0 + 1 + floor(w.re1 * (w.n + 2))::int AS a1,
      least((ARRAY[5, 10])[1 + floor(w.rx * 2)::int], w.pr0 + w.pn - w.r0 - w.n) AS x1
    FROM w
  ), y AS (
    SELECT x.*, x.rk < 0.08 AND x.x1 > 0 AS ext FROM x
  ), z AS (
    SELECT y.*, least(y.pc,
        CASE WHEN y.rs < 0.02 THEN y.r0 + y.n + 5 + floor(y.rs / 0.02 * 100)::int
          ELSE y.r0 + greatest(1, floor(power(y.rc, 0.6) * (y.n + CASE WHEN y.ext THEN y.x1 ELSE 0 END) * 1.25)::int) END) AS c
    FROM y
  )
  SELECT ${top} + row_number() OVER ()::int, z.pi, false, z.issuer, d.first + floor(z.rm * d.communes)::int, z.r0,
    CASE WHEN z.r0 = z.pr0 THEN z.ptod + interval '45 minutes' ELSE time '08:00' + z.rq * interval '9 hours' END, z.n,
    CASE WHEN z.ext AND z.a1 < z.c THEN 1 ELSE 0 END, z.a1, z.x1, NULL, NULL, z.c,
    CASE WHEN z.rq < 0.01 THEN z.r0 + 1 + floor(z.rw * (z.c - z.r0 - 1))::int END,
    (ARRAY[1, 1, 1, 2, 2, 3])[1 + floor(z.rw * 6)::int]::numeric, random(), random(), floor(random() * 1000000)::int
  FROM z JOIN bench_district d ON d.id = z.issuer;
  ANALYZE bench_plan;`;
}

/** Every task's life cut at $1 (now): instants, status, the deadline in force, reports to write. */
const LIFE = `
  CREATE TEMP TABLE bench_life AS
  WITH t AS (
    SELECT p.*,
      (w0.day + p.tod) AT TIME ZONE INTERVAL '07:00' AS issue_at,
      d0.day AS due0, d1.day AS due1, d2.day AS due2,
      (wa1.day + time '10:00' + p.rsub * interval '6 hours') AT TIME ZONE INTERVAL '07:00' AS ext1_at,
      (wa2.day + time '10:00' + p.rsub * interval '6 hours') AT TIME ZONE INTERVAL '07:00' AS ext2_at,
      (wc.day + CASE WHEN p.parent_i IS NULL THEN time '13:30' + p.rct * interval '3 hours 30 minutes' ELSE time '09:00' + p.rct * interval '4 hours' END)
        AT TIME ZONE INTERVAL '07:00' AS complete_plan,
      (wx.day + time '08:00' + p.rct * interval '50 minutes') AT TIME ZONE INTERVAL '07:00' AS cancel_plan
    FROM bench_plan p
    JOIN bench_wd w0 ON w0.rank = p.r0
    JOIN bench_wd d0 ON d0.rank = p.r0 + p.n
    LEFT JOIN bench_wd d1 ON p.exts >= 1 AND d1.rank = p.r0 + p.n + p.x1
    LEFT JOIN bench_wd d2 ON p.exts >= 2 AND d2.rank = p.r0 + p.n + p.x1 + p.x2
    LEFT JOIN bench_wd wa1 ON p.exts >= 1 AND wa1.rank = p.a1
    LEFT JOIN bench_wd wa2 ON p.exts >= 2 AND wa2.rank = p.a2
    LEFT JOIN bench_wd wc ON wc.rank = p.c
    LEFT JOIN bench_wd wx ON wx.rank = p.cancel_rank
  ), s AS (
    SELECT t.*,
      coalesce(NOT t.draft AND t.cancel_plan <= $1::timestamptz, false) AS cancelled,
      coalesce(NOT t.draft AND t.cancel_plan IS NULL AND t.complete_plan <= $1::timestamptz, false) AS completed,
      CASE WHEN t.complete_plan IS NOT NULL THEN greatest(t.issue_at + interval '1 hour', t.complete_plan - interval '2 hours' - t.rsub * interval '70 hours') END AS submit_at
    FROM t
  ), r AS (
    SELECT s.*,
      CASE WHEN s.draft THEN 'draft' WHEN s.cancelled THEN 'cancelled' WHEN s.completed THEN 'completed'
        WHEN s.cancel_plan IS NULL AND s.submit_at <= $1::timestamptz THEN 'submitted' ELSE 'in_progress' END AS status
    FROM s
  ), e AS (
    SELECT r.*,
      CASE r.status WHEN 'cancelled' THEN r.cancel_plan WHEN 'completed' THEN r.complete_plan ELSE $1::timestamptz END AS cut,
      CASE WHEN r.status IN ('submitted', 'completed') THEN r.submit_at WHEN r.status = 'cancelled' THEN r.cancel_plan ELSE $1::timestamptz END AS worked_until
    FROM r
  ), f AS (
    SELECT e.*,
      coalesce(NOT e.draft AND e.ext1_at <= e.cut, false) AS e1,
      coalesce(NOT e.draft AND e.ext2_at <= e.cut, false) AS e2,
      CASE WHEN e.draft THEN 0 ELSE least(4, floor(extract(epoch FROM e.worked_until - e.issue_at) / (12 * 86400)))::int END AS k
    FROM e
  ), g AS (
    SELECT f.*,
      CASE WHEN f.e2 THEN f.due2 WHEN f.e1 THEN f.due1 ELSE f.due0 END AS due_on,
      CASE
        WHEN f.status IN ('submitted', 'completed') THEN 100
        WHEN f.draft OR f.k = 0 THEN 0
        ELSE least(95, greatest(5, 5 * floor(20 * (0.5 + 0.5 * f.rsub) * least(1,
          extract(epoch FROM f.worked_until - f.issue_at)
          / extract(epoch FROM ((CASE WHEN f.e2 THEN f.due2 WHEN f.e1 THEN f.due1 ELSE f.due0 END) + 1 + time '00:00') AT TIME ZONE INTERVAL '07:00' - f.issue_at)))))::int
      END AS progress,
      CASE WHEN f.parent_i IS NULL AND NOT f.draft THEN f.issue_at - interval '10 minutes' - f.rsub * interval '2 days'
        ELSE f.issue_at - f.rsub * interval '30 minutes' END AS created_at
    FROM f
  )
  SELECT row_number() OVER (ORDER BY g.created_at, g.i)::bigint AS id, g.*,
    CASE WHEN g.status IN ('submitted', 'completed') THEN 1 ELSE 0 END AS final_report
  FROM g`;

const TASKS = `
  INSERT INTO tasks (id, code, kind, title, description, expected_result, authority, issuer_unit_id, lead_unit_id, support_unit_ids,
    assignee_user_id, due_on, original_due_on, due_changed_at, due_before, parent_id, weight, source_kind, source_ref, status,
    progress, rolled_progress, issued_at, issued_by, completed_at, accepted_by, cancelled_at, version, created_by, created_at, updated_at)
  SELECT l.id,
    'NV-' || to_char(l.created_at AT TIME ZONE INTERVAL '07:00', 'YYYY') || '-' || lpad(l.id::text, 6, '0'),
    'task',
    CASE WHEN l.draft AND l.pick % 10 = 0 THEN NULL ELSE (${arr(TITLES)})[1 + l.pick % ${TITLES.length}] || ' năm ' || to_char(l.issue_at, 'YYYY') END,
    CASE WHEN l.pick % 3 = 0 THEN 'Giao ' || lu.name || ' chủ trì, phối hợp các đơn vị liên quan thực hiện; báo cáo kết quả đúng hạn.' END,
    CASE WHEN l.draft AND l.pick % 7 = 0 THEN NULL ELSE (${arr(RESULTS)})[1 + l.pick % ${RESULTS.length}] END,
    CASE WHEN l.pick % 2 = 0 THEN 'Chủ tịch ' || iu.name END,
    l.issuer, l.lead,
    CASE WHEN l.pick % 10 < 3 AND l.lead BETWEEN 22 AND 301 THEN ARRAY[2 + l.pick % 20] ELSE '{}' END,
    CASE WHEN l.draft AND l.pick % 5 = 0 THEN NULL ELSE 2000 + l.lead END,
    CASE WHEN l.draft AND l.pick % 4 = 0 THEN NULL ELSE l.due_on END,
    CASE WHEN NOT l.draft THEN l.due0 END,
    CASE WHEN l.e2 THEN ARRAY[l.ext1_at, l.ext2_at] WHEN l.e1 THEN ARRAY[l.ext1_at] ELSE '{}' END,
    CASE WHEN l.e2 THEN ARRAY[l.due0, l.due1] WHEN l.e1 THEN ARRAY[l.due0] ELSE '{}' END,
    p.id, l.weight,
    (ARRAY['document', 'document', 'meeting', 'direction'])[1 + l.pick % 4],
    CASE l.pick % 4
      WHEN 2 THEN 'Kết luận cuộc họp giao ban ngày ' || to_char(l.issue_at - interval '3 days', 'DD/MM/YYYY')
      WHEN 3 THEN 'Ý kiến chỉ đạo của Chủ tịch ' || iu.name
      ELSE 'Văn bản số ' || (1 + l.pick % 997) || '/UBND-TH ngày ' || to_char(l.issue_at - interval '1 day', 'DD/MM/YYYY') END,
    l.status, l.progress, l.progress,
    CASE WHEN NOT l.draft THEN l.issue_at END,
    CASE WHEN NOT l.draft THEN 1000 + l.issuer END,
    CASE WHEN l.status = 'completed' THEN l.complete_plan END,
    CASE WHEN l.status = 'completed' THEN 1000 + l.issuer END,
    CASE WHEN l.status = 'cancelled' THEN l.cancel_plan END,
    1 + (NOT l.draft)::int + l.e1::int + coalesce(l.e2, false)::int + l.k + l.final_report + (l.status = 'completed')::int + (l.status = 'cancelled')::int,
    1000 + l.issuer, l.created_at,
    greatest(l.created_at, CASE WHEN l.draft THEN l.created_at ELSE CASE l.status WHEN 'completed' THEN l.complete_plan WHEN 'cancelled' THEN l.cancel_plan
      WHEN 'submitted' THEN l.submit_at ELSE l.issue_at + (l.worked_until - l.issue_at) * l.k / (l.k + 1) END END)
  FROM bench_life l
  JOIN org_units iu ON iu.id = l.issuer
  JOIN org_units lu ON lu.id = l.lead
  LEFT JOIN bench_life p ON p.i = l.parent_i`;

/** Reports: k along the way (evenly spread, rising to the progress), and 100% when the result was submitted. */
const TASK_REPORTS = `
  INSERT INTO task_reports (task_id, percent, text, reported_on, reported_by, created_at)
  SELECT l.id,
    CASE WHEN j > l.k THEN 100
      WHEN l.status IN ('submitted', 'completed') THEN 5 * round(18.0 * j / (l.k + 1))::int
      ELSE 5 * round(l.progress / 5.0 * j / l.k)::int END,
    CASE WHEN j > l.k THEN 'Đã hoàn thành, gửi kết quả đề nghị nghiệm thu' ELSE (${arr(REPORTS)})[1 + (l.pick + j) % ${REPORTS.length}] END,
    (x.at AT TIME ZONE INTERVAL '07:00')::date, 2000 + l.lead, x.at
  FROM bench_life l, generate_series(1, l.k + l.final_report) AS j,
    LATERAL (SELECT CASE WHEN j > l.k THEN l.submit_at ELSE l.issue_at + (l.worked_until - l.issue_at) * j / (l.k + 1) END AS at) x
  WHERE NOT l.draft`;

const TASK_EXTENSIONS = `
  INSERT INTO task_extensions (task_id, requested_due_on, previous_due_on, reason, status, requested_by, requested_at, decided_by, decided_at, note)
  SELECT l.id, l.due1, l.due0, 'Khối lượng công việc lớn, cần thêm thời gian phối hợp với các đơn vị liên quan', 'approved', 2000 + l.lead,
    greatest(l.issue_at + interval '1 hour', l.ext1_at - interval '1 day' - l.rct * interval '2 days'), 1000 + l.issuer, l.ext1_at, NULL
  FROM bench_life l WHERE l.e1
  UNION ALL
  SELECT l.id, l.due2, l.due1, 'Chờ ý kiến thẩm định của sở chuyên ngành', 'approved', 2000 + l.lead,
    greatest(l.ext1_at + interval '1 hour', l.ext2_at - interval '1 day' - l.rct * interval '2 days'), 1000 + l.issuer, l.ext2_at, 'Đồng ý gia hạn lần cuối'
  FROM bench_life l WHERE l.e2
  UNION ALL
  -- A few requests still waiting for the issuer's decision.
  SELECT l.id, w.day, l.due_on, 'Đề nghị gia hạn do vướng mắc về mặt bằng', 'pending', 2000 + l.lead,
    greatest(l.issue_at + interval '1 hour', $1::timestamptz - l.rct * interval '3 days'), NULL, NULL, NULL
  FROM bench_life l JOIN bench_days bd ON bd.day = l.due_on JOIN bench_wd w ON w.rank = bd.rank + 10
  WHERE l.status = 'in_progress' AND l.pick % 67 = 0`;

const TASK_EVENTS = `
  INSERT INTO task_events (task_id, at, actor_user_id, type, data)
  SELECT l.id, l.created_at, 1000 + l.issuer, 'created', '{}' FROM bench_life l
  UNION ALL
  SELECT l.id, l.issue_at, 1000 + l.issuer, 'issued', jsonb_build_object('dueOn', l.due0) FROM bench_life l WHERE NOT l.draft
  UNION ALL
  SELECT p.id, l.created_at, 1000 + l.issuer, 'split', jsonb_build_object('taskId', l.id, 'weight', l.weight)
  FROM bench_life l JOIN bench_life p ON p.i = l.parent_i
  UNION ALL
  SELECT r.task_id, r.created_at, r.reported_by, 'reported', jsonb_build_object('percent', r.percent) FROM task_reports r
  UNION ALL
  SELECT x.task_id, x.requested_at, x.requested_by, 'extension_requested', jsonb_build_object('dueOn', x.requested_due_on) FROM task_extensions x
  UNION ALL
  SELECT x.task_id, x.decided_at, x.decided_by, 'extension_approved', jsonb_build_object('dueOn', x.requested_due_on, 'previousDueOn', x.previous_due_on)
  FROM task_extensions x WHERE x.status = 'approved'
  UNION ALL
  SELECT l.id, l.submit_at, 2000 + l.lead, 'submitted', '{}' FROM bench_life l WHERE l.status IN ('submitted', 'completed')
  UNION ALL
  SELECT l.id, l.complete_plan, 1000 + l.issuer, 'accepted', '{}' FROM bench_life l WHERE l.status = 'completed'
  UNION ALL
  SELECT l.id, l.cancel_plan, 1000 + l.issuer, 'cancelled', jsonb_build_object('reason', 'Nhiệm vụ không còn phù hợp') FROM bench_life l WHERE l.status = 'cancelled'`;

/** A parent's progress is its issued, not cancelled sub-tasks' weighted by their weights. */
const ROLLUP = `
  UPDATE tasks p SET rolled_progress = s.rolled
  FROM (SELECT parent_id, round(sum(weight * rolled_progress) / sum(weight), 2) AS rolled FROM tasks
        WHERE parent_id IS NOT NULL AND status NOT IN ('draft', 'cancelled') GROUP BY parent_id) s
  WHERE p.id = s.parent_id`;

const TABLES = ['tasks', 'task_events', 'task_reports', 'task_extensions'];

/** Loads everything; `log` gets progress lines. */
export async function seedTasks(pool: pg.Pool, total: number, passwordHash: string, log: (m: string) => void): Promise<TaskData> {
  const now = new Date();
  const today = formatIsoDate(Math.floor((now.getTime() + 7 * 3_600_000) / DAY_MS));
  const top = Math.round(total * 0.7);
  const client = await pool.connect();
  const t0 = performance.now();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET work_mem = '64MB'`);
    const units = await seedUnitsAndUsers(client, passwordHash);
    const { lo, hi } = await seedCalendar(client, today);
    await client.query(`SELECT setseed(0.2026)`);
    // The secondary indexes (not those behind constraints), as the migrations made them, to build again after the load.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [TABLES],
    );
    for (const i of indexes) await client.query(`DROP INDEX ${i.name}`);
    const tUnits = performance.now();

    const step = async (name: string, sql: string, params: unknown[] = []) => {
      const t = performance.now();
      const r = await client.query(sql, params);
      const rows = Array.isArray(r) ? r.reduce((n, x) => n + (x.rowCount ?? 0), 0) : r.rowCount;
      log(`  ${name}${rows ? ` ${rows.toLocaleString('en-US')} rows` : ''} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    };
    await step('plan', planSql(top, total - top, lo, hi));
    const { rows: planned } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_plan`);
    if (planned[0].n !== total) throw new Error(`planned ${planned[0].n} tasks, not ${total} (too few parents for the sub-tasks)`);
    await step('lives', LIFE, [now]);
    await client.query('CREATE UNIQUE INDEX ON bench_life (i); ANALYZE bench_life');
    await step('tasks', TASKS);
    await client.query(`SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks)); SELECT setval('task_code_seq', (SELECT max(id) FROM tasks))`);
    await step('reports', TASK_REPORTS);
    await step('extensions', TASK_EXTENSIONS, [now]);
    await step('events', TASK_EVENTS);
    await step('parents rolled up', ROLLUP);
    const tInsert = performance.now();

    // Build the indexes again, two at a time (two cores), the trigram GIN first.
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
    const tIndexes = performance.now();
    await client.query('DROP TABLE bench_plan, bench_life');
    await Promise.all(TABLES.map((t) => pool.query(`VACUUM ANALYZE ${t}`)));
    await client.query('VACUUM ANALYZE');
    const tAnalyze = performance.now();
    return {
      provinceId: 1,
      ...units,
      now,
      username: 'bench.leader.1',
      seconds: { units: (tUnits - t0) / 1000, insert: (tInsert - tUnits) / 1000, indexes: (tIndexes - tInsert) / 1000, analyze: (tAnalyze - tIndexes) / 1000 },
    };
  } finally {
    client.release();
  }
}
