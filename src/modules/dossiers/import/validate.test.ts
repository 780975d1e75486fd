import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Column, HEADER, LOOKUPS, NOW, dossierRow } from './fixtures.js';
import type { RowProblem } from './fields.js';
import { suggestMapping } from './mapping.js';
import { type DossierLookups, type RowOutcome, createDossierValidator } from './validate.js';

const vn = (local: string) => new Date(`${local}+07:00`);

function validator(lookups: DossierLookups = LOOKUPS) {
  return createDossierValidator({ mapping: suggestMapping([...HEADER]), lookups, now: NOW });
}

/** The problems of one row on its own (line 2), as [field, code] pairs. */
function problemsOf(overrides: Partial<Record<Column, string>>, lookups?: DossierLookups): [string | null, string][] {
  const outcome = validator(lookups).check(2, dossierRow(overrides));
  return 'problems' in outcome ? outcome.problems.map((p) => [p.field, p.code]) : [];
}

const problems = (outcome: RowOutcome): RowProblem[] => ('problems' in outcome ? outcome.problems : []);

describe('a valid row becomes a typed dossier record', () => {
  test('every field, times read as Vietnamese wall-clock time', () => {
    assert.deepEqual(validator().check(7, dossierRow()), {
      line: 7,
      record: {
        code: 'H23.12-260305-0001',
        procedureCode: '1.001234.000.00.00.H23',
        receivingUnitCode: '000.00.12.H23',
        handler: 'Nguyễn Thị Lan',
        channel: 'online',
        receivedAt: vn('2026-03-05T08:15:00'),
        promisedReturnDate: '2026-03-12',
        status: 'returned',
        statusAt: vn('2026-03-11T16:00:00'),
        finishedAt: vn('2026-03-10T17:00:00'),
        returnedAt: vn('2026-03-11T16:00:00'),
        supplementRequestedAt: null,
        supplementAnsweredAt: null,
        fee: 50_000,
        paidOnline: true,
        synced: true,
        digitised: true,
        reusedData: false,
        electronicResult: true,
        rating: 'satisfied',
        complaint: false,
      },
    });
  });

  test('the handler up to 200 characters; the portal sync and data reuse flags as yes/no', () => {
    assert.deepEqual(problemsOf({ 'Cán bộ xử lý': 'Trần Văn Bình'.padEnd(200, '.') }), []);
    assert.deepEqual(problemsOf({ 'Cán bộ xử lý': 'x'.repeat(201) }), [['handler', 'HANDLER_TOO_LONG']]);
    assert.deepEqual(problemsOf({ 'Đồng bộ': 'chưa rõ', 'Tái sử dụng dữ liệu': 'có lẽ' }), [['synced', 'INVALID_BOOLEAN'], ['reusedData', 'INVALID_BOOLEAN']]);
    const outcome = validator().check(2, dossierRow({ 'Đồng bộ': 'Không', 'Tái sử dụng dữ liệu': 'x', 'Cán bộ xử lý': '' }));
    assert.ok('record' in outcome);
    assert.deepEqual([outcome.record.synced, outcome.record.reusedData, outcome.record.handler], [false, true, null]);
  });

  test('optional cells left empty give null; cells are trimmed', () => {
    const outcome = validator().check(2, dossierRow({ 'Mã hồ sơ': '  HS-1 ', 'Ngày hẹn trả': '', 'Phí, lệ phí': '', 'Số hóa': '', 'Đánh giá': '' }));
    assert.ok('record' in outcome);
    assert.equal(outcome.record.code, 'HS-1');
    assert.equal(outcome.record.promisedReturnDate, null);
    assert.equal(outcome.record.fee, null);
    assert.equal(outcome.record.digitised, null);
    assert.equal(outcome.record.rating, null);
  });

  test('a promised date given with a time is the day it names in Vietnam', () => {
    const outcome = validator().check(2, dossierRow({ 'Ngày hẹn trả': '2026-03-12T23:30:00+07:00' }));
    assert.ok('record' in outcome);
    assert.equal(outcome.record.promisedReturnDate, '2026-03-12');
  });

  test('only the mapped columns are read', () => {
    const v = createDossierValidator({
      mapping: { headerLine: 1, columns: { code: 0, procedureCode: 1, receivingUnitCode: 2, channel: 3, receivedAt: 4, status: 6 } },
      lookups: LOOKUPS,
      now: NOW,
    });
    const outcome = v.check(2, dossierRow({ 'Phí, lệ phí': 'không đọc', 'Trạng thái': '4', 'Ngày trả kết quả': '', 'Ngày có kết quả': '' }));
    assert.ok('record' in outcome, JSON.stringify(outcome));
    assert.equal(outcome.record.fee, null);
    assert.equal(outcome.record.status, 'in_process');
  });
});

