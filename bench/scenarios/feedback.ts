/**
 * feedback: the citizen-feedback figures of issue 3, on PostgreSQL, with 1,000,000 reports stored.
 *
 * - Open311 `POST /open311/v2/requests.json` (form-encoded, api_key) at 64 connections, beside its
 *   ceiling measured in the same run: the same rows (the report and its timeline event) inserted
 *   straight through `pg` by this process, 64 concurrent callers on a pg.Pool of the server's size.
 * - At 8 connections: Open311 `GET requests.json?service_code=…` (the 1,000 newest of a category),
 *   the staff duplicate suggestion `GET /api/v1/feedback/duplicates`, and the statistics of the
 *   province for a year `GET /api/v1/feedback/statistics`; each beside the empty route at the
 *   same concurrency.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEMO_PASSWORD } from '../../demo/load.js';
import { hashToken, trackingCode } from '../../src/modules/feedback/codes.js';
import { newApiKey, sha256 } from '../../src/platform/auth/tokens.js';
import { encodeRequest, type RawRequest, runPgLoad, } from '../lib/load.js';
import { type Load, type LoadRun, createMeasurer, rawHttp, rotation, signIn } from '../lib/measure.js';
import { type BenchDatabase, scenarioDatabase } from '../lib/postgres.js';
import { DISTURBED, type Figure, type Measurement, type ScenarioReport, figure, } from '../lib/report.js';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { scaled } from '../lib/scale.js';
import { type ServerProcess, startServer } from '../lib/server-process.js';
import { type FeedbackData, STREETS, description, seedFeedback } from './feedback-seed.js';

export const REPORTS = scaled(1_000_000, 50_000);
const READ_CONNECTIONS = 8;
const OPERATOR = 'dieuhanh'; // demo/load.ts: operator on the province
const TARGET = {
  postRps: 1000,
  postP99Ms: 100,
  postRatio: 0.5,
  listP95Ms: 50,
  duplicatesP95Ms: 30,
  statisticsP95Ms: 200,
};





/**
 * What the PostgreSQL server wrote to disk, and why (pg_stat_bgwriter, pg_stat_checkpointer from
 * PostgreSQL 17 on, pg_stat_wal): cluster-wide counters, so another database's writes count too.
 * A write figure is explained by them: a checkpoint in the window writes pages out beside the
 * load, and logs every page first changed after it whole (full-page images), which multiplies
 * the WAL each commit waits for.
 */
interface WriteActivity {
  checkpointsTimed: number;
  checkpointsRequested: number;
  buffersCheckpoint: number;
  buffersClean: number;
  /** Pages the backends had to write themselves (null from PostgreSQL 17 on: in pg_stat_io). */
  buffersBackend: number | null;
  walBytes: number;
  walFullPageImages: number;
}

async function writeActivity(pool: pg.Pool): Promise<WriteActivity> {
  const wal = `w.wal_bytes::float8 AS "walBytes", w.wal_fpi::float8 AS "walFullPageImages"`;
  const { rows } = await pool.query<WriteActivity>(
    Number((await pool.query<{ v: string }>('SHOW server_version_num')).rows[0].v) >= 170000
      ? `SELECT c.num_timed::float8 AS "checkpointsTimed", c.num_requested::float8 AS "checkpointsRequested",
           c.buffers_written::float8 AS "buffersCheckpoint", b.buffers_clean::float8 AS "buffersClean", NULL AS "buffersBackend", ${wal}
         FROM pg_stat_checkpointer c, pg_stat_bgwriter b, pg_stat_wal w`
      : `SELECT b.checkpoints_timed::float8 AS "checkpointsTimed", b.checkpoints_req::float8 AS "checkpointsRequested",
           b.buffers_checkpoint::float8 AS "buffersCheckpoint", b.buffers_clean::float8 AS "buffersClean",
           b.buffers_backend::float8 AS "buffersBackend", ${wal}
         FROM pg_stat_bgwriter b, pg_stat_wal w`,
  );
  return rows[0];
}

