import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { SUBMISSION_BATCH, SUBMISSION_STATEMENTS, type Submission, createSubmissionWriter } from '../../src/modules/feedback/submission-writer.js';
import { type TestApp, buildTestApp, makeUnit } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

// The submission writer runs several batch statements at once, but never two that write reports
// of the same area unit: each new report's insert locks its unit's statistics rollup rows until the
// commit (migration 004), and two batches sharing units would lock them in different orders and
// deadlock. Whatever arrives, every submission is stored once, no statement fails, and the
// rollups say what a rebuild from the reports says.

type Unit = Awaited<ReturnType<typeof makeUnit>>;

/** A small deterministic random source (mulberry32), so that a failing sequence can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of await testBackends()) {
  describe(`Feedback submission writer on ${kind}`, () => {
    let t: TestApp;
    let communes: Unit[];
    let categories: number[];
    let seq = 0;

    before(async () => {
      t = await buildTestApp(kind);
      const province = await makeUnit(t.db, { kind: 'province' });
      communes = [];
      for (let i = 0; i < 6; i++) communes.push(await makeUnit(t.db, { parent: province }));
      categories = [];
      for (const code of ['W-DEN', 'W-RAC', 'W-NUOC']) {
        const { rows } = await sql<{ id: number }>`
          INSERT INTO feedback_categories (code, name, description, group_name, unit_kind, deadline_days)
          VALUES (${code}, ${`Lĩnh vực ${code}`}, 'Thử', 'Thử', 'commune', 3) RETURNING id`.execute(t.db);
        categories.push(rows[0].id);
      }
    });
    after(() => t.close());

    /** A submission in `area` (null: outside every unit) and `category`, with a fresh tracking code. */
    function submission(area: Unit | null, category: number): Submission {
      // PA + 8 of the code alphabet: W, then the sequence number in base 32.
      let code = '';
      for (let n = ++seq, i = 0; i < 7; i++, n = Math.floor(n / 32)) code = ALPHABET[n % 32] + code;
      code = `PAW${code}`;
      return {
        report: {
          code,
          category_id: category,
          description: `Phản ánh ${code}`,
          address: null,
          lat: 21.02,
          lng: 106.02,
          area_unit_id: area?.id ?? null,
          suggested_unit_id: area?.id ?? null,
          reporter_name: null,
          reporter_phone: null,
          reporter_email: null,
          anonymous: true,
          reporter_token_hash: null,
          source: 'open311',
          attributes: {},
        },
        photos: [],
        details: { photos: 0 },
        audit: { orgUnitId: area?.id ?? null, after: { code } },
        notice: { type: 'test.submitted', orgUnitId: null, orgUnitPath: null, payload: { code }, internal: true },
      };
    }

    /** The writer on the app's pool, with every statement that failed on it recorded, and the most under way at once. */
    function watchedWriter() {
      const s = t.app.services;
      const pool = t.testDb.database.pool;
      const seen = { failures: [] as string[], underWay: 0, mostUnderWay: 0 };
      const watched = new WeakSet<pg.PoolClient>();
      const watching = {
        async connect() {
          const client = await pool.connect();
          if (!watched.has(client)) {
            watched.add(client);
            const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
            (client as { query: unknown }).query = async (...a: unknown[]) => {
              seen.mostUnderWay = Math.max(seen.mostUnderWay, ++seen.underWay);
              try {
                return await query(...a);
              } catch (err) {
                const e = err as { code?: string; message?: string };
                seen.failures.push(`${e.code} ${e.message}`);
                throw err;
              } finally {
                seen.underWay--;
              }
            };
          }
          return client;
        },
      } as unknown as pg.Pool;
      return { writer: createSubmissionWriter({ db: s.db, pool: watching, bus: s.bus }), seen };
    }

    async function rollups() {
      const monthly = await sql`SELECT * FROM feedback_stats_monthly ORDER BY month, unit_id, assigned, category_id`.execute(t.db);
      const units = await sql`SELECT * FROM feedback_stats_units ORDER BY month, unit_id, assigned`.execute(t.db);
      return { monthly: monthly.rows, units: units.rows };
    }

    test('submissions of many units arriving together are each stored once, no statement fails, and the rollups equal a rebuild', async () => {
      const { writer, seen } = watchedWriter();
      const rnd = random(11);
      const areas: (Unit | null)[] = [...communes, null];
      // Waves 5 ms apart, each of 50 submissions from two units, the next wave sharing one of them:
      // batches form while others are under way, with units in their own order.
      const subs = Array.from({ length: 12 }, (_, wave) =>
        Array.from({ length: 50 }, () => submission(areas[(wave + (rnd() < 0.5 ? 0 : 1)) % areas.length], categories[Math.floor(rnd() * categories.length)])),
      );
      const stored = (
        await Promise.all(
          subs.map(async (ofWave, wave) => {
            await sleep(wave * 5);
            return Promise.all(ofWave.map((x) => writer.write(x)));
          }),
        )
      ).flat();
      assert.ok(
        stored.every((x) => x && x.id > 0),
        'every submission is stored',
      );
      assert.equal(new Set(stored.map((x) => x?.id)).size, stored.length, 'each with its own report');
      assert.deepEqual(seen.failures, [], 'no statement failed (a deadlock would have, before the writer retried its submissions one by one)');
      if (kind === 'postgres') assert.ok(seen.mostUnderWay >= 2, `statements ran side by side (at most ${seen.mostUnderWay} did)`);
      const { rows } = await sql<{ area: number | null; n: number }>`
        SELECT area_unit_id AS area, count(*)::int AS n FROM feedback_reports WHERE code LIKE 'PAW%' GROUP BY 1`.execute(t.db);
      const expected = new Map<number | null, number>();
      for (const x of subs.flat()) expected.set(x.report.area_unit_id, (expected.get(x.report.area_unit_id) ?? 0) + 1);
      assert.deepEqual(new Map(rows.map((r) => [r.area, r.n])), expected);
      const kept = await rollups();
      await sql`SELECT feedback_stats_rebuild()`.execute(t.db);
      assert.deepEqual(await rollups(), kept, 'the rollups the trigger kept are those a rebuild makes');
    });

    test('a batch waiting on a unit holds back the submissions of that unit only', { skip: kind !== 'postgres' && 'PGlite has one connection' }, async () => {
      assert.ok(SUBMISSION_STATEMENTS >= 2, 'more than one statement may be under way');
      const [a, b] = communes;
      const { writer, seen } = watchedWriter();
      // Commune A's rollup rows exist (a first report), then another transaction holds them.
      assert.ok(await writer.write(submission(a, categories[0])));
      const locker = new pg.Client({ connectionString: t.testDb.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        const held = await locker.query('SELECT 1 FROM feedback_stats_units WHERE unit_id = $1 FOR UPDATE', [a.id]);
        assert.equal(held.rowCount, 1);
        const firstOfA = writer.write(submission(a, categories[0]));
        await sleep(100);
        const secondOfA = writer.write(submission(a, categories[1]));
        // Commune B is written beside the statement that waits for A.
        const ofB = await Promise.race([
          Promise.all([writer.write(submission(b, categories[0])), writer.write(submission(b, categories[1]))]),
          sleep(5000).then(() => 'timed out' as const),
        ]);
        assert.notEqual(ofB, 'timed out', "commune B's reports are not held back by commune A's");
        assert.ok(Array.isArray(ofB) && ofB.every((x) => x && x.id > 0));
        // A's second submission waits in the writer, not in a statement of its own beside the first.
        const { rows } = await locker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO feedback_reports%'`,
        );
        assert.equal(rows[0].n, 1, "one statement waits for commune A's rollup rows");
        await locker.query('COMMIT');
        const [first, second] = await Promise.all([firstOfA, secondOfA]);
        assert.ok(first && second && first.id < second.id, 'then both are stored, the first first');
      } finally {
        await locker.query('ROLLBACK').catch(() => {});
        await locker.end();
      }
      assert.deepEqual(seen.failures, []);
    });

    test('two batches whose units cross never run side by side, so they cannot deadlock', { skip: kind !== 'postgres' && 'PGlite has one connection' }, async () => {
      const [a, b, ...others] = communes;
      const plugs = others.slice(0, SUBMISSION_STATEMENTS);
      assert.equal(plugs.length, SUBMISSION_STATEMENTS, 'a unit for each statement that may be under way');
      const [c1, c2] = categories;
      const { writer, seen } = watchedWriter();
      // Every rollup row the test locks exists.
      for (const unit of [a, b, ...plugs]) for (const c of [c1, c2]) assert.ok(await writer.write(submission(unit, c)));
      const plugLocker = new pg.Client({ connectionString: t.testDb.url });
      const rowLocker = new pg.Client({ connectionString: t.testDb.url });
      await plugLocker.connect();
      await rowLocker.connect();
      try {
        // Statements of the plug units fill every place and wait, so that what comes next queues.
        await plugLocker.query('BEGIN');
        await plugLocker.query('SELECT 1 FROM feedback_stats_units WHERE unit_id = ANY($1) FOR UPDATE', [plugs.map((u) => u.id)]);
        const plugged = plugs.map((u) => writer.write(submission(u, c1)));
        await sleep(100);
        // Then a full batch of A, B, A, B … and one of B, A, B, A …: side by side, the first would lock
        // A's rows and wait for B's, the second lock B's and wait for A's.
        await rowLocker.query('BEGIN');
        await rowLocker.query('SELECT 1 FROM feedback_stats_monthly WHERE unit_id = $1 AND category_id = $2 FOR UPDATE', [b.id, c1]);
        const half = SUBMISSION_BATCH / 2;
        const crossing = [
          ...Array.from({ length: half }, () => [submission(a, c1), submission(b, c1)]).flat(),
          ...Array.from({ length: half }, () => [submission(b, c2), submission(a, c2)]).flat(),
        ].map((x) => writer.write(x));
        await plugLocker.query('COMMIT');
        await Promise.all(plugged);
        await sleep(300);
        await rowLocker.query('COMMIT');
        const stored = await Promise.all(crossing);
        assert.ok(stored.every((x) => x && x.id > 0));
      } finally {
        for (const c of [plugLocker, rowLocker]) {
          await c.query('ROLLBACK').catch(() => {});
          await c.end();
        }
      }
      assert.deepEqual(seen.failures, [], 'no statement failed: no deadlock');
      assert.ok(seen.mostUnderWay >= 2, 'the plugs ran side by side');
    });
  });
}