describe('every problem of a row, each with its field, a stable code and a Vietnamese message', () => {
  test('required cells left empty', () => {
    const empty = { 'Mã hồ sơ': '', 'Mã thủ tục': '', 'Đơn vị tiếp nhận': '', 'Kênh nộp': '', 'Ngày tiếp nhận': '', 'Trạng thái': '' };
    assert.deepEqual(problemsOf(empty), [
      ['code', 'MISSING_VALUE'],
      ['procedureCode', 'MISSING_VALUE'],
      ['receivingUnitCode', 'MISSING_VALUE'],
      ['channel', 'MISSING_VALUE'],
      ['status', 'MISSING_VALUE'],
      ['receivedAt', 'MISSING_VALUE'],
    ]);
  });

  test('unknown procedure and unit codes, from Sets or from functions', () => {
    const unknown = { 'Mã thủ tục': '9.999999.000.00.00.H23', 'Đơn vị tiếp nhận': '000.00.99.H23' };
    assert.deepEqual(problemsOf(unknown), [['procedureCode', 'UNKNOWN_PROCEDURE'], ['receivingUnitCode', 'UNKNOWN_UNIT']]);
    const asked: string[] = [];
    const procedures = (c: string) => {
      asked.push(c);
      return c.startsWith('1.');
    };
    const lookups = { procedures, units: () => true };
    assert.deepEqual(problemsOf(unknown, lookups), [['procedureCode', 'UNKNOWN_PROCEDURE']]);
    assert.deepEqual(asked, ['9.999999.000.00.00.H23']);
    const [problem] = problems(validator().check(9, dossierRow(unknown)));
    assert.deepEqual(problem, {
      line: 9,
      field: 'procedureCode',
      code: 'UNKNOWN_PROCEDURE',
      severity: 'error',
      message: 'không có thủ tục mã "9.999999.000.00.00.H23" trong danh mục thủ tục hành chính',
    });
  });

  test('a status outside the ten, in numbers or words', () => {
    for (const status of ['11', '0', 'Tạm dừng', 'Hoàn thành?']) assert.deepEqual(problemsOf({ 'Trạng thái': status, 'Ngày có kết quả': '', 'Ngày trả kết quả': '' }), [['status', 'INVALID_STATUS']], status);
    const [problem] = problems(validator().check(2, dossierRow({ 'Trạng thái': '11' })));
    assert.match(problem.message, /"11" không thuộc 10 trạng thái/);
  });

  test('channel, yes/no, fee and rating that are not one of theirs', () => {
    const bad = { 'Kênh nộp': 'Fax', 'Thanh toán trực tuyến': 'có lẽ', 'Phí, lệ phí': '1,5', 'Đánh giá': 'tuyệt', 'Khiếu nại': '2' };
    assert.deepEqual(problemsOf(bad), [
      ['channel', 'INVALID_CHANNEL'],
      ['fee', 'INVALID_FEE'],
      ['paidOnline', 'INVALID_BOOLEAN'],
      ['rating', 'INVALID_RATING'],
      ['complaint', 'INVALID_BOOLEAN'],
    ]);
  });

  test('dates that are not dates, before 2000, or in the future', () => {
    assert.deepEqual(problemsOf({ 'Ngày tiếp nhận': '31/02/2026' }), [['receivedAt', 'INVALID_DATE']]);
    assert.deepEqual(problemsOf({ 'Ngày tiếp nhận': '05/03/1999' }), [['receivedAt', 'DATE_OUT_OF_RANGE']]);
    assert.deepEqual(problemsOf({ 'Ngày trả kết quả': '11/03/2027 16:00', 'Thời điểm trạng thái': '11/03/2027 16:00' }), [
      ['statusAt', 'DATE_IN_FUTURE'],
      ['returnedAt', 'DATE_IN_FUTURE'],
    ]);
    // A promised date may be ahead: the dossier is still being handled.
    assert.deepEqual(problemsOf({ 'Ngày hẹn trả': '01/01/2027', 'Trạng thái': '4', 'Ngày có kết quả': '', 'Ngày trả kết quả': '', 'Thời điểm trạng thái': '' }), []);
  });
});