function activityBetween(a: WriteActivity, b: WriteActivity): WriteActivity {
  const d = (k: keyof WriteActivity) => (a[k] === null || b[k] === null ? null : (b[k] as number) - (a[k] as number));
  return {
    checkpointsTimed: d('checkpointsTimed') ?? 0,
    checkpointsRequested: d('checkpointsRequested') ?? 0,
    buffersCheckpoint: d('buffersCheckpoint') ?? 0,
    buffersClean: d('buffersClean') ?? 0,
    buffersBackend: d('buffersBackend'),
    walBytes: d('walBytes') ?? 0,
    walFullPageImages: d('walFullPageImages') ?? 0,
  };
}

const count = (n: number) => n.toLocaleString('en-US');
const describeActivity = (x: WriteActivity) =>
  `${count(x.checkpointsRequested)} checkpoint${x.checkpointsRequested === 1 ? '' : 's'} requested, ${count(x.checkpointsTimed)} timed; ` +
  `8 KiB pages written by checkpoints ${count(x.buffersCheckpoint)}, by the background writer ${count(x.buffersClean)}` +
  `${x.buffersBackend === null ? '' : `, by backends ${count(x.buffersBackend)}`}; ` +
  `WAL ${(x.walBytes / 2 ** 20).toFixed(0)} MiB with ${count(x.walFullPageImages)} full-page images`;

// The server under test inherits this process's environment: OPEN311_JSON_CACHE_BYTES=0 measures the list cold.
const LIST_CACHE =
  process.env.OPEN311_JSON_CACHE_BYTES === '0'
    ? 'the JSON cache off (OPEN311_JSON_CACHE_BYTES=0): PostgreSQL writes every answer whole'
    : "with a warm JSON cache: the warm-up has each listed request's JSON written once, as on a running server (once per change of the report); OPEN311_JSON_CACHE_BYTES=0 measures it cold";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Business date (Asia/Ho_Chi_Minh) `days` days from now. */
const businessDate = (days: number) => new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

