/**
 * dossiers: the Decision 766 scorecard and the overdue list of issue 4, on PostgreSQL, with
 * 1,000,000 dossiers across 300 units (data in dossiers-seed.ts).
 *
 * - The province's scorecard for the year, `GET /api/v1/dossiers/scorecard?unitId=<province>&period=year`,
 *   at 8 connections (target p95 < 100 ms), and at 1 connection beside the same counts computed by
 *   the direct aggregate over the dossier rows (scorecard-repo.ts's statement, sent through pg by
 *   this process, 1 connection): target ≥ 10× faster.
 * - A unit's overdue list, `GET /api/v1/dossiers?unitId=<district>&timeliness=in_process_overdue&sort=overdueFrom`
 *   (the district with its communes, rotating over the 20 districts), at 8 connections: p95 < 30 ms.
 * - Informational: the "due within 2 working days" list, the ranking of the 20 districts and the
 *   trend by month of the province; the rollups rebuilt from scratch.
 * Reads beside the empty route at the same concurrency.
 */
import pg from 'pg';
import { directCountsQuery } from '../../src/modules/dossiers/scorecard-repo.js';
import { reportingPeriod } from '../../src/modules/dossiers/rules/period.js';
import { createKysely } from '../../src/db/kysely.js';
import { hashPassword } from '../../src/platform/auth/passwords.js';
import { encodeRequest, runPgLoad, } from '../lib/load.js';
import { createMeasurer, rawHttp, readFigures, rotation, signIn } from '../lib/measure.js';
import { type BenchDatabase, scenarioDatabase } from '../lib/postgres.js';
import { DISTURBED, type Figure, type Measurement, type ScenarioReport, figure, } from '../lib/report.js';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { SCALE, scaled } from '../lib/scale.js';
import { type ServerProcess, startServer } from '../lib/server-process.js';
import { type DossierData, UNITS, seedDossiers } from './dossiers-seed.js';

export const DOSSIERS = scaled(1_000_000);
const READ_CONNECTIONS = 8;
const USERNAME = 'bench.leader';
const PASSWORD = 'Bench-mark#2026!';
const TARGET = { scorecardP95Ms: 100, speedup: 10, overdueP95Ms: 30 };





type Counts = Record<string, number | null>;

