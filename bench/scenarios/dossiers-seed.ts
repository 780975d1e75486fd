/**
 * The data of the dossiers scenario: 1 province → 20 districts → 14 communes each (300 receiving
 * units), a catalogue of 40 procedures, one source, and N dossiers generated in SQL with
 * generate_series (100,000 per INSERT … SELECT, so the scorecard's statement-level triggers keep
 * the monthly rollups in one pass per statement), received over the last 365 days.
 *
 * Each dossier has a shape the rules distinguish, with its derived columns (status, ended_at,
 * due_on, overdue_from) computed in SQL from a table of working days made with the application's
 * calendar, and checked against derive.ts on a sample:
 * - the due date is receipt + the procedure's working days (half of them also carry it as the
 *   promised date), moved by 0–2 supplement requests (15% one, 3% two: late from the second),
 *   asked before the due date and answered 1–5 working days later;
 * - ended (processed, returned, not accepted, withdrawn, stopped) 1 to n + 3 working days after
 *   the last answer, mostly on time; 1% never end (the overdue lists); anything after now is not
 *   yet known (recent dossiers are open, some waiting for the citizen);
 * - channels by the procedure's online level, fees and online payment, synchronised, digitised,
 *   electronic results, 1% complaints; reuse of digitised data unknown (a "no data" measure).
 * Secondary indexes of dossiers are dropped during the load and built again from their own
 * definitions; then VACUUM ANALYZE.
 */
import type pg from 'pg';
import type { WorkingCalendar } from '../../src/platform/calendar/calendar.js';
import { formatIsoDate } from '../../src/platform/calendar/isoDate.js';
import { seedWorkingDays } from '../lib/working-days.js';
import { deriveDossier } from '../../src/modules/dossiers/derive.js';
import { statusFromCode } from '../../src/modules/dossiers/rules/statuses.js';

export const UNITS = { districts: 20, communesPerDistrict: 14 } as const;
const PROCEDURES = 40;
/** Procedures 1..COMMUNE_PROCEDURES are the communes'; the rest the districts'. */
const COMMUNE_PROCEDURES = 24;
const DAY_MS = 86_400_000;

export interface DossierData {
  provinceId: number;
  districtIds: number[];
  communeIds: number[];
  /** The instant the generated histories are cut at (nothing after it is known). */
  now: Date;
  seconds: { units: number; insert: number; indexes: number; analyze: number };
}

/** 1 province (id 1), districts 2..21, communes 22..301, paths by arithmetic. */
async function seedUnits(client: pg.PoolClient) {
  const D = UNITS.districts;
  const C = UNITS.communesPerDistrict;
  const first = 2 + D;
  await client.query(`
    INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
    VALUES (1, 'BENCH-P', 'Tỉnh Thử Nghiệm', 'province', NULL, '/1/', 1);
    INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
    SELECT 1 + d, 'BENCH-D' || d, 'Huyện Thử Nghiệm số ' || d, 'district', 1, '/1/' || (1 + d) || '/', 2 FROM generate_series(1, ${D}) AS d;
    INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
    SELECT ${first} + c, 'BENCH-C' || c, 'Xã Thử Nghiệm số ' || c, 'commune', 2 + c / ${C}, '/1/' || (2 + c / ${C}) || '/' || (${first} + c) || '/', 3
    FROM generate_series(0, ${D * C - 1}) AS c;
    SELECT setval(pg_get_serial_sequence('org_units', 'id'), ${1 + D + D * C});`);
  return {
    districtIds: Array.from({ length: D }, (_, i) => 2 + i),
    communeIds: Array.from({ length: D * C }, (_, i) => first + i),
  };
}

