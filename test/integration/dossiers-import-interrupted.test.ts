import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKysely, type Db } from '../../src/db/kysely.js';
import { migrate } from '../../src/db/migrate.js';
import { type Database, openDatabase } from '../../src/db/pool.js';
import { HEADER, csvText, dossierRow as fileRow } from '../../src/modules/dossiers/import/fixtures.js';
import { type FileStore, createDiskStore } from '../../src/platform/files/store.js';
import { type TestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { createTestDatabase, testBackends } from '../helpers/db.js';
import { FIXTURE_PROCEDURE, FIXTURE_UNIT_A, type IngestLocality, ingestLocality, upload, waitForRun } from '../helpers/dossier-ingest.js';

/**
 * An import stopped halfway leaves nothing of itself: cancelled through the API while its rows are
 * being staged, or its process killed (SIGKILL) in the middle of the transaction.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A file of `n` valid dossiers of commune A. */
function bigFile(n: number, prefix: string): Buffer {
  const rows: string[][] = [[...HEADER]];
  for (let i = 0; i < n; i++) rows.push(fileRow({ 'Mã hồ sơ': `${prefix}-${String(i).padStart(6, '0')}` }));
  return Buffer.from(csvText(rows), 'utf8');
}

/** A disk store whose streams send their first `first` bytes, then wait until `release()`. */
function heldBackStore(dir: string, first: number) {
  const disk = createDiskStore(dir);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const store: FileStore = {
    ...disk,
    async stream(key) {
      const data = await disk.get(key);
      if (!data) return null;
      return Readable.from(
        (async function* () {
          yield data.subarray(0, first);
          await released;
          for (let at = first; at < data.length; at += 1 << 20) yield data.subarray(at, at + (1 << 20));
        })(),
      );
    },
  };
  return { store, release };
}

for (const kind of await testBackends()) {
  describe(`an interrupted dossier import on ${kind}`, () => {
    let t: TestApp;
    let L: IngestLocality;
    let held: ReturnType<typeof heldBackStore>;
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-import-files-'));
    before(async () => {
      held = heldBackStore(filesDir, 2 * 1024 * 1024);
      const testDb = await createTestDatabase(kind);
      // On PGlite the import's transaction holds the only connection until it ends: the progress
      // is answered from memory, and the signed-in person must be too (no session look-up).
      const config = loadConfig({ LOAD_DEMO: 'false', DATABASE_URL: testDb.url, SESSION_CACHE_SECONDS: '300' });
      const app = await buildApp({ config, database: testDb.database, files: held.store });
      await app.ready();
      t = {
        kind,
        app,
        db: createKysely(testDb.database.pool),
        testDb,
        close: async () => {
          await app.close();
          await testDb.drop();
        },
      };
      L = await ingestLocality(t, 'DX');
    });
    after(async () => {
      await t.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    });

    test('cancelled while its rows are being staged, it rolls back and says so', async () => {
      const up = await upload(L.adminA, L.sourceId, 'lon.csv', bigFile(20_000, 'CAN'));
      assert.equal(up.statusCode, 201, up.body);
      const id = up.json().import.id;
      assert.equal((await L.adminA.post(`/api/v1/dossiers/imports/${id}/run`)).statusCode, 202);
      // The first 2 MB (about 9,600 rows) are read and staged; the rest is held back.
      for (;;) {
        const now = (await L.adminA.get(`/api/v1/dossiers/imports/${id}`)).json();
        assert.equal(now.state, 'importing', JSON.stringify(now));
        if (now.rowsOk >= 9_000) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const cancel = await L.adminA.post(`/api/v1/dossiers/imports/${id}/cancel`);
      assert.equal(cancel.statusCode, 202, cancel.body);
      held.release();
      const done = await waitForRun(L.adminA, id);
      assert.deepEqual([done.state, done.errorCode, done.rowsCreated], ['cancelled', 'IMPORT_CANCELLED', 0]);
      assert.equal(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM dossiers`.execute(t.db)).rows[0].n), 0);
      const audit = await t.db.selectFrom('audit_log').select('username').where('action', '=', 'import.cancel').execute();
      assert.deepEqual(audit.map((a) => a.username), ['dx.admin.a']);
      const again = await L.adminA.post(`/api/v1/dossiers/imports/${id}/cancel`);
      assert.deepEqual([again.statusCode, again.json().code], [409, 'IMPORT_NOT_RUNNING']);

      // Run again to the end, it imports every row.
      const full = await L.adminA.post(`/api/v1/dossiers/imports/${id}/run`);
      assert.equal(full.statusCode, 202);
      const imported = await waitForRun(L.adminA, id);
      assert.deepEqual([imported.state, imported.rowsCreated], ['imported', 20_000]);
    });
  });

  test(`an import killed halfway (SIGKILL of the command line) leaves nothing, on ${kind}`, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-import-kill-'));
    const file = path.join(work, 'ho-so.csv');
    fs.writeFileSync(file, bigFile(60_000, 'KILL'));
    let env: Record<string, string>;
    let drop: () => Promise<void>;
    let reopen: () => Promise<{ database: Database; close(): Promise<void> }>;
    if (kind === 'postgres') {
      const testDb = await createTestDatabase('postgres');
      await seed(createKysely(testDb.database.pool));
      env = { DATABASE_URL: testDb.url! };
      reopen = async () => ({ database: testDb.database, close: async () => {} });
      drop = () => testDb.drop();
    } else {
      const dir = path.join(work, 'pglite');
      const database = await openDatabase({ pgliteDir: dir });
      await migrate(database.pool);
      await seed(createKysely(database.pool));
      await database.close();
      env = { DATA_DIR: work };
      reopen = async () => {
        const again = await openDatabase({ pgliteDir: dir });
        return { database: again, close: () => again.close() };
      };
      drop = async () => {};
    }
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dossiers-import.ts', '--source=KILL_SRC', `--file=${file}`], {
        cwd: ROOT,
        env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? -9 : _code)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          // Rows read and being staged, inside the import's transaction: kill it there.
          if (/\[đọc\] [1-9]/.test(output)) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.on('exit', () => reject(new Error(`the import ended before it was killed:\n${output}`)));
      });
      assert.equal(await exited, -9, output);

      const { database, close } = await reopen();
      const db = createKysely(database.pool);
      try {
        assert.equal(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM dossiers`.execute(db)).rows[0].n), 0, 'nothing half-imported');
        const imports = await sql<{ state: string; rows_created: number }>`SELECT state, rows_created FROM dossier_imports`.execute(db);
        assert.deepEqual(imports.rows, [{ state: 'importing', rows_created: 0 }], 'the run never finished');
        if (kind === 'pglite') {
          // Seen through the application, a run that no process is doing any more was interrupted.
          const app = await buildApp({ config: loadConfig({ LOAD_DEMO: 'false', DATA_DIR: work }), database });
          try {
            const root = await signIn(app, 'kill.root');
            const [seen] = (await root.get('/api/v1/dossiers/imports')).json().items;
            assert.deepEqual([seen.state, seen.errorCode], ['failed', 'IMPORT_INTERRUPTED']);
          } finally {
            await app.close();
          }
        }
      } finally {
        await close();
      }
    } finally {
      await drop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  test(`the command line checks and imports a file, a second run changes nothing, a bad row exits 1, on ${kind}`, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-import-cli-'));
    const good = path.join(work, 'ho-so.csv');
    const bad = path.join(work, 'ho-so-loi.csv');
    fs.writeFileSync(good, bigFile(3, 'CLI'));
    fs.writeFileSync(bad, csvText([[...HEADER], fileRow({ 'Mã hồ sơ': 'CLI-OK' }), fileRow({ 'Mã hồ sơ': 'CLI-BAD', 'Trạng thái': 'Tạm dừng' })]));
    let env: Record<string, string>;
    let done: () => Promise<void>;
    if (kind === 'postgres') {
      const testDb = await createTestDatabase('postgres');
      await seed(createKysely(testDb.database.pool));
      env = { DATABASE_URL: testDb.url! };
      done = () => testDb.drop();
    } else {
      const database = await openDatabase({ pgliteDir: path.join(work, 'pglite') });
      await migrate(database.pool);
      await seed(createKysely(database.pool));
      await database.close();
      env = { DATA_DIR: work };
      done = async () => {};
    }
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dossiers-import.ts', ...args], {
          cwd: ROOT,
          env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    try {
      const dry = await cli('--source=KILL_SRC', `--file=${good}`, '--dry-run');
      assert.equal(dry.code, 0, dry.out);
      assert.match(dry.out, /checked/);
      const first = await cli('--source=KILL_SRC', `--file=${good}`);
      assert.equal(first.code, 0, first.out);
      assert.match(first.out, /imported[\s\S]*tạo mới 3, cập nhật 0, không đổi 0/);
      const again = await cli('--source=KILL_SRC', `--file=${good}`);
      assert.equal(again.code, 0, again.out);
      assert.match(again.out, /tạo mới 0, cập nhật 0, không đổi 3/);
      const refused = await cli('--source=KILL_SRC', `--file=${bad}`);
      assert.equal(refused.code, 1, refused.out);
      assert.match(refused.out, /dòng 3 \[status\]: trạng thái "Tạm dừng"/);
      assert.match(refused.out, /IMPORT_HAS_ERRORS|dòng lỗi nên không hồ sơ nào được ghi/);
      const usage = await cli('--file=x.csv');
      assert.equal(usage.code, 2, usage.out);
    } finally {
      await done();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}

/** The locality the killed import writes into: a commune, its procedure, the source. */
async function seed(db: Db) {
  const province = await makeUnit(db, { name: 'Tỉnh', code: 'KILL-P' });
  await makeUnit(db, { parent: province, name: 'Xã', code: FIXTURE_UNIT_A });
  await makeUser(db, { unit: province, role: 'administrator', username: 'kill.root' });
  await sql`INSERT INTO dossier_procedures (code, name, level, unit_kinds, processing_days) VALUES (${FIXTURE_PROCEDURE}, 'Thủ tục', 'commune', '{commune}', 3)`.execute(db);
  await sql`INSERT INTO dossier_sources (code, name) VALUES ('KILL_SRC', 'Một cửa')`.execute(db);
}
