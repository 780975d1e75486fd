import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, createKysely, inTransaction } from '../../src/db/kysely.js';
import { migrate } from '../../src/db/migrate.js';
import { dumpPglite, openDatabase } from '../../src/db/pool.js';
import { type TestDatabase, createTestDatabase, testBackends } from '../helpers/db.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A folder of numbered migration files, as the project keeps them. */
function migrationsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-migrations-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function tableExists(pool: pg.Pool, name: string): Promise<boolean> {
  const { rows } = await pool.query('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  return rows[0].present;
}

/** Runs the server entry point to its end; resolves with its exit code and everything it printed. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOAD_DEMO: 'false', LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

for (const kind of await testBackends()) {
  describe(`migration runner on ${kind}`, () => {
    let testDb: TestDatabase;
    let pool: pg.Pool;
    const dirs: string[] = [];
    const dirOf = (files: Record<string, string>) => {
      const dir = migrationsDir(files);
      dirs.push(dir);
      return dir;
    };

    before(async () => {
      testDb = await createTestDatabase(kind);
      pool = testDb.database.pool;
    });
    after(async () => {
      await testDb.drop();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('given numbered files, when migrated, then they run in number order, are recorded, and a second run does nothing', async () => {
      const dir = dirOf({
        '010_gamma.sql': "ALTER TABLE mig_order ADD COLUMN gamma text; INSERT INTO mig_order (step) VALUES ('010');",
        '001_alpha.sql': "CREATE TABLE mig_order (seq serial PRIMARY KEY, step text NOT NULL); INSERT INTO mig_order (step) VALUES ('001');",
        '002_beta-two.sql': "INSERT INTO mig_order (step) VALUES ('002');",
        'README.md': 'not a migration',
        'notes.sql': 'SELECT this is not run;',
      });
      const first = await migrate(pool, dir);
      assert.deepEqual(first, { applied: ['001_alpha.sql', '002_beta-two.sql', '010_gamma.sql'], skipped: 0 });
      const { rows: steps } = await pool.query('SELECT step FROM mig_order ORDER BY seq');
      assert.deepEqual(steps.map((r) => r.step), ['001', '002', '010']);
      const { rows: recorded } = await pool.query(
        "SELECT name, checksum FROM schema_migrations WHERE name IN ('001_alpha.sql', '002_beta-two.sql', '010_gamma.sql') ORDER BY name",
      );
      assert.deepEqual(recorded.map((r) => r.name), ['001_alpha.sql', '002_beta-two.sql', '010_gamma.sql']);
      for (const r of recorded) assert.match(r.checksum, /^[0-9a-f]{8}$/);

      const second = await migrate(pool, dir);
      assert.deepEqual(second, { applied: [], skipped: 3 });
      const { rows: again } = await pool.query('SELECT count(*)::int AS n FROM mig_order');
      assert.equal(again[0].n, 3);
    });

    test('given migrations numbered past 999, when migrated, then 999 runs before 1000', async () => {
      const dir = dirOf({
        '1000_uses.sql': 'INSERT INTO mig_wide (n) VALUES (1000);',
        '999_creates.sql': 'CREATE TABLE mig_wide (n int);',
      });
      const result = await migrate(pool, dir);
      assert.deepEqual(result.applied, ['999_creates.sql', '1000_uses.sql']);
    });

    test('given a migration that fails half-way, when migrated, then it is rolled back completely and the error names the file', async () => {
      const dir = dirOf({
        '001_fine.sql': 'CREATE TABLE mig_fine (n int);',
        '002_broken.sql': 'CREATE TABLE mig_broken (n int);\nINSERT INTO mig_broken VALUES (1);\nINSERT INTO mig_fine VALUES (1);\nSELECT 1 / 0;',
        '003_after.sql': 'CREATE TABLE mig_after (n int);',
      });
      await assert.rejects(migrate(pool, dir), (err: Error) => /002_broken\.sql/.test(err.message) && /division by zero/.test(err.message));
      assert.equal(await tableExists(pool, 'mig_fine'), true, 'the migration before it stays applied');
      assert.equal(await tableExists(pool, 'mig_broken'), false, 'nothing of the failed migration remains');
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM mig_fine')).rows[0].n, 0);
      assert.equal(await tableExists(pool, 'mig_after'), false, 'the runner stops at the failure');
      const { rows } = await pool.query("SELECT name FROM schema_migrations WHERE name LIKE '00%\\_%' AND name IN ('001_fine.sql', '002_broken.sql', '003_after.sql')");
      assert.deepEqual(rows.map((r) => r.name), ['001_fine.sql']);

      // Once the file is corrected the run continues where it stopped.
      fs.writeFileSync(path.join(dir, '002_broken.sql'), 'CREATE TABLE mig_broken (n int);');
      assert.deepEqual((await migrate(pool, dir)).applied, ['002_broken.sql', '003_after.sql']);
    });

    test('given an applied migration whose file changed since, when migrated, then it stops naming the file', async () => {
      const dir = dirOf({ '001_stable.sql': 'CREATE TABLE mig_stable (n int);' });
      await migrate(pool, dir);
      fs.writeFileSync(path.join(dir, '001_stable.sql'), 'CREATE TABLE mig_stable (n bigint);');
      fs.writeFileSync(path.join(dir, '002_next.sql'), 'CREATE TABLE mig_next (n int);');
      await assert.rejects(migrate(pool, dir), /migration 001_stable\.sql was changed/);
      assert.equal(await tableExists(pool, 'mig_next'), false, 'nothing after the changed file runs');
    });

    test('given two instances starting together, when both migrate, then each file is applied exactly once', async () => {
      const dir = dirOf({
        '001_once.sql': 'CREATE TABLE mig_once (n int); INSERT INTO mig_once VALUES (1);',
        '002_once.sql': 'INSERT INTO mig_once VALUES (2);',
      });
      const other = kind === 'postgres' ? new pg.Pool({ connectionString: testDb.url, max: 2 }) : pool;
      try {
        const results = await Promise.all([migrate(pool, dir), migrate(other, dir)]);
        assert.deepEqual(results.flatMap((r) => r.applied).sort(), ['001_once.sql', '002_once.sql']);
        assert.deepEqual((await pool.query('SELECT n FROM mig_once ORDER BY n')).rows.map((r) => r.n), [1, 2]);
      } finally {
        if (other !== pool) await other.end();
      }
    });

    test('given a database whose applied migration differs from the file, when the server starts, then it exits non-zero naming the file', async () => {
      const tamper = (p: pg.Pool) => p.query("UPDATE schema_migrations SET checksum = '00000000' WHERE name = '001_platform.sql'");
      let result: { code: number | null; output: string };
      if (kind === 'postgres') {
        const other = await createTestDatabase('postgres');
        try {
          await tamper(other.database.pool);
          result = await runMain({ DATABASE_URL: other.url! });
        } finally {
          await other.drop();
        }
      } else {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-data-'));
        dirs.push(dataDir);
        const onDisk = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite'), pgliteLoadFrom: await dumpPglite(testDb.database) });
        await tamper(onDisk.pool);
        await onDisk.close();
        result = await runMain({ DATA_DIR: dataDir });
      }
      assert.notEqual(result.code, 0, result.output);
      assert.notEqual(result.code, null, `it exited by itself: ${result.output}`);
      assert.match(result.output, /001_platform\.sql was changed/);
      assert.doesNotMatch(result.output, /is running at/);
    });
  });

  describe(`transactions on one ${kind} database`, () => {
    let testDb: TestDatabase;
    let db: Db;

    before(async () => {
      testDb = await createTestDatabase(kind);
      db = createKysely(testDb.database.pool);
      await sql`CREATE TABLE probe (id serial PRIMARY KEY, tag text NOT NULL, n int NOT NULL, UNIQUE (tag, n))`.execute(db);
    });
    after(() => testDb.drop());

    const count = async (q: Db | Parameters<Parameters<typeof inTransaction>[1]>[0], tag: string) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM probe WHERE tag = ${tag}`.execute(q)).rows[0].n;

    test('given two concurrent transactions, when one fails, then neither saw the other uncommitted and the committed one is intact', async () => {
      const seen: Record<string, number> = {};
      const failing = inTransaction(db, async (trx) => {
        for (let i = 0; i < 20; i++) await sql`INSERT INTO probe (tag, n) VALUES ('t1', ${i})`.execute(trx);
        seen.t1OwnRows = await count(trx, 't1');
        seen.t2SeenByT1 = await count(trx, 't2');
        throw new Error('t1 gives up');
      });
      const committing = inTransaction(db, async (trx) => {
        seen.t1SeenByT2 = await count(trx, 't1');
        for (let i = 0; i < 20; i++) await sql`INSERT INTO probe (tag, n) VALUES ('t2', ${i})`.execute(trx);
        seen.t1SeenByT2After = await count(trx, 't1');
        seen.t2OwnRows = await count(trx, 't2');
      });
      const outside = count(db, 't1');
      const [t1, t2, o] = await Promise.allSettled([failing, committing, outside]);
      assert.equal(t1.status, 'rejected');
      assert.equal(t2.status, 'fulfilled');
      assert.deepEqual(o, { status: 'fulfilled', value: 0 }, 'a query outside never sees t1 uncommitted rows');
      assert.equal(seen.t1OwnRows, 20);
      assert.equal(seen.t2OwnRows, 20);
      assert.equal(seen.t1SeenByT2, 0);
      assert.equal(seen.t1SeenByT2After, 0);
      // t2 may commit before t1 reads (PostgreSQL) or after t1 ends (PGlite): never half of it.
      assert.ok(seen.t2SeenByT1 === 0 || seen.t2SeenByT1 === 20, `t1 saw ${seen.t2SeenByT1} of t2's rows`);
      assert.equal(await count(db, 't1'), 0, 'the failed transaction left nothing');
      assert.equal(await count(db, 't2'), 20, 'the committed transaction lost nothing');
    });

    test('given 50 concurrent queries and transactions of which 30 fail, when all settle, then the counts are exact and the connection still works', async () => {
      const ops = Array.from({ length: 50 }, (_, i) => {
        switch (i % 5) {
          case 0: // a plain insert
            return sql`INSERT INTO probe (tag, n) VALUES ('mix', ${i})`.execute(db);
          case 1: // a transaction of two inserts that commits
            return inTransaction(db, async (trx) => {
              await sql`INSERT INTO probe (tag, n) VALUES ('mix', ${i})`.execute(trx);
              await sql`INSERT INTO probe (tag, n) VALUES ('mix', ${1000 + i})`.execute(trx);
            });
          case 2: // a transaction the code abandons after writing
            return inTransaction(db, async (trx) => {
              await sql`INSERT INTO probe (tag, n) VALUES ('mix', ${i})`.execute(trx);
              throw new Error(`abandon ${i}`);
            });
          case 3: // a transaction the database refuses half-way (duplicate key)
            return inTransaction(db, async (trx) => {
              await sql`INSERT INTO probe (tag, n) VALUES ('mix', ${i})`.execute(trx);
              await sql`INSERT INTO probe (tag, n) VALUES ('mix', ${i})`.execute(trx);
            });
          default: // a plain query that fails
            return sql`SELECT 1 / (${i} - ${i}) AS boom`.execute(db);
        }
      });
      const results = await Promise.allSettled(ops);
      const failures = results.map((r, i) => (r.status === 'rejected' ? i % 5 : -1)).filter((k) => k >= 0);
      assert.equal(failures.length, 30);
      assert.deepEqual([...new Set(failures)].sort(), [2, 3, 4]);
      const rows = (await sql<{ n: number }>`SELECT n FROM probe WHERE tag = 'mix' ORDER BY n`.execute(db)).rows.map((r) => r.n);
      const expected = Array.from({ length: 50 }, (_, i) => i).flatMap((i) => (i % 5 === 0 ? [i] : i % 5 === 1 ? [i, 1000 + i] : []));
      assert.deepEqual(rows, expected.sort((a, b) => a - b));

      // The connection is usable afterwards, for queries and for transactions.
      assert.equal((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows[0].one, 1);
      await inTransaction(db, (trx) => sql`INSERT INTO probe (tag, n) VALUES ('after', 1)`.execute(trx));
      assert.equal(await count(db, 'after'), 1);
      const status = (await sql<{ s: string }>`SELECT current_setting('transaction_isolation') AS s`.execute(db)).rows[0].s;
      assert.equal(status, 'read committed', 'no transaction was left open on the connection');
    });
  });
}
