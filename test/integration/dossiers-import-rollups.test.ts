import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { copyEscape, factsFromDb, rowTexts } from '../../src/modules/dossiers/dossier-row.js';
import { HEADER, type Column, csvText, dossierRow as fileRow, utf8 } from '../../src/modules/dossiers/import/fixtures.js';
import { type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { FIXTURE_PROCEDURE, FIXTURE_PROCEDURE_2, FIXTURE_UNIT_A, FIXTURE_UNIT_B, type IngestLocality, ingestLocality, runImport, upload } from '../helpers/dossier-ingest.js';
import { seededRandom } from '../helpers/dossiers.js';

/**
 * A file import adds its new dossiers to the scorecard rollups itself (summed while reading, the
 * insert trigger told to leave them): after imports of new, changed and repeated rows of every
 * shape, the rollups equal a rebuild from the dossiers.
 */

const pad = (n: number) => String(n).padStart(2, '0');
/** 'dd/mm/yyyy hh:mm' of a Vietnamese wall-clock time given as ms since the epoch, as if UTC. */
const vnText = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const vnDate = (ms: number) => vnText(ms).slice(0, 10);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ENDINGS = ['Đã trả kết quả', 'Đã xử lý xong', 'Không được tiếp nhận', 'Công dân yêu cầu rút hồ sơ', 'Dừng xử lý'];
const OPEN = ['Được tiếp nhận', 'Đang xử lý', 'Yêu cầu thực hiện nghĩa vụ tài chính'];
const YES_NO_UNKNOWN = ['Có', 'Không', ''];

/**
 * Dossiers number `from` to `to` - 1, received from October 2025 to April 2026, some in the first
 * and last hour of a Vietnamese month (another month in UTC), ended or open, late or not, with
 * supplements, fees, flags known and unknown; each the same in every export, except that `ended`
 * ends the open ones (a later export of the same dossiers).
 */
function exportRows(from: number, to: number, ended = false): string[][] {
  const rows: string[][] = [];
  for (let i = from; i < to; i++) {
    const random = seededRandom(2021 + i);
    const int = (k: number) => Math.floor(random() * k);
    const pick = <T,>(xs: readonly T[]) => xs[int(xs.length)];
    const start = Date.UTC(2025, 9 + int(7), 1);
    // Wall-clock time: most in office hours, some just after midnight on the 1st or before midnight on the last day.
    const edge = int(10);
    const received = edge === 0 ? start + 20 * 60_000 : edge === 1 ? start - 25 * 60_000 : start + int(27) * DAY + (7 + int(10)) * HOUR;
    const cells: Partial<Record<Column, string>> = {
      'Mã hồ sơ': `RU-${String(i).padStart(5, '0')}`,
      'Mã thủ tục': i % 2 ? FIXTURE_PROCEDURE : FIXTURE_PROCEDURE_2,
      'Đơn vị tiếp nhận': i % 3 ? FIXTURE_UNIT_A : FIXTURE_UNIT_B,
      'Kênh nộp': String(1 + int(3)),
      'Ngày tiếp nhận': vnText(received),
      'Ngày hẹn trả': i % 2 && int(2) ? '' : vnDate(received + (2 + int(10)) * DAY),
      'Ngày yêu cầu bổ sung': '',
      'Ngày bổ sung': '',
      'Phí, lệ phí': int(2) ? `${5 + int(50)}.000` : '',
      'Thanh toán trực tuyến': pick(YES_NO_UNKNOWN),
      'Số hóa': pick(YES_NO_UNKNOWN),
      'Kết quả điện tử': pick(['x', '', 'Không']),
      'Đánh giá': pick(['', 'Hài lòng', 'Không hài lòng']),
      'Khiếu nại': int(10) ? '' : 'Có',
    };
    let cursor = received + HOUR;
    if (int(6) === 0) {
      const asked = cursor + int(5 * 24) * HOUR;
      cells['Ngày yêu cầu bổ sung'] = vnText(asked);
      cursor = asked + (1 + int(4 * 24)) * HOUR;
      cells['Ngày bổ sung'] = vnText(cursor);
    }
    const finished = cursor + (4 + int(20 * 24)) * HOUR;
    if (ended || int(4)) {
      const status = pick(ENDINGS);
      Object.assign(cells, { 'Trạng thái': status, 'Thời điểm trạng thái': vnText(finished), 'Ngày có kết quả': '', 'Ngày trả kết quả': '' });
      if (status === 'Đã xử lý xong' || status === 'Đã trả kết quả') cells['Ngày có kết quả'] = vnText(finished);
      if (status === 'Đã trả kết quả') cells['Ngày trả kết quả'] = vnText(finished);
    } else {
      Object.assign(cells, { 'Trạng thái': pick(OPEN), 'Thời điểm trạng thái': vnText(cursor), 'Ngày có kết quả': '', 'Ngày trả kết quả': '' });
    }
    rows.push(fileRow(cells));
  }
  return rows;
}

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
