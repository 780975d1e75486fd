import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { FILE_KEY_COLUMNS, ORPHAN_GRACE_MS } from '../../src/platform/files/orphans.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { submitReport } from '../helpers/feedback.js';

/**
 * Photos are stored before the transaction that records them. When that transaction fails the
 * bytes stay on disk with no row pointing at them; the sweep removes them once they are older than
 * the grace period, and never a file some row refers to (the same bytes may belong to another report).
 */

const HOUR = 3_600_000;
/** A report whose description holds this marker fails inside its transaction, after its photos were stored. */
const FAIL = 'HONG-GIUA-CHUNG';
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });
const photo = (background: string) => sharp({ create: { width: 32, height: 24, channels: 3, background } }).jpeg().toBuffer();

for (const kind of await testBackends()) {
  describe(`unreferenced photos on ${kind}`, () => {
    let t: TestApp;
    let dataDir: string;
    let operator: Session;
    const inCommune = { lat: '21.02', lng: '106.02' };

    /** Every stored key, from the disk itself. */
    function storedKeys(): Set<string> {
      const root = path.join(dataDir, 'files');
      if (!fs.existsSync(root)) return new Set();
      return new Set(fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).map((f) => path.basename(f)).filter((f) => /^[0-9a-f]{64}$/.test(f)));
    }
    /** Submits and returns the response with the keys this submission added to the store. */
    async function submitWith(description: string, photos: Buffer[]) {
      const before = storedKeys();
      const res = await submitReport(t.app, { category: 'RAC', description, ...inCommune }, photos);
      return { res, added: [...storedKeys()].filter((k) => !before.has(k)) };
    }

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-feedback-files-'));
      t = await buildTestApp(kind, { DATA_DIR: dataDir });
      const province = await makeUnit(t.db, { name: 'Tỉnh Thử Tệp', code: 'FF-P' });
      const commune = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã Tệp', code: 'FF-A' });
      await t.db.updateTable('org_units').set({ lat: 21.025, lng: 106.025, boundary: JSON.stringify(square(106.0, 21.0)) }).where('id', '=', commune.id).execute();
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'ff.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'ff.operator' });
      const admin = await signIn(t.app, 'ff.admin');
      operator = await signIn(t.app, 'ff.operator');
      assert.equal((await admin.post('/api/v1/feedback/categories', { code: 'RAC', name: 'Rác thải' })).statusCode, 201);
      // A fault inside the submission's transaction, after the photos are on disk (a crash, a lost connection).
      await sql`CREATE FUNCTION test_fail_marked_report() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.description LIKE ${sql.lit(`%${FAIL}%`)} THEN RAISE EXCEPTION 'injected failure'; END IF;
          RETURN NEW;
        END $$`.execute(t.db);
      await sql`CREATE TRIGGER test_fail_marked_report BEFORE INSERT ON feedback_reports FOR EACH ROW EXECUTE FUNCTION test_fail_marked_report()`.execute(t.db);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('every column that holds a file key is checked before a file is removed', async () => {
      const { rows } = await sql<{ table: string; column: string }>`
        SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
        WHERE c.table_schema = 'public' AND (c.column_name LIKE '%file\\_key%' OR EXISTS (
          SELECT 1 FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
          WHERE k.contype = 'c' AND k.conrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
            AND a.attname = c.column_name AND pg_get_constraintdef(k.oid) LIKE '%{64}%'))
        ORDER BY 1, 2`.execute(t.db);
      assert.deepEqual(rows, FILE_KEY_COLUMNS.map(({ table, column }) => ({ table, column })));
    });

    test('a submission that fails after storing its photo leaves a file the sweep removes after the grace period; referenced files stay', async () => {
      const [lost, shared, kept] = await Promise.all([photo('#aa1100'), photo('#11aa00'), photo('#0011aa')]);

      const failed = await submitWith(`Rác ${FAIL} lần 1`, [lost]);
      assert.equal(failed.res.statusCode, 500, failed.res.body);
      assert.equal(failed.added.length, 1, 'the photo was stored before the transaction failed');
      const [lostKey] = failed.added;

      // The same bytes: one submission fails, another records them.
      const failedShared = await submitWith(`Rác ${FAIL} lần 2`, [shared]);
      assert.equal(failedShared.res.statusCode, 500);
      const recordedShared = await submitWith('Rác cùng ảnh với lần hỏng', [shared]);
      assert.equal(recordedShared.res.statusCode, 201, recordedShared.res.body);
      assert.deepEqual(recordedShared.added, [], 'content-addressed: stored once');
      const recorded = await submitWith('Rác có ảnh riêng', [kept]);
      assert.equal(recorded.res.statusCode, 201);
      const [keptKey] = recorded.added;
      const [sharedKey] = failedShared.added;
      assert.ok(lostKey && sharedKey && keptKey);
      const refs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM feedback_photos WHERE file_key = ${lostKey}`.execute(t.db);
      assert.equal(refs.rows[0].n, 0, 'no row refers to the lost photo');

      // Within the grace period the file may still belong to a request in flight: kept.
      const sweep = t.app.services.feedbackSweep;
      const now = Date.now();
      assert.equal((await sweep.run(new Date(now))).orphanFiles, 0);
      assert.ok(storedKeys().has(lostKey));

      const later = await sweep.run(new Date(now + ORPHAN_GRACE_MS + HOUR));
      assert.equal(later.orphanFiles, 1);
      const left = storedKeys();
      assert.equal(left.has(lostKey), false, 'the unreferenced photo is gone');
      assert.ok(left.has(sharedKey), 'a photo another report refers to stays');
      assert.ok(left.has(keptKey));

      // Still served to the staff.
      const id = (await operator.get(`/api/v1/feedback/reports?q=${recorded.res.json().code}`)).json().items[0].id;
      const detail = (await operator.get(`/api/v1/feedback/reports/${id}`)).json();
      assert.equal((await operator.get(detail.photos[0].url)).statusCode, 200);

      // Idempotent: nothing more to remove.
      assert.equal((await sweep.run(new Date(now + ORPHAN_GRACE_MS + 3 * HOUR))).orphanFiles, 0);
      assert.equal(storedKeys().size, left.size);
    });

    test('a store another database claimed is not swept: its files are that database’s', async () => {
      const failed = await submitWith(`Rác ${FAIL} lần 3`, [await photo('#777777')]);
      assert.equal(failed.added.length, 1);
      const owner = path.join(dataDir, 'files', '.owner');
      const ours = fs.readFileSync(owner, 'utf8');
      fs.writeFileSync(owner, 'co-so-du-lieu-khac 2020-01-01 00:00:00+00');
      try {
        await assert.rejects(t.app.services.feedbackSweep.run(new Date(Date.now() + 10 * HOUR)), /belongs to the database "co-so-du-lieu-khac/);
        assert.ok(storedKeys().has(failed.added[0]), 'kept');
      } finally {
        fs.writeFileSync(owner, ours);
      }
      assert.equal((await t.app.services.feedbackSweep.run(new Date(Date.now() + 20 * HOUR))).orphanFiles, 1, 'its own database sweeps it');
    });
  });
}
