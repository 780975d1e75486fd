import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HEADER } from './fixtures.js';
import { checkMapping, describeMapping, suggestMapping } from './mapping.js';

describe('the header suggests the mapping', () => {
  test('every field of a one-stop export is recognised by its Vietnamese name', () => {
    const { columns, headerLine } = suggestMapping([...HEADER]);
    assert.equal(headerLine, 1);
    assert.deepEqual(columns, {
      code: 0, procedureCode: 1, receivingUnitCode: 2, channel: 3, receivedAt: 4, promisedReturnDate: 5, status: 6,
      statusAt: 7, finishedAt: 8, returnedAt: 9, supplementRequestedAt: 10, supplementAnsweredAt: 11, fee: 12,
      paidOnline: 13, digitised: 14, electronicResult: 15, rating: 16, complaint: 17, handler: 18, synced: 19, reusedData: 20,
    });
  });

  test('case, missing diacritics, notes in brackets, stars and extra words do not matter', () => {
    const header = ['STT', 'MÃ HỒ SƠ (*)', 'ma thu tuc', 'Tên đơn vị tiếp nhận', 'Mã đơn vị', 'Hình thức nộp', 'Ngày tiếp nhận hồ sơ (dd/mm/yyyy)', 'Tình trạng', 'receivedAt'];
    assert.deepEqual(suggestMapping(header, 3), {
      headerLine: 3,
      // "Tên đơn vị…" holds names, not codes; the English key of a field taken already is left alone.
      columns: { code: 1, procedureCode: 2, receivingUnitCode: 4, channel: 5, status: 7, receivedAt: 8 },
    });
  });

  test('a name found exactly wins over one found inside a longer header', () => {
    const { columns } = suggestMapping(['Trạng thái hồ sơ cũ', 'Trạng thái']);
    assert.equal(columns.status, 1);
    assert.deepEqual(suggestMapping(['Trạng thái hồ sơ cũ']).columns, { status: 0 });
  });

  test('unknown columns are left unmapped', () => {
    assert.deepEqual(suggestMapping(['Ghi chú', 'Người nộp', '']).columns, {});
  });
});

describe('checkMapping says what the mapping lacks, in Vietnamese', () => {
  const header = [...HEADER];

  test('a complete suggestion has no problem', () => {
    assert.deepEqual(checkMapping(suggestMapping(header), header), []);
  });

  test('required fields without a column', () => {
    const problems = checkMapping({ headerLine: 1, columns: { code: 0, procedureCode: 1, receivingUnitCode: 2, channel: 3 } }, header);
    assert.deepEqual(
      problems.map((p) => [p.field, p.code]),
      [['receivedAt', 'MAPPING_REQUIRED'], ['status', 'MAPPING_REQUIRED']],
    );
    assert.match(problems[0].message, /Ngày tiếp nhận/);
  });

  test('a column used twice, a column that does not exist, a field that is not one, a bad header line', () => {
    const columns = { ...suggestMapping(header).columns, statusAt: 6, fee: 40, colour: 1 } as Record<string, number>;
    const problems = checkMapping({ headerLine: 0, columns }, header);
    assert.deepEqual(problems.map((p) => p.code).sort(), ['MAPPING_HEADER_LINE', 'MAPPING_NO_SUCH_COLUMN', 'MAPPING_SHARED_COLUMN', 'MAPPING_UNKNOWN_FIELD']);
    assert.match(problems.find((p) => p.code === 'MAPPING_SHARED_COLUMN')!.message, /Cột "Trạng thái".*Trạng thái và Thời điểm trạng thái/);
  });
});

test('describeMapping lists every field for the import screen', () => {
  const rows = describeMapping({ headerLine: 1, columns: { code: 2 } }, ['a', 'b', 'Số hồ sơ']);
  assert.equal(rows.length, 21);
  assert.deepEqual(rows[0], { field: 'code', label: 'Mã hồ sơ', required: true, column: 2, header: 'Số hồ sơ' });
  assert.deepEqual(rows.find((r) => r.field === 'fee'), { field: 'fee', label: 'Phí, lệ phí', required: false, column: null, header: null });
});
