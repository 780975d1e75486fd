import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { HEADER, csvText, dossierRow } from '../../src/modules/dossiers/import/fixtures.js';
import { utf8 } from '../../src/platform/files/text-fixtures.js';
import { inspectDossierFile } from '../../src/modules/dossiers/import/read.js';
import type { Actor } from '../../src/platform/auth/actor.js';
import { type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { type IngestLocality, exportRows, ingestLocality, runImport, upload } from '../helpers/dossier-ingest.js';

/**
 * A file bigger than the dossiers table loads in bulk on PostgreSQL (bulk-load.ts): its indexes
 * dropped and built again, the insert trigger off meanwhile, all in the import's transaction. The
 * table comes out as the usual path leaves it: the same indexes and trigger, the same rows, rollups
 * equal to a rebuild; a failed import leaves it as it was; a busy table is not waited for.
 */

const SYSTEM: Actor = { kind: 'user', userId: null, apiKeyId: null, username: 'test', grants: [], sessionId: null, csrfToken: null, ip: 'test' };

for (const kind of await testBackends()) {
  describe(`an import bigger than the table on ${kind}`, () => {
    let bulk: TestApp;
    let usual: TestApp;
    let B: IngestLocality;
    let U: IngestLocality;
    before(async () => {
      // Any file counts as big here; the other app never loads in bulk.
      bulk = await buildTestApp(kind, { DOSSIER_IMPORT_BULK_MIN_ROWS: '1' });
      usual = await buildTestApp(kind, { DOSSIER_IMPORT_BULK_MIN_ROWS: '0' });
      B = await ingestLocality(bulk, 'BL');
      U = await ingestLocality(usual, 'BL');
    });
    after(async () => {
      await bulk?.close();
      await usual?.close();
    });

    const importFile = async (t: TestApp, L: IngestLocality, rows: string[][], expect = 'imported') => {
      const up = (await upload(L.root, L.sourceId, 'ho-so.csv', utf8(csvText([[...HEADER], ...rows])))).json().import;
      const done = await runImport(L.root, up.id, 'run');
      assert.equal(done.state, expect, JSON.stringify(done));
      const audit = await sql<{ after: { bulkLoad?: boolean } | null }>`
        SELECT after FROM audit_log WHERE entity_type = 'dossier_import' AND entity_id = ${String(up.id)} AND action = 'import'`.execute(t.db);
      return { done, bulkLoad: audit.rows[0]?.after?.bulkLoad ?? null };
    };
    /** The table's indexes and triggers as the catalog has them. */
    const shape = async (t: TestApp) => ({
      indexes: (await sql<{ name: string; definition: string }>`
        SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = 'dossiers' ORDER BY indexname`.execute(t.db)).rows,
      triggers: (await sql<{ name: string; enabled: string }>`
        SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger WHERE tgrelid = 'dossiers'::regclass AND NOT tgisinternal ORDER BY tgname`.execute(t.db)).rows,
    });
    /** What an import stored, without what differs between two databases (ids, sources, times of writing). */
    const stored = async (t: TestApp, sourceId: number) =>
      (await sql<Record<string, unknown>>`
        SELECT d.code, p.code AS procedure, o.code AS unit, d.channel, d.received_at, d.promised_on, d.event_statuses, d.event_times,
          d.supplement_asked, d.supplement_answered, d.fee, d.paid_online, d.digitised, d.electronic_result, d.rating, d.complaint,
          d.status, d.status_at, d.ended_at, d.ended_status, d.due_on, d.overdue_from, d.data_hash
        FROM dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id
        WHERE d.source_id = ${sourceId} ORDER BY d.code`.execute(t.db)).rows;
    const rollups = async (t: TestApp) =>
      (await sql<Record<string, unknown>>`
        SELECT o.code, m.received_month, m.ended_month, m.overdue_month, m.dossiers, m.online_capable, m.with_fee, m.paid_online, m.digitised,
          m.complaint, m.ended_late, m.results, m.results_electronic
        FROM dossier_scorecard_monthly m JOIN org_units o ON o.id = m.subtree_id WHERE m.dossiers <> 0
        ORDER BY o.code, m.received_month, m.ended_month, m.overdue_month`.execute(t.db)).rows;
    const assertRollupsExact = async (t: TestApp) => {
      const maintained = await rollups(t);
      assert.ok(maintained.length > 20, `rollup rows: ${maintained.length}`);
      await sql`SELECT dossier_scorecard_rebuild()`.execute(t.db);
      assert.deepEqual(await rollups(t), maintained);
    };

    test('a file bigger than the table: loaded in bulk on PostgreSQL, the table as the usual path leaves it', async () => {
      const before = await shape(bulk);
      assert.ok(before.indexes.length >= 4, JSON.stringify(before.indexes));
      const rows = exportRows(0, 400);
      const first = await importFile(bulk, B, rows);
      const control = await importFile(usual, U, rows);
      assert.equal(first.bulkLoad, kind === 'postgres', 'only PostgreSQL loads in bulk');
      assert.equal(control.bulkLoad, false);
      assert.deepEqual([first.done.rowsCreated, first.done.rowsBad], [400, 0]);

      assert.deepEqual(await shape(bulk), before, 'the same indexes, built again, and the insert trigger enabled');
      assert.deepEqual(await stored(bulk, B.sourceId), await stored(usual, U.sourceId));
      await assertRollupsExact(bulk);
      assert.deepEqual(await rollups(bulk), await rollups(usual));

      // The indexes serve again: the unique one refuses a second row of the same code.
      await assert.rejects(
        sql`INSERT INTO dossiers (source_id, code, procedure_id, unit_id, channel, received_at, status, status_at, data_hash)
            SELECT source_id, code, procedure_id, unit_id, channel, received_at, status, status_at, 'x' FROM dossiers LIMIT 1`.execute(bulk.db),
        /duplicate key/,
      );

      // Then a file that brings fewer new rows than the table holds: the usual way, through the merge.
      const second = [...exportRows(0, 400, true), ...exportRows(400, 450)];
      const again = await importFile(bulk, B, second);
      const againControl = await importFile(usual, U, second);
      assert.equal(again.bulkLoad, false);
      assert.equal(again.done.rowsCreated, 50);
      assert.ok((again.done.rowsUpdated as number) > 50, JSON.stringify(again.done));
      assert.deepEqual([again.done.rowsCreated, again.done.rowsUpdated], [againControl.done.rowsCreated, againControl.done.rowsUpdated]);
      assert.deepEqual(await stored(bulk, B.sourceId), await stored(usual, U.sourceId));
      await assertRollupsExact(bulk);
    });

    test('a bulk load that fails leaves the table as it was: no rows, the indexes and the trigger in place', async () => {
      const before = { shape: await shape(bulk), count: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM dossiers`.execute(bulk.db)).rows[0].n };
      // Another source, nothing stored: its file of 600 rows is bigger than the table; one bad row at its end.
      const other = await B.root.post('/api/v1/dossiers/sources', { code: 'BL_KHAC', name: 'Hệ thống một cửa khác' });
      assert.equal(other.statusCode, 201, other.body);
      const data = utf8(csvText([[...HEADER], ...exportRows(1000, 1600), dossierRow({ 'Mã hồ sơ': 'BL-BAD', 'Mã thủ tục': 'KHONG.CO' })]));
      const inspection = await inspectDossierFile(data);
      let bulkLoad: boolean | null = null;
      const run = await bulk.app.services.dossierImports
        .runFile({
          sourceCode: 'BL_KHAC', fileName: 'ho-so.csv', bytes: data.length, stream: data, format: inspection.format, header: inspection.header,
          mapping: inspection.mapping, encoding: inspection.encoding, mode: 'import', skipInvalid: false, actor: SYSTEM,
          onProgress: (r) => {
            bulkLoad = r.bulkLoad;
          },
        })
        .then((done) => done.import, (error: { code?: string }) => ({ state: 'failed', errorCode: error.code }));
      assert.equal(run.state, 'failed');
      assert.equal(run.errorCode, 'IMPORT_HAS_ERRORS');
      assert.equal(bulkLoad, kind === 'postgres', 'the run loaded in bulk until the bad row stopped it');
      assert.deepEqual(await shape(bulk), before.shape);
      assert.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM dossiers`.execute(bulk.db)).rows[0].n, before.count);
      await assertRollupsExact(bulk);
    });

    test('a table someone is reading is not locked: the import goes the usual way', { skip: kind !== 'postgres' && 'PGlite never loads in bulk' }, async () => {
      const reader = new pg.Client({ connectionString: bulk.testDb.url });
      await reader.connect();
      try {
        await reader.query('BEGIN');
        await reader.query('SELECT count(*) FROM dossiers');
        const started = Date.now();
        const { done, bulkLoad } = await importFile(bulk, B, exportRows(2000, 3000));
        assert.equal(bulkLoad, false);
        assert.equal(done.rowsCreated, 1000);
        assert.ok(Date.now() - started >= 1900, 'it waited for the lock a while first');
      } finally {
        await reader.query('ROLLBACK').catch(() => {});
        await reader.end();
      }
      await assertRollupsExact(bulk);
    });
  });
}