export const dossiers: Scenario = {
  name: 'dossiers',
  description:
    'Administrative dossiers on PostgreSQL with 1,000,000 dossiers across 300 units: the province\'s Decision 766 scorecard for a year ' +
    'at 8 connections, and at 1 connection beside the same counts by a direct aggregate over the dossier rows (same run); a unit\'s ' +
    'overdue list at 8 connections; beside the empty route at 8 connections.',

  async run(ctx: BenchContext): Promise<ScenarioReport> {
    const o = ctx.options;
    const db: BenchDatabase = await scenarioDatabase(ctx);

    const t = performance.now();
    ctx.log(`seeding ${DOSSIERS.toLocaleString('en-US')} dossiers …`);
    const data: DossierData = await seedDossiers(db.pool, DOSSIERS, ctx.log);
    const seedSeconds = (performance.now() - t) / 1000;
    ctx.log(
      `seeded in ${seedSeconds.toFixed(1)} s (units and catalogue ${data.seconds.units.toFixed(1)} s, rows with their rollups ${data.seconds.insert.toFixed(1)} s, indexes ${data.seconds.indexes.toFixed(1)} s, VACUUM ANALYZE and the derived columns checked against derive.ts ${data.seconds.analyze.toFixed(1)} s)`,
    );

    // The rollups the triggers kept equal a rebuild from scratch (timed: it is the repair path).
    await db.pool.query('CREATE TABLE bench_rollup_kept AS SELECT * FROM dossier_scorecard_monthly WHERE dossiers <> 0');
    const tr = performance.now();
    await db.pool.query('SELECT dossier_scorecard_rebuild()');
    const rebuildSeconds = (performance.now() - tr) / 1000;
    const { rows: diff } = await db.pool.query<{ n: number; rows: number; total: number }>(`
      SELECT (SELECT count(*)::int FROM ((SELECT * FROM bench_rollup_kept EXCEPT SELECT * FROM dossier_scorecard_monthly)
              UNION ALL (SELECT * FROM dossier_scorecard_monthly EXCEPT SELECT * FROM bench_rollup_kept)) x) AS n,
             (SELECT count(*)::int FROM dossier_scorecard_monthly) AS rows,
             (SELECT sum(dossiers)::int FROM dossier_scorecard_monthly WHERE subtree_id = ${data.provinceId}) AS total`);
    if (diff[0].n !== 0 || diff[0].total !== DOSSIERS) throw new Error(`the rollups kept by the triggers differ from a rebuild in ${diff[0].n} rows (total ${diff[0].total})`);
    await db.pool.query('DROP TABLE bench_rollup_kept');
    await db.pool.query('VACUUM ANALYZE dossier_scorecard_monthly');
    ctx.log(`rollups: ${diff[0].rows.toLocaleString('en-US')} rows, equal to a rebuild (${rebuildSeconds.toFixed(1)} s)`);

    const { rows: shape } = await db.pool.query<{ open: number; overdue: number; waiting: number; late: number; thisYear: number }>(
      `SELECT count(*) FILTER (WHERE ended_at IS NULL)::int AS open,
              count(*) FILTER (WHERE ended_at IS NULL AND overdue_from <= $1)::int AS overdue,
              count(*) FILTER (WHERE ended_at IS NULL AND array_position(supplement_answered, NULL) IS NOT NULL)::int AS waiting,
              count(*) FILTER (WHERE overdue_from <= ended_at)::int AS late,
              count(*) FILTER (WHERE received_at >= $2)::int AS "thisYear"
       FROM dossiers`,
      [data.now, new Date(`${data.now.getUTCFullYear()}-01-01T00:00:00+07:00`)],
    );

    const hash = await hashPassword(PASSWORD);
    const { rows: user } = await db.pool.query<{ id: number }>(
      `INSERT INTO users (username, full_name, org_unit_id, password_hash) VALUES ($1, 'Lãnh đạo đo hiệu năng', 1, $2) RETURNING id`,
      [USERNAME, hash],
    );
    await db.pool.query(`INSERT INTO user_grants (user_id, role, org_unit_id) VALUES ($1, 'leader', 1)`, [user[0].id]);

    const server: ServerProcess = await startServer({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(o.poolSize) });
    ctx.defer(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;
    ctx.log(`server pid ${server.pid} listening on ${base}`);
    const cookie = await signIn(base, USERNAME, PASSWORD);
    const enc = (path: string) => encodeRequest('127.0.0.1', server.port, { method: 'GET', path, headers: { cookie } });

    // ---- the requests ----
    const year = Number(new Date(data.now.getTime() + 7 * 3_600_000).toISOString().slice(0, 4));
    const scorecardPath = `/api/v1/dossiers/scorecard?unitId=${data.provinceId}&period=year&year=${year}`;
    const overduePath = (district: number) => `/api/v1/dossiers?unitId=${district}&timeliness=in_process_overdue&sort=overdueFrom`;
    const duePath = (district: number) => `/api/v1/dossiers?unitId=${district}&dueWithin=2&sort=dueOn`;
    const rankingPath = `/api/v1/dossiers/ranking?parentId=${data.provinceId}&period=year&year=${year}`;
    const trendPath = `/api/v1/dossiers/trend?unitId=${data.provinceId}&year=${year}`;
    const rangePath = `/api/v1/dossiers/scorecard?unitId=${data.provinceId}&period=range&from=${year}-01-02&to=${year}-12-31`;
    const drillPath = `/api/v1/dossiers?unitId=${data.provinceId}&from=${year}-01-01&to=${year}-12-31&basis=received`;

    // The direct aggregate: the same counts from the dossier rows, the statement the custom ranges use,
    // judged when the API judges them: now, while the year is under way (deadlines turn at midnight
    // in Vietnam, so the seconds between this instant and the requests change nothing).
    const period = reportingPeriod({ kind: 'year', year });
    const direct = directCountsQuery(period.start, new Date(Math.min(period.end.getTime(), Date.now()) + 1), null).compile(createKysely(db.pool));
    const directPool = new pg.Pool({ connectionString: db.url, max: 1 });
    directPool.on('error', () => {});
    ctx.defer(() => directPool.end().catch(() => {}));
    const runDirect = () => directPool.query({ text: direct.sql, values: direct.parameters as unknown[] });

    // ---- each answer is right before it is timed ----
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text);
    };
    const card = await get(scorecardPath);
    const apiCounts: Counts = {};
    for (const g of card.groups) for (const m of g.measures) for (const c of m.counts) apiCounts[c.name] = c.value;
    const sums: Record<string, number> = {};
    for (const row of (await runDirect()).rows) for (const [k, v] of Object.entries(row)) if (typeof v === 'number' && k !== 'unitId') sums[k] = (sums[k] ?? 0) + v;
    const expected: Counts = {
      dossiersReceived: sums.received,
      dossiersHandled: sums.handled,
      dossiersHandledOnTime: sums.completedOnTime + sums.inProcessWithin,
      dossiersWithFee: sums.withFee,
      dossiersPaidOnline: sums.paidOnline,
      resultsIssued: sums.results,
      dossiersReceivedOnline: sums.onlineCapableOnline,
    };
    for (const [name, value] of Object.entries(expected)) {
      if (apiCounts[name] !== value) throw new Error(`scorecard ${name} = ${apiCounts[name]}, the direct aggregate says ${value}`);
    }
    if (card.method !== 'rollup' || apiCounts.dossiersReusingData !== null) throw new Error(`scorecard: method ${card.method}, reuse ${apiCounts.dossiersReusingData}`);
    const district = data.districtIds[0];
    const { rows: expectOverdue } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dossiers d JOIN org_units o ON o.id = d.unit_id
       WHERE o.path LIKE $1 AND d.received_at <= now() AND (d.ended_at IS NULL OR d.ended_at > now()) AND d.overdue_from <= now()`,
      [`/1/${district}/%`],
    );
    const overdue = await get(overduePath(district));
    // An empty list proves nothing at full scale; at a reduced one (CI's 1 %) a district may have none.
    const vacuous = expectOverdue[0].n === 0 && SCALE === 1;
    if (overdue.total !== expectOverdue[0].n || overdue.items.length !== Math.min(20, expectOverdue[0].n) || vacuous) {
      throw new Error(`overdue list of district ${district}: ${overdue.total} (${overdue.items.length} on the page), SQL says ${expectOverdue[0].n}`);
    }
    const due = await get(duePath(district));
    const ranking = await get(rankingPath);
    if (ranking.items.length !== UNITS.districts) throw new Error(`ranking: ${ranking.items.length} districts`);
    const trend = await get(trendPath);
    ctx.log(
      `checked: scorecard ${year} out of 100 = ${card.outOf100?.toFixed(2)} (received ${apiCounts.dossiersReceived}, handled ${apiCounts.dossiersHandled}, on time ${apiCounts.dossiersHandledOnTime}) = the direct aggregate; ` +
        `overdue list of district ${district}: ${overdue.total}; due within 2 days: ${due.total}; ranking: ${ranking.items.length} districts; trend: ${trend.months.length} months`,
    );

    // ---- measuring ----
    const measurements: Measurement[] = [];
    const measure = createMeasurer(ctx, server, measurements);
    const http = rawHttp(server, o, db.name);

    const districts = rotation(data.districtIds.map((d) => enc(overduePath(d))));
    const emptyM = await measure('empty-8', 'GET /bench/empty (8 connections)', http(rotation([enc('/bench/empty')]), READ_CONNECTIONS));
    const scorecardM = await measure('scorecard-year', `GET ${scorecardPath} (8 connections)`, http(rotation([enc(scorecardPath)]), READ_CONNECTIONS));
    const overdueM = await measure(
      'overdue-list',
      'GET /api/v1/dossiers?unitId=<district>&timeliness=in_process_overdue&sort=overdueFrom (8 connections; the 20 districts in turn, each with its 14 communes)',
      http(districts, READ_CONNECTIONS),
    );
    const dueM = await measure('due-within-2', 'GET /api/v1/dossiers?unitId=<district>&dueWithin=2&sort=dueOn (8 connections)', http(rotation(data.districtIds.map((d) => enc(duePath(d)))), READ_CONNECTIONS));
    const rankingM = await measure('ranking-year', `GET ${rankingPath} (8 connections)`, http(rotation([enc(rankingPath)]), READ_CONNECTIONS));
    const trendM = await measure('trend-year', `GET ${trendPath} (8 connections)`, http(rotation([enc(trendPath)]), READ_CONNECTIONS));
    const scorecard1M = await measure('scorecard-year-1', `GET ${scorecardPath} (1 connection, one after another)`, http(rotation([enc(scorecardPath)]), 1));
    // The slower paths, documented as such: a range that is not whole months, and a drill-down of a whole year.
    const rangeM = await measure('scorecard-range-direct', `GET ${rangePath} (1 connection, one after another)`, http(rotation([enc(rangePath)]), 1, { warmup: 0 }));
    const drillM = await measure('drill-down-year', `GET ${drillPath} (1 connection, one after another)`, http(rotation([enc(drillPath)]), 1, { warmup: 0 }));
    // The direct aggregate, alone: one connection, requests one after another, long enough for a few dozen.
    const t0 = performance.now();
    await runDirect();
    const directAlone = performance.now() - t0;
    const directM = await measure(
      'direct-aggregate',
      `the same counts by the direct aggregate over the dossier rows (scorecard-repo.ts directCountsQuery, year ${year}, every unit), through pg from the bench process (1 connection)`,
      (onWindow) =>
        runPgLoad({
          work: runDirect,
          connections: 1,
          warmupSeconds: 0,
          durationSeconds: Math.min(60, Math.max(o.duration, (30 * directAlone) / 1000)),
          postgresDatabase: db.name,
          onWindow,
        }),
      false,
    );
    await directPool.end().catch(() => {});

    // ---- figures ----
    const E = emptyM.load;
    const EMPTY = `GET /bench/empty at ${READ_CONNECTIONS} connections`;
    const { ms, rps } = readFigures('dossiers', E, EMPTY);
    const D = directM.load;
    const S1 = scorecard1M.load;
    const figures: Figure[] = [
      ms('scorecard-year', scorecardM, 'p95', { of: 'value', op: '<', value: TARGET.scorecardP95Ms }, 'the province (300 units, 1,000,000 dossiers) for the current year'),
      ms('scorecard-year', scorecardM, 'p50'),
      ms('scorecard-year', scorecardM, 'p99'),
      rps('scorecard-year', scorecardM),
      figure({
        name: 'dossiers.scorecard-year-vs-direct.p50',
        value: S1.latencyMs.p50,
        unit: 'ms',
        ceiling: D.latencyMs.p50,
        ceilingOf: 'the same counts by the direct aggregate over the dossier rows, p50, 1 connection, same run',
        target: { of: 'ratio', op: '<=', value: 1 / TARGET.speedup },
        note: `the whole scorecard over HTTP (1 connection) against the dossiers' counts alone straight through pg: ${(D.latencyMs.p50 / S1.latencyMs.p50).toFixed(0)}× faster at p50, ${(D.p95 / S1.p95).toFixed(0)}× at p95`,
      }),
      ms('overdue-list', overdueM, 'p95', { of: 'value', op: '<', value: TARGET.overdueP95Ms }, 'a district with its 14 communes: the first page (20) and the total'),
      ms('overdue-list', overdueM, 'p50'),
      ms('overdue-list', overdueM, 'p99'),
      rps('overdue-list', overdueM),
      ms('due-within-2', dueM, 'p95'),
      ms('ranking-year', rankingM, 'p95', null, 'the 20 districts of the province, each its own scorecard'),
      ms('trend-year', trendM, 'p95', null, 'the province, every month of the year so far'),
      ms('scorecard-range-direct', rangeM, 'p50', null, 'a range that is not whole months (2 January to 31 December): counted from the dossier rows, 1 connection'),
      ms('drill-down-year', drillM, 'p50', null, 'the dossiers the province received this year: the first page (20, newest first) and the total, 1 connection'),
    ];

    const perReq = (m: Measurement) => {
      const r = m.load.requestsPerSecond;
      const server = m.server ? ((m.server.cores / r) * 1000).toFixed(3) : '—';
      const postgres = m.load.cpu.postgresCores === null ? '—' : ((m.load.cpu.postgresCores / r) * 1000).toFixed(3);
      return `server ${server} ms + PostgreSQL ${postgres} ms (${m.server?.queriesPerRequest.toFixed(2) ?? '—'} SQL/req)`;
    };
    const findings = [
      `Seeding ${DOSSIERS.toLocaleString('en-US')} dossiers took ${seedSeconds.toFixed(0)} s: rows ${data.seconds.insert.toFixed(0)} s in batches of 100,000 (INSERT … SELECT, the statement-level triggers keeping the monthly rollups), indexes ${data.seconds.indexes.toFixed(0)} s, VACUUM ANALYZE and the derived-column check ${data.seconds.analyze.toFixed(0)} s. The rollups (${diff[0].rows.toLocaleString('en-US')} rows) equal a rebuild from scratch, which took ${rebuildSeconds.toFixed(1)} s.`,
      `CPU per answer: scorecard ${perReq(scorecardM)}; overdue list ${perReq(overdueM)}; ranking ${perReq(rankingM)}; trend ${perReq(trendM)}. The direct aggregate: ${D.latencyMs.p50.toFixed(0)} ms at p50 (PostgreSQL ${D.cpu.postgresCores === null ? '—' : D.cpu.postgresCores.toFixed(2)} cores).`,
    ];
    const errors = measurements.reduce((x, m) => x + (m.failedRequests ?? 0), 0);
    return {
      name: 'dossiers',
      description: dossiers.description,
      database: `${db.server} (local server, database ${db.name}, created and dropped by the run); DATABASE_POOL_SIZE=${o.poolSize}`,
      dataset:
        `1 province → ${UNITS.districts} districts → ${UNITS.communesPerDistrict} communes each (300 receiving units); 40 procedures (communes' and districts', 3–20 working days, online fully/partly/not, fees); ` +
        `${DOSSIERS.toLocaleString('en-US')} dossiers generated in SQL (generate_series) received over the last 365 days (${shape[0].thisYear.toLocaleString('en-US')} this year): ` +
        `15% with one supplement request and 3% with two, ended 1 to n + 3 working days after the last answer (${shape[0].late.toLocaleString('en-US')} late), 1% never ended; ` +
        `${shape[0].open.toLocaleString('en-US')} open now (${shape[0].overdue.toLocaleString('en-US')} overdue, ${shape[0].waiting.toLocaleString('en-US')} waiting for the citizen). ` +
        'Derived columns computed in SQL with a table of working days from the application\'s calendar, checked against derive.ts on a sample of ~2,500 (every 997th, and every 101st with a supplement request). Then VACUUM ANALYZE.',
      method: [
        `The scorecard: \`GET ${scorecardPath}\` as the province's leader (session cookie), 8 connections, closed loop; target p95 < ${TARGET.scorecardP95Ms} ms. Before measuring, its dossier counts are checked equal to the direct aggregate's.`,
        `Against the direct aggregate: the same request at 1 connection, beside the statement that computes the same counts from the dossier rows (scorecard-repo.ts, the path of custom ranges), sent through pg by the bench process at 1 connection; target: the scorecard's p50 ≤ 1/${TARGET.speedup} of the aggregate's (≥ ${TARGET.speedup}× faster). The aggregate leaves out what the scorecard adds (procedures, scoring, HTTP), so the comparison favours it.`,
        `The overdue list: \`GET /api/v1/dossiers?unitId=<district>&timeliness=in_process_overdue&sort=overdueFrom\` (the first page of 20 and the total), rotating over the ${UNITS.districts} districts, 8 connections; target p95 < ${TARGET.overdueP95Ms} ms. Checked against a SQL count first.`,
        `Informational, 8 connections: the "due within 2 working days" list of a district, the ranking of the ${UNITS.districts} districts for the year, the trend of the province by month. At 1 connection: the scorecard of a range that is not made of whole months (computed from the dossier rows) and the drill-down list of the dossiers the province received this year.`,
        `The empty route \`GET /bench/empty\` at ${READ_CONNECTIONS} connections is the reads' ceiling (same server process, same run). ${o.warmup} s warm-up (none for the direct aggregate), then ${o.duration} s measured per figure; a measurement disturbed by other processes (> ${DISTURBED} core) is taken again up to ${o.retries} times.`,
      ],
      figures,
      measurements,
      errors,
      findings,
    };
  },
};