/** The catalogue: levels, processing times, online levels, fees; some took effect this year, a few published late. */
async function seedProcedures(client: pg.PoolClient, year: number) {
  await client.query(`
    INSERT INTO dossier_procedures (id, code, name, level, unit_kinds, processing_days, has_fee, online, effective_on, announced_on, published_on)
    SELECT n, 'BENCH.TT.' || lpad(n::text, 3, '0'), 'Thủ tục thử nghiệm số ' || n,
      CASE WHEN n <= ${COMMUNE_PROCEDURES} THEN 'commune' ELSE 'district' END,
      CASE WHEN n <= ${COMMUNE_PROCEDURES} THEN '{commune}'::text[] ELSE '{district}'::text[] END,
      (ARRAY[3, 5, 7, 10, 12, 15, 20])[1 + n % 7], n % 2 = 0,
      CASE WHEN n % 10 < 3 THEN 'full' WHEN n % 10 < 7 THEN 'partial' ELSE 'none' END,
      e, e - 12, e - CASE WHEN n % 3 = 0 THEN -4 ELSE 5 END
    FROM generate_series(1, ${PROCEDURES}) AS n,
      LATERAL (SELECT CASE WHEN n % 5 = 0 THEN make_date(${year}, 1 + n % 12, 1) ELSE date '2024-07-01' END AS e) x;
    SELECT setval(pg_get_serial_sequence('dossier_procedures', 'id'), ${PROCEDURES});
    CREATE TEMP TABLE bench_procs AS SELECT id AS n, id, processing_days AS days, online, has_fee FROM dossier_procedures;
    ANALYZE bench_procs;`);
}

