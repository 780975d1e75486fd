import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { copyEscape, factsFromDb, rowTexts } from '../../src/modules/dossiers/dossier-row.js';
import { HEADER, csvText } from '../../src/modules/dossiers/import/fixtures.js';
import { utf8 } from '../../src/platform/files/text-fixtures.js';
import { type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { FIXTURE_PROCEDURE, type IngestLocality, exportRows, ingestLocality, runImport, upload } from '../helpers/dossier-ingest.js';

/**
 * A file import adds its new dossiers to the scorecard rollups itself (summed while reading, the
 * insert trigger told to leave them): after imports of new, changed and repeated rows of every
 * shape, the rollups equal a rebuild from the dossiers.
 */

for (const kind of await testBackends()) {
  describe(`the scorecard rollups of imported dossiers on ${kind}`, () => {
    let t: TestApp;
    let L: IngestLocality;
    before(async () => {
      t = await buildTestApp(kind);
      L = await ingestLocality(t, 'RU');
      // One procedure offered online: the rollups count its dossiers as online-capable.
      const online = await L.root.patch(`/api/v1/dossiers/procedures/${L.procedureIds.get(FIXTURE_PROCEDURE)}`, { online: 'partial' });
      assert.equal(online.statusCode, 200, online.body);
    });
    after(() => t.close());

    const rollups = async () =>
      (await sql<Record<string, unknown>>`
        SELECT * FROM dossier_scorecard_monthly WHERE dossiers <> 0 ORDER BY subtree_id, received_month, ended_month, overdue_month`.execute(t.db)).rows;
    const importFile = async (rows: string[][]) => {
      const up = (await upload(L.root, L.sourceId, 'ho-so.csv', utf8(csvText([[...HEADER], ...rows])))).json().import;
      const done = await runImport(L.root, up.id, 'run');
      assert.equal(done.state, 'imported', JSON.stringify(done));
      return done;
    };
    const assertRollupsExact = async () => {
      const maintained = await rollups();
      assert.ok(maintained.length > 20, `rollup rows: ${maintained.length}`);
      await sql`SELECT dossier_scorecard_rebuild()`.execute(t.db);
      assert.deepEqual(maintained, await rollups());
    };

    test('new dossiers, then the same ones changed with more new ones, then the same file again: the rollups equal a rebuild', async () => {
      const done = await importFile(exportRows(0, 400));
      assert.deepEqual([done.rowsCreated, done.rowsBad], [400, 0]);
      const total = await sql<{ n: number }>`SELECT sum(dossiers)::int AS n FROM dossier_scorecard_monthly WHERE subtree_id = ${L.province.id}`.execute(t.db);
      assert.equal(total.rows[0].n, 400, 'each dossier counted once in the province');
      await assertRollupsExact();

      // The same dossiers ended (merged and updated through the trigger), beside 100 new ones.
      const second = [...exportRows(0, 400, true), ...exportRows(400, 500)];
      const again = await importFile(second);
      assert.equal(again.rowsCreated, 100);
      assert.ok((again.rowsUpdated as number) > 50, JSON.stringify(again));
      await assertRollupsExact();

      const unchanged = await importFile(second);
      assert.deepEqual([unchanged.rowsCreated, unchanged.rowsUpdated, unchanged.rowsUnchanged], [0, 0, 500]);
      await assertRollupsExact();
    });

    test('every stored column is what the import derived and hashed (the binary COPY on PostgreSQL, the batches on PGlite)', async () => {
      const { rows } = await sql<Record<string, unknown> & { code: string; data_hash: string }>`SELECT * FROM dossiers WHERE source_id = ${L.sourceId}`.execute(t.db);
      assert.equal(rows.length, 500);
      for (const r of rows) {
        const texts = rowTexts({
          ...factsFromDb(r),
          complaint: r.complaint as boolean,
          code: r.code,
          status: r.status as number,
          statusAt: r.status_at as Date,
          endedAt: r.ended_at as Date | null,
          endedStatus: r.ended_status as number | null,
          dueOn: r.due_on as string | null,
          overdueFrom: r.overdue_from as Date | null,
        });
        const copyText = texts.map((v) => (v === null ? '\\N' : copyEscape(v))).join('\t');
        assert.equal(hash('md5', copyText, 'base64'), r.data_hash, r.code);
      }
    });

    test('updates and deletes after an import still go through the trigger', async () => {
      const before = await sql<{ n: number }>`SELECT sum(dossiers)::int AS n FROM dossier_scorecard_monthly WHERE subtree_id = ${L.province.id}`.execute(t.db);
      await sql`UPDATE dossiers SET complaint = NOT complaint WHERE code LIKE 'RU-000%'`.execute(t.db);
      await sql`DELETE FROM dossiers WHERE code = 'RU-00001'`.execute(t.db);
      const after = await sql<{ n: number }>`SELECT sum(dossiers)::int AS n FROM dossier_scorecard_monthly WHERE subtree_id = ${L.province.id}`.execute(t.db);
      assert.equal(after.rows[0].n, before.rows[0].n - 1);
      await assertRollupsExact();
    });
  });
}