export const feedback: Scenario = {
  name: 'feedback',
  description:
    'Citizen feedback on PostgreSQL with 1,000,000 reports stored: Open311 POST requests.json at 64 connections beside the same rows ' +
    'inserted straight through pg (the ceiling, same run); Open311 GET requests.json, the duplicate suggestion and the statistics of ' +
    'the province for a year at 8 connections, beside the empty route at 8 connections.',

  async run(ctx: BenchContext): Promise<ScenarioReport> {
    const o = ctx.options;
    const db: BenchDatabase = await scenarioDatabase(ctx);

    const t = performance.now();
    ctx.log(`seeding ${REPORTS.toLocaleString('en-US')} reports …`);
    const beforeSeed = await writeActivity(db.pool);
    const data: FeedbackData = await seedFeedback(db.pool, REPORTS, ctx.log);
    const seedSeconds = (performance.now() - t) / 1000;
    const seedWrites = activityBetween(beforeSeed, await writeActivity(db.pool));
    ctx.log(
      `seeded in ${seedSeconds.toFixed(1)} s (demo ${data.seconds.demo.toFixed(1)} s, rows ${data.seconds.insert.toFixed(1)} s, indexes ${data.seconds.indexes.toFixed(1)} s, statistics rollups ${data.seconds.rollups.toFixed(1)} s, VACUUM ANALYZE ${data.seconds.analyze.toFixed(1)} s, checkpoint and autovacuum ${data.seconds.settle.toFixed(1)} s)`,
    );
    ctx.log(`  the seed's writes: ${describeActivity(seedWrites)}`);
    const { rows: shape } = await db.pool.query<{ open: number; listed90: number; events: number }>(`
      SELECT count(*) FILTER (WHERE status IN ('received', 'verified', 'assigned', 'in_progress'))::int AS open,
             count(*) FILTER (WHERE status IN ('verified', 'assigned', 'in_progress', 'resolved', 'closed') AND received_at > now() - interval '90 days')::int AS listed90,
             (SELECT count(*)::int FROM feedback_events) AS events
      FROM feedback_reports`);

    // The Open311 client's API key (an administrator would issue it in /admin/api-keys).
    const key = newApiKey();
    await db.pool.query(`INSERT INTO api_keys (name, prefix, secret_hash, role, org_unit_id) VALUES ('Bench Open311 client', $1, $2, 'citizen', $3)`, [
      key.prefix,
      sha256(key.secret),
      data.provinceId,
    ]);

    // Open311 reads are limited per client address (300 a minute): requests come from many
    // addresses, as from many citizens' apps, through a proxy the server trusts (TRUST_PROXY).
    const server: ServerProcess = await startServer({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(o.poolSize), TRUST_PROXY: '127.0.0.1' });
    ctx.defer(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;
    ctx.log(`server pid ${server.pid} listening on ${base}`);
    const cookie = await signIn(base, OPERATOR, DEMO_PASSWORD);
    const enc = (r: RawRequest) => encodeRequest('127.0.0.1', server.port, r);
    const xff = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

    // ---- the requests ----
    const cats = data.categories;
    const communes = data.communes;
    const point = (i: number) => {
      const c = communes[(i * 7) % communes.length];
      return { lat: +(c.lat + (((i * 37) % 100) / 100 - 0.5) * 0.03).toFixed(6), lng: +(c.lng + (((i * 53) % 100) / 100 - 0.5) * 0.03).toFixed(6), commune: c };
    };
    const postFields = (i: number) => {
      const c = cats[i % cats.length];
      const p = point(i);
      return { api_key: key.full, service_code: c.code, lat: String(p.lat), long: String(p.lng), description: description(c, 1 + (i % 300), STREETS[i % STREETS.length], i) };
    };
    const posts = Array.from({ length: 1024 }, (_, i) => enc({ method: 'POST', path: '/open311/v2/requests.json', body: form(postFields(i)) }));
    const listPath = (i: number) => `/open311/v2/requests.json?service_code=${encodeURIComponent(cats[i % cats.length].code)}`;
    const lists = Array.from({ length: 4096 }, (_, i) => enc({ method: 'GET', path: listPath(i), headers: { 'X-Forwarded-For': xff(i) } }));
    const dupPath = (i: number) => {
      const c = cats[i % cats.length];
      const p = point(i * 3 + 1);
      const text = description(c, 1 + ((i * 11) % 300), STREETS[(i * 5) % STREETS.length], i);
      return `/api/v1/feedback/duplicates?categoryId=${c.id}&lat=${p.lat}&lng=${p.lng}&text=${encodeURIComponent(text)}`;
    };
    const dups = Array.from({ length: 1024 }, (_, i) => enc({ method: 'GET', path: dupPath(i), headers: { cookie } }));
    const from = businessDate(-365);
    const to = businessDate(0);
    const statsPath = `/api/v1/feedback/statistics?unitId=${data.provinceId}&from=${from}&to=${to}`;
    const stats = [enc({ method: 'GET', path: statsPath, headers: { cookie } })];
    const empty = [enc({ method: 'GET', path: '/bench/empty', headers: { cookie } })];

    // ---- each route answers what it should, with the seeded data ----
    const check = async (what: string, res: Response, status = 200) => {
      const text = await res.text();
      if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text);
    };
    const created = await check(
      'POST /open311/v2/requests.json',
      await fetch(`${base}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(postFields(0)) }),
      201,
    );
    if (!Array.isArray(created) || !/^PA/.test(created[0]?.service_request_id ?? '')) throw new Error(`POST requests.json answered ${JSON.stringify(created).slice(0, 300)}`);
    const listed = await check(listPath(0), await fetch(`${base}${listPath(0)}`, { headers: { 'x-forwarded-for': '10.255.0.1' } }));
    const { rows: expectList } = await db.pool.query<{ code: string }>(
      `SELECT r.code FROM feedback_reports r WHERE r.category_id = $1 AND r.status IN ('verified', 'assigned', 'in_progress', 'resolved', 'closed')
         AND r.received_at >= now() - interval '90 days' ORDER BY r.received_at DESC, r.id DESC LIMIT 1000`,
      [cats[0].id],
    );
    if (listed.length !== 1000 || listed[0].service_request_id !== expectList[0].code || listed[999].service_request_id !== expectList[999].code) {
      throw new Error(`GET ${listPath(0)}: ${listed.length} requests, first ${listed[0]?.service_request_id}; expected the 1,000 newest of the category, first ${expectList[0]?.code}`);
    }
    const dup = await check(dupPath(0), await fetch(`${base}${dupPath(0)}`, { headers: { cookie } }));
    const st = await check(statsPath, await fetch(`${base}${statsPath}`, { headers: { cookie } }));
    const statReceived = (st.items as { received: number }[]).reduce((n, x) => n + x.received, 0);
    if (statReceived < REPORTS * 0.99) throw new Error(`statistics counted ${statReceived} reports received in ${from}…${to}, expected about ${REPORTS}`);
    ctx.log(`checked: POST → ${created[0].service_request_id}; list → 1,000 newest; duplicates → ${dup.items.length} items; statistics → ${st.items.length} units, ${statReceived.toLocaleString('en-US')} reports`);

    // ---- measuring ----
    const measurements: Measurement[] = [];
    const measure = createMeasurer(ctx, server, measurements);
    const http = rawHttp(server, o, db.name);
    // The server's writes during each measured window (of the attempt that is kept).
    const windowWrites = new WeakMap<Load, WriteActivity>();
    const withWrites =
      (run: LoadRun): LoadRun =>
      async (onWindow) => {
        const at: Promise<WriteActivity>[] = [];
        const load = await run(() => {
          onWindow();
          at.push(writeActivity(db.pool));
        });
        const [a, b] = await Promise.all(at);
        windowWrites.set(load, activityBetween(a, b));
        ctx.log(`  during the window: ${describeActivity(windowWrites.get(load)!)}`);
        return load;
      };

    const emptyM = await measure('empty-8', 'GET /bench/empty (8 connections)', http(rotation(empty), READ_CONNECTIONS));
    const listM = await measure(
      'open311-list',
      'GET /open311/v2/requests.json?service_code=<category> (8 connections; the 1,000 newest of the category in the last 90 days)',
      http(rotation(lists), READ_CONNECTIONS),
    );
    const dupM = await measure(
      'duplicates',
      'GET /api/v1/feedback/duplicates?categoryId=&lat=&lng=&text= (8 connections)',
      http(rotation(dups), READ_CONNECTIONS),
    );
    // The statistics answer is timed alone first: far beyond its target, 8 at once would only
    // queue behind each other.
    const probe: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await check(statsPath, await fetch(`${base}${statsPath}`, { headers: { cookie } }));
      probe.push(performance.now() - t0);
    }
    const statsAlone = [...probe].sort((a, b) => a - b)[1];
    const statsConnections = statsAlone > TARGET.statisticsP95Ms * 5 ? 1 : READ_CONNECTIONS;
    if (statsConnections === 1) ctx.log(`statistics take ${Math.round(statsAlone)} ms alone (median of 3): measured with 1 connection, not ${READ_CONNECTIONS}`);
    const statsM = await measure(
      'statistics',
      `GET /api/v1/feedback/statistics?unitId=<province>&from=${from}&to=${to} (${statsConnections} connection${statsConnections > 1 ? 's' : ''})`,
      http(
        rotation(stats),
        statsConnections,
        statsConnections === 1 ? { warmup: 0, duration: Math.min(60, Math.max(o.duration, (5 * statsAlone) / 1000)) } : {},
      ),
    );
    const postM = await measure(
      'open311-post',
      `POST /open311/v2/requests.json (form: api_key, service_code, lat, long, description; ${o.connections} connections)`,
      withWrites(http(rotation(posts), o.connections, { expectStatus: 201 })),
    );

    // The ceiling of the write: the same rows straight through pg, from this process.
    const ceilingPool = new pg.Pool({ connectionString: db.url, max: o.poolSize });
    ceilingPool.on('error', () => {});
    ctx.defer(() => ceilingPool.end().catch(() => {}));
    const hashes = Array.from({ length: 1024 }, () => hashToken(randomBytes(24).toString('base64url')));
    let n = 0;
    const INSERT = `
      WITH r AS (
        INSERT INTO feedback_reports (code, category_id, description, address, lat, lng, area_unit_id, suggested_unit_id,
          reporter_name, reporter_phone, reporter_email, anonymous, reporter_token_hash, source, attributes)
        VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, NULL, NULL, NULL, true, $8, 'open311', '{}'::jsonb)
        ON CONFLICT (code) DO NOTHING
        RETURNING id, received_at)
      INSERT INTO feedback_events (report_id, action, from_status, to_status, at, public, actor_role, user_id, unit_id, details)
      SELECT id, 'submit', NULL, 'received', received_at, true, 'reporter', NULL, NULL, '{"photos":0}'::jsonb FROM r`;
    const work = () => {
      const i = n++;
      const f = postFields(i);
      const c = cats[i % cats.length];
      const p = point(i);
      return ceilingPool.query({ name: 'bench_feedback_insert', text: INSERT, values: [trackingCode(), c.id, f.description, p.lat, p.lng, p.commune.id, c.unitKind === 'district' ? p.commune.districtId : p.commune.id, hashes[i % hashes.length]] });
    };
    const pgM = await measure(
      'pg-insert',
      `the report + its timeline event, one INSERT … RETURNING / INSERT statement through pg.Pool(max ${o.poolSize}) from the bench process (${o.connections} concurrent)`,
      withWrites((onWindow) =>
        runPgLoad({ work, connections: o.connections, warmupSeconds: o.warmup, durationSeconds: o.duration, postgresDatabase: db.name, onWindow }),
      ),
      false,
    );
    await ceilingPool.end().catch(() => {});

    // ---- figures ----
    const E = emptyM.load;
    const P = pgM.load;
    const ms = (name: string, m: Measurement & { load: Load }, key: 'p50' | 'p95' | 'p99', ceiling: Load, ceilingOf: string, target: Figure['target'] = null, note?: string) =>
      figure({
        name: `feedback.${name}.${key}`,
        value: key === 'p95' ? m.load.p95 : m.load.latencyMs[key],
        unit: 'ms',
        ceiling: key === 'p95' ? ceiling.p95 : ceiling.latencyMs[key],
        ceilingOf: `${ceilingOf}, ${key}`,
        target,
        note,
      });
    const rps = (name: string, m: Measurement, ceiling: Load, ceilingOf: string, target: Figure['target'] = null, note?: string, suffix = 'rps') =>
      figure({ name: `feedback.${name}.${suffix}`, value: m.load.requestsPerSecond, unit: 'req/s', ceiling: ceiling.requestsPerSecond, ceilingOf, target, note });
    const EMPTY = `GET /bench/empty at ${READ_CONNECTIONS} connections`;
    const PG = `the same rows inserted through pg at ${o.connections} concurrent`;
    const figures: Figure[] = [
      rps('open311-post', postM, P, PG, { of: 'value', op: '>=', value: TARGET.postRps }),
      rps('open311-post', postM, P, PG, { of: 'ratio', op: '>=', value: TARGET.postRatio }, 'the same requests/s against the ceiling: target ≥ 50% of it', 'rps-of-ceiling'),
      ms(
        'open311-post',
        postM,
        'p99',
        P,
        PG,
        { of: 'value', op: '<', value: TARGET.postP99Ms },
        `written by the server in the window: ${describeActivity(windowWrites.get(postM.load)!)}; in the ceiling's: ${describeActivity(windowWrites.get(P)!)}`,
      ),
      ms('open311-post', postM, 'p50', P, PG),
      ms('open311-list', listM, 'p95', E, EMPTY, { of: 'value', op: '<', value: TARGET.listP95Ms }, `1,000 service requests per answer (~${Math.round(listM.load.meanBytes / 1024)} KiB); ${LIST_CACHE}`),
      ms('open311-list', listM, 'p50', E, EMPTY),
      ms('open311-list', listM, 'p99', E, EMPTY),
      rps('open311-list', listM, E, EMPTY),
      ms('duplicates', dupM, 'p95', E, EMPTY, { of: 'value', op: '<', value: TARGET.duplicatesP95Ms }),
      ms('duplicates', dupM, 'p50', E, EMPTY),
      ms('duplicates', dupM, 'p99', E, EMPTY),
      rps('duplicates', dupM, E, EMPTY),
      ms(
        'statistics',
        statsM,
        'p95',
        E,
        EMPTY,
        { of: 'value', op: '<', value: TARGET.statisticsP95Ms },
        statsConnections === 1
          ? `measured with 1 connection (requests one after another, ${statsM.load.requests} in ${statsM.load.seconds.toFixed(0)} s): one answer alone took ${Math.round(statsAlone)} ms (median of 3), so ${READ_CONNECTIONS} connections would only queue`
          : undefined,
      ),
      ms('statistics', statsM, 'p50', E, EMPTY),
      ms('statistics', statsM, 'p99', E, EMPTY),
      rps('statistics', statsM, E, EMPTY),
    ];

    const perReq = (m: Measurement) => {
      const r = m.load.requestsPerSecond;
      const server = m.server ? ((m.server.cores / r) * 1000).toFixed(3) : '—';
      const postgres = m.load.cpu.postgresCores === null ? '—' : ((m.load.cpu.postgresCores / r) * 1000).toFixed(3);
      return `server ${server} ms + PostgreSQL ${postgres} ms`;
    };
    const findings = [
      `Seeding ${REPORTS.toLocaleString('en-US')} reports and ${shape[0].events.toLocaleString('en-US')} timeline events took ${seedSeconds.toFixed(0)} s (rows ${data.seconds.insert.toFixed(0)} s, indexes ${data.seconds.indexes.toFixed(0)} s, statistics rollups rebuilt ${data.seconds.rollups.toFixed(0)} s, VACUUM ANALYZE ${data.seconds.analyze.toFixed(0)} s, ${data.checkpointed ? 'CHECKPOINT' : 'no CHECKPOINT (not allowed)'} and autovacuum settled ${data.seconds.settle.toFixed(0)} s). The seed's writes: ${describeActivity(seedWrites)}.`,
      `Written by the PostgreSQL server while the POST was measured: ${describeActivity(windowWrites.get(postM.load)!)}; while its ceiling was: ${describeActivity(windowWrites.get(P)!)} (pg_stat_bgwriter, pg_stat_wal; cluster-wide).`,
      `CPU per answered request: POST ${perReq(postM)} (${postM.server?.queriesPerRequest.toFixed(2)} SQL statements); the pg ceiling PostgreSQL ${P.cpu.postgresCores === null ? '—' : ((P.cpu.postgresCores / P.requestsPerSecond) * 1000).toFixed(3)} ms + bench process ${((P.cpu.clientCores / P.requestsPerSecond) * 1000).toFixed(3)} ms (1 statement).`,
      `Reads: list ${perReq(listM)} (${listM.server?.queriesPerRequest.toFixed(2)} SQL/req); duplicates ${perReq(dupM)} (${dupM.server?.queriesPerRequest.toFixed(2)} SQL/req); statistics ${perReq(statsM)} (${statsM.server?.queriesPerRequest.toFixed(2)} SQL/req).`,
    ];

    const errors = measurements.reduce((x, m) => x + (m.failedRequests ?? 0), 0);
    return {
      name: 'feedback',
      description: feedback.description,
      database: `${db.server} (local server, database ${db.name}, created and dropped by the run); DATABASE_POOL_SIZE=${o.poolSize}; TRUST_PROXY=127.0.0.1`,
      dataset:
        `The demo locality (demo/org-units.csv: 1 province, ${data.communes.length} communes) and its users; ${data.categories.length} categories; ` +
        `${REPORTS.toLocaleString('en-US')} reports generated in SQL (generate_series) over the communes (points within ~1.6 km of the commune centre), the categories (skewed), ` +
        `the statuses (by age: the last days open, older ones mostly closed; ${shape[0].open.toLocaleString('en-US')} open) and received dates over the last 365 days ` +
        `(${shape[0].listed90.toLocaleString('en-US')} public ones in the last 90 days, the default window of Open311 GET requests); ` +
        `${shape[0].events.toLocaleString('en-US')} timeline events (the submission and the latest step). Then VACUUM ANALYZE. Writes measured after the reads, on top of the million.`,
      method: [
        `Open311 POST: \`POST /open311/v2/requests.json\`, application/x-www-form-urlencoded with \`api_key\` (an API key row of role citizen on the province), \`service_code\`, \`lat\`, \`long\`, \`description\`, rotating over the ${data.categories.length} services and points in the communes; success is 201. ${o.connections} connections, closed loop, raw keep-alive sockets (bench/lib/load.ts, pre-encoded requests with their bodies). Targets: ≥ ${TARGET.postRps} req/s, p99 < ${TARGET.postP99Ms} ms, ≥ ${TARGET.postRatio * 100}% of the ceiling.`,
        `Its ceiling: the rows the real path writes for a report (feedback_reports and its 'submit' timeline event) in one statement (\`WITH r AS (INSERT … RETURNING) INSERT INTO feedback_events …\`, prepared), ${o.connections} concurrent callers in the bench process over a pg.Pool of ${o.poolSize} connections (the server's DATABASE_POOL_SIZE), closed loop, measured right after the POST. The real path writes the same two rows in one prepared statement too, with the audit_log row and the live bus's notice (pg_notify) in that statement, after reading the API key, the category and the org units from memory; the ceiling writes neither the audit row nor the notice.`,
        `Reads at ${READ_CONNECTIONS} connections, p95 from the same 1%-bucket histogram: Open311 \`GET /open311/v2/requests.json?service_code=<code>\` (no dates: the last 90 days; the answer is the 1,000 newest listed reports of the category, checked against SQL before measuring; ${LIST_CACHE}), target p95 < ${TARGET.listP95Ms} ms; the staff duplicate suggestion \`GET /api/v1/feedback/duplicates\` (category, a point, a description like the stored ones; radius 100 m by default), target p95 < ${TARGET.duplicatesP95Ms} ms; the statistics of the province for the last 365 days \`GET /api/v1/feedback/statistics?unitId=<province>&from=&to=\` (grouped by unit; one SQL statement over the monthly rollups a trigger keeps (migration 004) for the whole months, the current month included up to today, and over the reports of the days of the first month the period cuts, read from the received_at index alone; the open overdue reports from a partial index), target p95 < ${TARGET.statisticsP95Ms} ms. Staff routes carry the session cookie of the demo operator of the province (signed in through POST /api/v1/auth/login).`,
        'Open311 reads are rate-limited per client address (300 a minute): the server runs with TRUST_PROXY=127.0.0.1 and each request carries one of 4,096 X-Forwarded-For addresses, as many citizens\' apps would; the staff routes have no such limit.',
        `The empty route \`GET /bench/empty\` at ${READ_CONNECTIONS} connections is the reads' ceiling (same server process, same run).`,
        `${o.warmup} s warm-up, then ${o.duration} s measured per figure; a measurement disturbed by other processes (> ${DISTURBED} core) is taken again up to ${o.retries} times.`,
      ],
      figures,
      measurements,
      errors,
      findings,
    };
  },
};