/** One batch of dossiers [$1, $2], cut at $3 (now). */
const INSERT = `
  WITH u AS (
    SELECT g.i, $3::timestamptz - random() * interval '365 days' AS received_at,
      random() AS rp, random() AS ru, random() AS rk, random() AS rp1, random() AS rp2, random() AS rw, random() AS rs,
      random() AS rc, random() AS rf, random() AS ro, random() AS re, random() AS rx, random() AS rq
    FROM generate_series($1::int, $2::int) AS g(i)
  ), v AS (
    SELECT u.*, p.id AS procedure_id, p.days AS n, p.online, p.has_fee,
      CASE WHEN p.n <= ${COMMUNE_PROCEDURES} THEN ${2 + UNITS.districts} + floor(u.ru * ${UNITS.districts * UNITS.communesPerDistrict})::int
        ELSE 2 + floor(u.ru * ${UNITS.districts})::int END AS unit_id,
      d.rank AS r0,
      CASE WHEN u.rk < 0.85 THEN 0 WHEN u.rk < 0.97 THEN 1 ELSE 2 END AS k,
      1 + floor(u.rp1 * 5)::int AS p1, 1 + floor(u.rp2 * 5)::int AS p2,
      floor(power(u.rw, 3) * (p.days + 3))::int AS w,
      u.rs < 0.01 AS stuck,
      CASE WHEN u.re < 0.92 THEN 9 WHEN u.re < 0.95 THEN 3 WHEN u.re < 0.98 THEN 7 ELSE 8 END AS ending
    FROM u
    JOIN bench_procs p ON p.n = 1 + floor(power(u.rp, 1.5) * ${PROCEDURES})::int
    JOIN bench_days d ON d.day = (u.received_at AT TIME ZONE INTERVAL '07:00')::date
  ), w AS (
    SELECT v.*,
      CASE WHEN v.k >= 1 THEN (a1.day + time '10:00') AT TIME ZONE INTERVAL '07:00' END AS asked1,
      CASE WHEN v.k >= 1 THEN (b1.day + time '09:00') AT TIME ZONE INTERVAL '07:00' END AS answered1,
      CASE WHEN v.k >= 2 THEN (a2.day + time '10:00') AT TIME ZONE INTERVAL '07:00' END AS asked2,
      CASE WHEN v.k >= 2 THEN (b2.day + time '09:00') AT TIME ZONE INTERVAL '07:00' END AS answered2,
      CASE WHEN NOT v.stuck THEN (e.day + time '16:00') AT TIME ZONE INTERVAL '07:00' END AS end_at
    FROM v
    JOIN bench_wd a1 ON a1.rank = v.r0 + 1
    JOIN bench_wd b1 ON b1.rank = v.r0 + 1 + v.p1
    JOIN bench_wd a2 ON a2.rank = v.r0 + 2 + v.p1
    JOIN bench_wd b2 ON b2.rank = v.r0 + 2 + v.p1 + v.p2
    JOIN bench_wd e ON e.rank = v.r0 + CASE WHEN v.k >= 1 THEN v.p1 ELSE 0 END + CASE WHEN v.k >= 2 THEN v.p2 ELSE 0 END + v.k + 1 + v.w
  ), x AS (
    -- What is known by now: later requests, answers and endings have not happened yet.
    SELECT w.*,
      w.asked1 <= $3 AS has1, w.answered1 <= $3 AS ans1, w.asked2 <= $3 AS has2, w.answered2 <= $3 AS ans2,
      w.end_at <= $3 AS ended,
      w.end_at + interval '20 hours' <= $3 AND w.ending = 9 AND w.rx < 0.6 AS returned
    FROM w
  ), y AS (
    SELECT x.*,
      coalesce(x.has1, false)::int + coalesce(x.has2, false)::int AS asks,
      (coalesce(x.has1, false) AND NOT coalesce(x.ans1, false)) OR (coalesce(x.has2, false) AND NOT coalesce(x.ans2, false)) AS waiting,
      CASE WHEN coalesce(x.has1, false) THEN x.p1 ELSE 0 END + CASE WHEN coalesce(x.has2, false) THEN x.p2 ELSE 0 END AS paused,
      CASE
        WHEN x.online = 'none' THEN CASE WHEN x.rc < 0.95 THEN 1 ELSE 3 END
        WHEN x.rc < CASE x.online WHEN 'full' THEN 0.55 ELSE 0.35 END THEN 2
        WHEN x.rc < 0.97 THEN 1 ELSE 3 END AS channel,
      CASE WHEN x.has_fee THEN CASE WHEN x.rf < 0.05 THEN 0 ELSE (ARRAY[20000, 50000, 100000, 150000, 300000])[1 + floor(x.rf * 5)::int] END END AS fee
    FROM x
  ), z AS (
    SELECT y.*, due.day AS due_on_if_known
    FROM y JOIN bench_wd due ON due.rank = y.r0 + y.n + y.paused
  )
  INSERT INTO dossiers (source_id, code, procedure_id, unit_id, channel, received_at, promised_on, handler,
    event_statuses, event_times, supplement_asked, supplement_answered, fee, paid_online, synced, digitised,
    electronic_result, reused_data, rating, complaint, status, status_at, ended_at, ended_status, due_on, overdue_from, data_hash)
  SELECT 1, 'HS' || lpad(z.i::text, 9, '0'), z.procedure_id, z.unit_id, z.channel, z.received_at,
    CASE WHEN z.rq < 0.5 THEN base.day END,
    'Cán bộ ' || (ARRAY['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Giang', 'Đặng Văn Hùng'])[1 + z.i % 7],
    ARRAY[2]::smallint[]
      || CASE WHEN z.received_at + interval '1 hour' <= $3 THEN ARRAY[4]::smallint[] ELSE '{}' END
      || CASE WHEN z.has1 THEN ARRAY[5]::smallint[] ELSE '{}' END || CASE WHEN z.ans1 THEN ARRAY[4]::smallint[] ELSE '{}' END
      || CASE WHEN z.has2 THEN ARRAY[5]::smallint[] ELSE '{}' END || CASE WHEN z.ans2 THEN ARRAY[4]::smallint[] ELSE '{}' END
      || CASE WHEN z.ended THEN ARRAY[z.ending]::smallint[] ELSE '{}' END || CASE WHEN z.returned THEN ARRAY[10]::smallint[] ELSE '{}' END,
    ARRAY[z.received_at]
      || CASE WHEN z.received_at + interval '1 hour' <= $3 THEN ARRAY[z.received_at + interval '1 hour'] ELSE '{}' END
      || CASE WHEN z.has1 THEN ARRAY[z.asked1] ELSE '{}' END || CASE WHEN z.ans1 THEN ARRAY[z.answered1] ELSE '{}' END
      || CASE WHEN z.has2 THEN ARRAY[z.asked2] ELSE '{}' END || CASE WHEN z.ans2 THEN ARRAY[z.answered2] ELSE '{}' END
      || CASE WHEN z.ended THEN ARRAY[z.end_at] ELSE '{}' END || CASE WHEN z.returned THEN ARRAY[z.end_at + interval '20 hours'] ELSE '{}' END,
    CASE WHEN z.has1 THEN ARRAY[z.asked1] ELSE '{}' END || CASE WHEN z.has2 THEN ARRAY[z.asked2] ELSE '{}' END,
    CASE WHEN z.has1 THEN ARRAY[CASE WHEN z.ans1 THEN z.answered1 END] ELSE '{}' END || CASE WHEN z.has2 THEN ARRAY[CASE WHEN z.ans2 THEN z.answered2 END] ELSE '{}' END,
    z.fee,
    CASE WHEN z.fee > 0 THEN (z.channel = 2 AND z.ro < 0.6) OR z.ro < 0.05 END,
    z.ro < 0.93, z.rx < 0.75,
    CASE WHEN z.ended AND z.ending = 9 THEN z.rw < 0.6 END,
    NULL,
    CASE WHEN z.ended AND z.rq < 0.3 THEN (ARRAY['very_satisfied', 'satisfied', 'satisfied', 'dissatisfied'])[1 + floor(z.rp1 * 4)::int] END,
    z.rs > 0.99,
    CASE WHEN z.returned THEN 10 WHEN z.ended THEN z.ending WHEN z.ans2 THEN 4 WHEN z.has2 THEN 5 WHEN z.ans1 THEN 4 WHEN z.has1 THEN 5
      WHEN z.received_at + interval '1 hour' <= $3 THEN 4 ELSE 2 END,
    CASE WHEN z.returned THEN z.end_at + interval '20 hours' WHEN z.ended THEN z.end_at WHEN z.ans2 THEN z.answered2 WHEN z.has2 THEN z.asked2
      WHEN z.ans1 THEN z.answered1 WHEN z.has1 THEN z.asked1 WHEN z.received_at + interval '1 hour' <= $3 THEN z.received_at + interval '1 hour' ELSE z.received_at END,
    CASE WHEN z.ended THEN z.end_at END,
    CASE WHEN z.ended THEN z.ending END,
    CASE WHEN NOT z.waiting THEN z.due_on_if_known END,
    CASE
      WHEN z.asks = 2 THEN z.asked2
      WHEN z.waiting THEN NULL
      WHEN z.ended AND (z.end_at AT TIME ZONE INTERVAL '07:00')::date <= z.due_on_if_known THEN NULL
      ELSE (z.due_on_if_known + 1 + time '00:00') AT TIME ZONE INTERVAL '07:00'
    END,
    md5(z.i::text)
  FROM z JOIN bench_wd base ON base.rank = z.r0 + z.n`;

