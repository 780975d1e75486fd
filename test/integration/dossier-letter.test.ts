import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { inTransaction } from '../../src/db/kysely.js';
import type { DossierInput } from '../../src/modules/dossiers/dossier-row.js';
import type { DossierEvent, DossierStatus } from '../../src/modules/dossiers/rules/statuses.js';
import { writeDossiers } from '../../src/modules/dossiers/writer.js';
import { businessDateOf, startOfBusinessDay } from '../../src/platform/calendar/businessTime.js';
import { createCalendar } from '../../src/platform/calendar/calendar.js';
import { formatIsoDate, parseIsoDate } from '../../src/platform/calendar/isoDate.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

/**
 * The apology letter of a late dossier (phiếu xin lỗi và hẹn lại ngày trả kết quả) through its
 * route: refused for a dossier that is not late or has ended, for a return date that is not a
 * working day after today, outside the caller's units; otherwise a .docx, recorded in the audit log.
 */

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DAY = 86_400_000;
// No calendar exceptions in the test database: the statutory calendar is the server's.
const calendar = createCalendar([]);
const today = () => businessDateOf(new Date());
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const dateDaysAgo = (n: number) => businessDateOf(daysAgo(n));
const vn = (iso: string) => iso.split('-').reverse().join('/');
const PROCEDURE = '1.001193.000.00.00.H23';
const CODES = {
  lateOpen: 'AL-0001',
  onTimeOpen: 'AL-0002',
  neverLate: 'AL-0003',
  endedOnTime: 'AL-0004',
  returnedLate: 'AL-0005',
  processedLate: 'AL-0006',
  withdrawnLate: 'AL-0007',
} as const;
// Received 28 working days ago at 09:00, promised 20 working days ago: long past due.
const received = new Date(startOfBusinessDay(calendar.addWorkingDays(today(), -28)).getTime() + 9 * 3_600_000);
const promised = calendar.addWorkingDays(today(), -20);

/** The bodies of the letter's paragraphs, as text. */
async function letterText(res: LightMyRequestResponse): Promise<string> {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], DOCX_TYPE);
  assert.equal(res.rawPayload.subarray(0, 2).toString('latin1'), 'PK', 'a .docx is a zip');
  const zip = await JSZip.loadAsync(res.rawPayload);
  const xml = await zip.file('word/document.xml')?.async('string');
  assert.ok(xml);
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')).join('\n');
}