describe('dates that contradict each other', () => {
  test('returned before received', () => {
    const outcome = validator().check(4, dossierRow({ 'Ngày tiếp nhận': '05/03/2026 08:15', 'Ngày trả kết quả': '04/03/2026 16:00', 'Thời điểm trạng thái': '' }));
    assert.deepEqual(problems(outcome), [
      { line: 4, field: 'returnedAt', code: 'DATE_ORDER', severity: 'error', message: 'Ngày trả kết quả (04/03/2026 16:00) trước ngày tiếp nhận (05/03/2026 08:15)' },
      { line: 4, field: 'returnedAt', code: 'DATE_ORDER', severity: 'error', message: 'Ngày trả kết quả (04/03/2026 16:00) trước ngày có kết quả (10/03/2026 17:00)' },
    ]);
  });

  test('processed before received, promised before received, supplement answered before asked', () => {
    assert.deepEqual(problemsOf({ 'Ngày có kết quả': '05/03/2026 08:00' }), [['finishedAt', 'DATE_ORDER']]);
    assert.deepEqual(problemsOf({ 'Ngày hẹn trả': '04/03/2026' }), [['promisedReturnDate', 'DATE_ORDER']]);
    assert.deepEqual(problemsOf({ 'Ngày yêu cầu bổ sung': '07/03/2026 09:00', 'Ngày bổ sung': '06/03/2026 15:00' }), [['supplementAnsweredAt', 'DATE_ORDER']]);
    assert.deepEqual(problemsOf({ 'Ngày yêu cầu bổ sung': '04/03/2026' }), [['supplementRequestedAt', 'DATE_ORDER']]);
    assert.deepEqual(problemsOf({ 'Ngày bổ sung': '06/03/2026 15:00' }), [['supplementAnsweredAt', 'DATE_ORDER']]);
  });

  test('a date without a time compares by day: returned "05/03/2026" after receipt at 08:15 that day is fine', () => {
    assert.deepEqual(problemsOf({ 'Ngày có kết quả': '05/03/2026', 'Ngày trả kết quả': '05/03/2026', 'Thời điểm trạng thái': '05/03/2026' }), []);
    assert.deepEqual(problemsOf({ 'Ngày hẹn trả': '05/03/2026' }), []);
  });

  test('a result while the status says the dossier is still being handled', () => {
    assert.deepEqual(problemsOf({ 'Trạng thái': 'Đang xử lý', 'Ngày trả kết quả': '' }), [['status', 'STATUS_CONFLICT']]);
    assert.deepEqual(problemsOf({ 'Trạng thái': 'Đã xử lý xong', 'Ngày trả kết quả': '' }), []);
    assert.deepEqual(problemsOf({ 'Trạng thái': 'Dừng xử lý' }), []);
  });
});

describe('the same dossier twice in a file', () => {
  test('an exact repeat, even written differently, is a warning and the row is left out', () => {
    const v = validator();
    assert.ok('record' in v.check(2, dossierRow()));
    const repeat = v.check(9, dossierRow({ 'Ngày tiếp nhận': '2026-03-05 08:15:00', 'Kênh nộp': 'Trực tuyến', 'Phí, lệ phí': '50000', 'Số hóa': 'có' }));
    assert.deepEqual(repeat, {
      line: 9,
      problems: [{ line: 9, field: 'code', code: 'DUPLICATE_REPEAT', severity: 'warning', otherLine: 2, message: 'hồ sơ "H23.12-260305-0001" lặp lại y hệt dòng 2; dòng này được bỏ qua' }],
    });
  });

  test('the same code with different data is an error naming both lines, not a silent merge', () => {
    const v = validator();
    v.check(2, dossierRow());
    v.check(3, dossierRow({ 'Mã hồ sơ': 'HS-2' }));
    const conflict = problems(v.check(5, dossierRow({ 'Trạng thái': 'Đã xử lý xong', 'Ngày trả kết quả': '' })));
    assert.deepEqual(conflict.map((p) => [p.code, p.severity, p.otherLine]), [['DUPLICATE_CONFLICT', 'error', 2]]);
    assert.match(conflict[0].message, /"H23.12-260305-0001" đã có ở dòng 2 với dữ liệu khác/);
    // A third copy is compared with the first.
    assert.equal(problems(v.check(8, dossierRow()))[0].code, 'DUPLICATE_REPEAT');
  });

  test('a wrong row and its corrected copy further down are a conflict, not two dossiers', () => {
    const v = validator();
    assert.deepEqual(problems(v.check(2, dossierRow({ 'Kênh nộp': 'Fax' }))).map((p) => p.code), ['INVALID_CHANNEL']);
    assert.deepEqual(problems(v.check(3, dossierRow())).map((p) => p.code), ['DUPLICATE_CONFLICT']);
  });

  test('codes differing only in case are different dossiers', () => {
    const v = validator();
    v.check(2, dossierRow({ 'Mã hồ sơ': 'hs-1' }));
    assert.ok('record' in v.check(3, dossierRow({ 'Mã hồ sơ': 'HS-1' })));
  });
});