/** Loads everything; `log` gets progress lines. */
export async function seedDossiers(pool: pg.Pool, total: number, log: (m: string) => void, batch = 100_000): Promise<DossierData> {
  const now = new Date();
  const today = formatIsoDate(Math.floor((now.getTime() + 7 * 3_600_000) / DAY_MS));
  const client = await pool.connect();
  const t0 = performance.now();
  let tInsert = 0;
  let tIndexes = 0;
  try {
    await client.query(`SET synchronous_commit = off`);
    const units = await seedUnits(client);
    await seedProcedures(client, Number(today.slice(0, 4)));
    await client.query(`INSERT INTO dossier_sources (id, code, name) VALUES (1, 'BENCH_MOTCUA', 'Hệ thống một cửa thử nghiệm')`);
    const calendar = await seedWorkingDays(client, today, { before: 420, after: 240 });
    await client.query(`ANALYZE org_units; SELECT setseed(0.766)`);
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'dossiers' AND indexname <> 'dossiers_pkey'`,
    );
    for (const i of indexes) await client.query(`DROP INDEX ${i.name}`);
    const tUnits = performance.now();

    for (let lo = 1; lo <= total; lo += batch) {
      const hi = Math.min(total, lo + batch - 1);
      if ((pool as pg.Pool & { ending?: boolean }).ending) throw new Error('seeding interrupted');
      await client.query(INSERT, [lo, hi, now]);
      const s = (performance.now() - tUnits) / 1000;
      log(`  dossiers ${hi.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${s.toFixed(1)} s, ${Math.round(hi / s).toLocaleString('en-US')} rows/s, rollups kept by the triggers)`);
    }
    tInsert = performance.now();

    const queue = [...indexes];
    const builder = async (c: pg.PoolClient) => {
      await c.query(`SET maintenance_work_mem = '256MB'`);
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
    await client.query('VACUUM ANALYZE dossiers');
    await client.query('VACUUM ANALYZE dossier_scorecard_monthly');
    await client.query('VACUUM ANALYZE');

    await checkSample(client, calendar, total);
    const tAnalyze = performance.now();
    return {
      provinceId: 1,
      ...units,
      now,
      seconds: { units: (tUnits - t0) / 1000, insert: (tInsert - tUnits) / 1000, indexes: (tIndexes - tInsert) / 1000, analyze: (tAnalyze - tIndexes) / 1000 },
    };
  } finally {
    client.release();
  }
}

const COLUMNS = `d.code, d.received_at, to_char(d.promised_on, 'YYYY-MM-DD') AS promised_on, p.processing_days, d.event_statuses, d.event_times,
  d.supplement_asked, d.supplement_answered, d.status, d.status_at, d.ended_at, d.ended_status, to_char(d.due_on, 'YYYY-MM-DD') AS due_on, d.overdue_from`;

/** The SQL-derived columns are the writer's (derive.ts), on a sample of every shape. */
async function checkSample(client: pg.PoolClient, calendar: WorkingCalendar, total: number) {
  const { rows } = await client.query<{
    code: string;
    received_at: Date;
    promised_on: string | null;
    processing_days: number;
    event_statuses: number[];
    event_times: Date[];
    supplement_asked: Date[];
    supplement_answered: (Date | null)[];
    status: number;
    status_at: Date;
    ended_at: Date | null;
    ended_status: number | null;
    due_on: string | null;
    overdue_from: Date | null;
  }>(`
    (SELECT ${COLUMNS} FROM dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id WHERE d.id % 997 = 0 LIMIT 1500)
    UNION ALL
    (SELECT ${COLUMNS} FROM dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id WHERE cardinality(d.supplement_asked) > 0 AND d.id % 101 = 0 LIMIT 1500)`);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  for (const r of rows) {
    const derived = deriveDossier(calendar, {
      receivedAt: r.received_at,
      promisedReturnDate: r.promised_on,
      processingWorkingDays: r.processing_days,
      events: r.event_statuses.map((s, i) => ({ status: statusFromCode(s), at: r.event_times[i] })),
      supplements: r.supplement_asked.map((askedAt, i) => ({ askedAt, answeredAt: r.supplement_answered[i] })),
    });
    const expected = [statusFromCode(r.status), iso(r.status_at), iso(r.ended_at), r.ended_status && statusFromCode(r.ended_status), r.due_on, iso(r.overdue_from)];
    const actual = [derived.status, iso(derived.statusAt), iso(derived.endedAt), derived.endedStatus, derived.dueOn, iso(derived.overdueFrom)];
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      throw new Error(`dossier ${r.code}: derived in SQL ${JSON.stringify(expected)}, by derive.ts ${JSON.stringify(actual)}`);
    }
  }
  if (rows.length < Math.min(2000, total / 500)) throw new Error(`only ${rows.length} dossiers sampled`);
}