for (const kind of await testBackends()) {
  describe(`the apology letter of a late dossier on ${kind}`, () => {
    let t: TestApp;
    let officer: Session;
    let districtLeader: Session;
    let otherOfficer: Session;
    let commune: Awaited<ReturnType<typeof makeUnit>>;
    const ids = {} as Record<keyof typeof CODES, number>;

    /** A dossier of the commune as the one-stop system sends it, written by the dossiers' writer. */
    const dossier = (code: string, facts: Partial<DossierInput>): DossierInput => ({
      code,
      procedureCode: PROCEDURE,
      receivingUnitCode: 'AL-AB',
      channel: 'in_person',
      receivedAt: received,
      promisedReturnDate: promised,
      handler: 'Lê Thị Lan',
      events: [{ status: 'accepted', at: received }, { status: 'in_process', at: new Date(received.getTime() + 3_600_000) }],
      supplements: [],
      fee: null,
      paidOnline: null,
      synced: true,
      digitised: true,
      electronicResult: null,
      reusedData: false,
      rating: null,
      complaint: false,
      ...facts,
    });
    const then = (code: string, status: DossierStatus, at: Date, more: DossierEvent[] = []) =>
      dossier(code, { events: [...dossier(code, {}).events, { status, at }, ...more] });

    const body = (extra: Record<string, unknown> = {}) => ({
      newReturnDate: calendar.addWorkingDays(today(), 3),
      reason: 'Phải xác minh thông tin nơi cư trú tại địa phương khác.',
      signerName: 'Trần Văn Bình',
      signerTitle: 'KT. Chủ tịch\nPhó Chủ tịch',
      ...extra,
    });
    const letter = (s: Session, id: number, payload: unknown = body()) => s.post(`/api/v1/dossiers/${id}/apology-letter`, payload);

    before(async () => {
      t = await buildTestApp(kind);
      const province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'AL-HD' });
      const district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'AL-NS' });
      commune = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã An Bình', code: 'AL-AB' });
      const otherCommune = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã Nam Hồng', code: 'AL-NH' });
      await makeUser(t.db, { unit: commune, role: 'officer', username: 'al.officer' });
      await makeUser(t.db, { unit: district, role: 'leader', username: 'al.leader' });
      await makeUser(t.db, { unit: otherCommune, role: 'officer', username: 'al.other' });
      officer = await signIn(t.app, 'al.officer');
      districtLeader = await signIn(t.app, 'al.leader');
      otherOfficer = await signIn(t.app, 'al.other');

      const { rows } = await sql<{ id: number }>`INSERT INTO dossier_sources (code, name) VALUES ('AL_SRC', 'Một cửa thử') RETURNING id`.execute(t.db);
      await sql`INSERT INTO dossier_procedures (code, name, level, unit_kinds, processing_days)
        VALUES (${PROCEDURE}, 'Đăng ký khai sinh', 'commune', '{commune}', 3)`.execute(t.db);
      const afterDue = new Date(startOfBusinessDay(calendar.addWorkingDays(promised, 2)).getTime() + 9 * 3_600_000);
      const inputs = [
        dossier('AL-0001', {}),
        dossier('AL-0002', { receivedAt: daysAgo(1), promisedReturnDate: calendar.addWorkingDays(today(), 5), events: [{ status: 'accepted', at: daysAgo(1) }] }),
        // Waiting for the citizen's supplement: nothing known makes it late.
        dossier('AL-0003', { supplements: [{ askedAt: new Date(received.getTime() + 7_200_000), answeredAt: null }] }),
        then('AL-0004', 'processed', new Date(received.getTime() + 86_400_000), [{ status: 'returned', at: new Date(received.getTime() + 2 * 86_400_000) }]),
        then('AL-0005', 'processed', afterDue, [{ status: 'returned', at: new Date(afterDue.getTime() + 3_600_000) }]),
        then('AL-0006', 'processed', afterDue),
        then('AL-0007', 'withdrawn', afterDue),
      ];
      const written = await inTransaction(t.db, (trx) => writeDossiers(trx, rows[0].id, inputs, { calendar }));
      assert.deepEqual(written.map((w) => w.result), inputs.map(() => 'created'), JSON.stringify(written));
      const id = async (code: string) => Number((await sql<{ id: string }>`SELECT id FROM dossiers WHERE code = ${code}`.execute(t.db)).rows[0].id);
      for (const [name, code] of Object.entries(CODES)) ids[name as keyof typeof ids] = await id(code);
    });
    after(() => t.close());

    test('given a dossier past its due date and still open, its officer gets the letter as .docx with the dossier’s facts, and the issue is audited', async () => {
      const res = await letter(officer, ids.lateOpen, body({ number: '5/PXL-UBND' }));
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="phieu-xin-loi-AL-0001\.docx"$/);
      const text = await letterText(res);
      const newDate = calendar.addWorkingDays(today(), 3);
      const [y, m, d] = today().split('-').map(Number);
      const dateLine = `An Bình, ngày ${String(d).padStart(2, '0')} tháng ${m <= 2 ? String(m).padStart(2, '0') : m} năm ${y}`;
      for (const expected of [
        'ỦY BAN NHÂN DÂN\nXÃ AN BÌNH',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc',
        'Số: 05/PXL-UBND',
        dateLine,
        'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
        'Kính gửi: Ông/Bà.',
        `Ngày ${vn(businessDateOf(received))}, Ủy ban nhân dân xã An Bình tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục hành chính “Đăng ký khai sinh”, mã hồ sơ AL-0001.`,
        `hẹn trả kết quả là ngày ${vn(promised)}`,
        'Lý do: Phải xác minh thông tin nơi cư trú tại địa phương khác.',
        `hẹn lại ngày trả kết quả giải quyết hồ sơ là ngày ${vn(newDate)}.`,
        'KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH',
        'Trần Văn Bình',
      ]) {
        assert.ok(text.includes(expected), `the letter says: ${expected}\n---\n${text}`);
      }
      const audit = await t.db
        .selectFrom('audit_log')
        .select(['username', 'module', 'entity_type', 'org_unit_id', 'after'])
        .where('action', '=', 'apology-letter')
        .where('entity_id', '=', String(ids.lateOpen))
        .execute();
      assert.equal(audit.length, 1);
      assert.deepEqual({ ...audit[0], after: undefined }, { username: 'al.officer', module: 'dossiers', entity_type: 'dossier', org_unit_id: commune.id, after: undefined });
      assert.deepEqual(audit[0].after, {
        code: 'AL-0001',
        number: '05/PXL-UBND',
        dueOn: promised,
        newReturnDate: newDate,
        reason: 'Phải xác minh thông tin nơi cư trú tại địa phương khác.',
        signerName: 'Trần Văn Bình',
        signerTitle: 'KT. Chủ tịch\nPhó Chủ tịch',
      });
    });

    test('a dossier processed late whose result is not yet handed over gets a letter too; a leader of the district above may issue it', async () => {
      const text = await letterText(await letter(districtLeader, ids.processedLate));
      assert.ok(text.includes('mã hồ sơ AL-0006'));
    });

    test('a dossier that is not late is refused with 409: open within its deadline, nothing making it late, or ended on time', async () => {
      for (const id of [ids.onTimeOpen, ids.neverLate, ids.endedOnTime]) {
        const res = await letter(officer, id);
        assert.equal(res.statusCode, 409, res.body);
        assert.equal(res.json().code, 'DOSSIER_NOT_LATE');
        assert.match(res.json().message, /không trễ hạn .*hạn trả kết quả \d{2}\/\d{2}\/\d{4}.*chỉ lập cho hồ sơ trễ hạn/);
      }
    });

    test('a late dossier already returned or withdrawn has no return date to set again: 409', async () => {
      const returned = await letter(officer, ids.returnedLate);
      assert.equal(returned.statusCode, 409);
      assert.deepEqual(returned.json(), { code: 'DOSSIER_ENDED', message: 'Hồ sơ AL-0005 đã kết thúc (Đã trả kết quả): không còn hẹn lại ngày trả kết quả.' });
      const withdrawn = await letter(officer, ids.withdrawnLate);
      assert.equal(withdrawn.statusCode, 409);
      assert.match(withdrawn.json().message, /Công dân yêu cầu rút hồ sơ/);
    });

    test('the new return date must be a working day after today: otherwise 400 naming the working day to choose', async () => {
      const next = calendar.addWorkingDays(today(), 1);
      for (const date of [today(), dateDaysAgo(3)]) {
        const res = await letter(officer, ids.lateOpen, body({ newReturnDate: date }));
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().code, 'INVALID_RETURN_DATE');
        assert.equal(res.json().details.nextWorkingDay, next);
        assert.ok(res.json().message.includes(`ngày làm việc gần nhất là ${vn(next)}`), res.json().message);
      }
      // The first Sunday at least a week away: its next working day is the Monday after, or later around a holiday.
      let day = parseIsoDate(calendar.addWorkingDays(today(), 5));
      while (new Date(day * DAY).getUTCDay() !== 0) day++;
      const sunday = formatIsoDate(day);
      const weekend = await letter(officer, ids.lateOpen, body({ newReturnDate: sunday }));
      assert.equal(weekend.statusCode, 400);
      assert.equal(weekend.json().code, 'INVALID_RETURN_DATE');
      assert.equal(weekend.json().details.nextWorkingDay, calendar.nextWorkingDay(sunday));
      assert.ok(weekend.json().message.includes(`${vn(sunday)} không phải ngày làm việc`));

      const impossible = await letter(officer, ids.lateOpen, body({ newReturnDate: '2031-02-30' }));
      assert.equal(impossible.statusCode, 400);
      assert.equal(impossible.json().code, 'INVALID_DATE');
      const notADate = await letter(officer, ids.lateOpen, body({ newReturnDate: '10/12/2030' }));
      assert.equal(notADate.statusCode, 400);
    });

    test('the body is checked strictly: blank reason or signer, unknown fields, a number without its symbol', async () => {
      for (const payload of [
        body({ reason: '   ' }),
        body({ signerName: '' }),
        body({ signerTitle: ' \n ' }),
        body({ number: '05' }),
        body({ citizen: 'Nguyễn Văn An' }),
        { newReturnDate: calendar.addWorkingDays(today(), 3), reason: 'Thiếu người ký' },
      ]) {
        const res = await letter(officer, ids.lateOpen, payload);
        assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
      }
    });

    test('outside the caller’s units the dossier does not exist: 404, nothing audited; without a session, 401', async () => {
      const before = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'apology-letter').executeTakeFirstOrThrow();
      const res = await letter(otherOfficer, ids.lateOpen);
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'NOT_FOUND');
      assert.equal((await letter(officer, 987654)).statusCode, 404);
      const after = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'apology-letter').executeTakeFirstOrThrow();
      assert.equal(after.n, before.n);
      const anonymous = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${ids.lateOpen}/apology-letter`, payload: body() });
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
