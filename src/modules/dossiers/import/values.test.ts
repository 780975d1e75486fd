import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCleanCode, parseBoolean, parseChannel, parseFee, parseRating, parseStatus, parseVnDateTime } from './values.js';

/** The instant of a wall-clock time in Vietnam. */
const vn = (local: string) => new Date(`${local}+07:00`).getTime();

describe('dates and times are read as Vietnamese wall-clock time (UTC+7)', () => {
  test('dd/mm/yyyy, with or without a time', () => {
    assert.equal(parseVnDateTime('05/03/2026'), vn('2026-03-05T00:00:00'));
    assert.equal(parseVnDateTime('5/3/2026'), vn('2026-03-05T00:00:00'));
    assert.equal(parseVnDateTime('05-03-2026'), vn('2026-03-05T00:00:00'));
    assert.equal(parseVnDateTime('05.03.2026'), vn('2026-03-05T00:00:00'));
    assert.equal(parseVnDateTime('05/03/2026 08:15'), vn('2026-03-05T08:15:00'));
    assert.equal(parseVnDateTime('05/03/2026 8:15'), vn('2026-03-05T08:15:00'));
    assert.equal(parseVnDateTime('05/03/2026 23:59:59'), vn('2026-03-05T23:59:59'));
  });

  test('late evening in Vietnam is still that day there (the previous day in UTC)', () => {
    assert.equal(new Date(parseVnDateTime('05/03/2026 23:30')).toISOString(), '2026-03-05T16:30:00.000Z');
    assert.equal(new Date(parseVnDateTime('05/03/2026 06:00')).toISOString(), '2026-03-04T23:00:00.000Z');
  });

  test('ISO dates, with T or a space, and an explicit offset when the file gives one', () => {
    assert.equal(parseVnDateTime('2026-03-05'), vn('2026-03-05T00:00:00'));
    assert.equal(parseVnDateTime('2026-03-05T08:15'), vn('2026-03-05T08:15:00'));
    assert.equal(parseVnDateTime('2026-03-05 08:15:30'), vn('2026-03-05T08:15:30'));
    assert.equal(parseVnDateTime('2026-03-05T08:15:30.250'), vn('2026-03-05T08:15:30.250'));
    assert.equal(parseVnDateTime('2026-03-05T01:15:00Z'), vn('2026-03-05T08:15:00'));
    assert.equal(parseVnDateTime('2026-03-05T08:15:00+07:00'), vn('2026-03-05T08:15:00'));
    assert.equal(parseVnDateTime('2026-03-05T09:15:00+08:00'), vn('2026-03-05T08:15:00'));
  });

  test('anything else is not a date', () => {
    for (const text of [
      '31/02/2026', '29/02/2025', '32/01/2026', '05/13/2026', '2026-02-30', '2026-3-5', '05/03/26', '05/03/2026 24:00',
      '05/03/2026 08:60', '05/03-2026', '05/03/2026T08:15', '05/03/2026 08:15Z', 'hôm qua', '45721', '', '05/03/2026 08',
      '0a/03/2026', '05/03/20x6', '05/03/2026 0x:15', '05/03/2026 08-15', '05/03/2026 08:1 ', '00/03/2026', '05/00/2026',
    ]) {
      assert.ok(Number.isNaN(parseVnDateTime(text)), text);
    }
    assert.equal(parseVnDateTime('29/02/2024'), vn('2024-02-29T00:00:00'));
  });
});

describe('labelled values, with or without diacritics, in any case', () => {
  test('the ten statuses by code or by name; nothing outside them', () => {
    assert.equal(parseStatus('1'), 'registered');
    assert.equal(parseStatus('04'), 'in_process');
    assert.equal(parseStatus('10'), 'returned');
    assert.equal(parseStatus('Đang xử lý'), 'in_process');
    assert.equal(parseStatus('dang xu ly'), 'in_process');
    assert.equal(parseStatus('ĐÃ TRẢ KẾT QUẢ'), 'returned');
    assert.equal(parseStatus('Yêu cầu bổ sung giấy tờ'), 'supplement_requested');
    assert.equal(parseStatus('Công dân yêu cầu rút hồ sơ'), 'withdrawn');
    for (const text of ['0', '11', '4.5', 'Tạm dừng', 'Hoàn tất?', 'abc']) assert.equal(parseStatus(text), undefined, text);
  });

  test('channels 1–3 or their names', () => {
    assert.equal(parseChannel('1'), 'in_person');
    assert.equal(parseChannel('Trực tuyến'), 'online');
    assert.equal(parseChannel('qua buu chinh'), 'post');
    assert.equal(parseChannel('4'), undefined);
    assert.equal(parseChannel('Fax'), undefined);
  });

  test('yes and no as people write them', () => {
    for (const text of ['Có', 'co', 'x', 'X', '1', 'yes', 'TRUE', 'Đúng', 'Đã']) assert.equal(parseBoolean(text), true, text);
    for (const text of ['Không', 'khong', '0', 'no', 'FALSE', 'Sai', 'Chưa']) assert.equal(parseBoolean(text), false, text);
    for (const text of ['có lẽ', '2', 'ok']) assert.equal(parseBoolean(text), undefined, text);
  });

  test('ratings', () => {
    assert.equal(parseRating('Rất hài lòng'), 'very_satisfied');
    assert.equal(parseRating('hai long'), 'satisfied');
    assert.equal(parseRating('Không hài lòng'), 'dissatisfied');
    assert.equal(parseRating('5 sao'), undefined);
  });
});

describe('fees in đồng', () => {
  test('plain, grouped by dot, comma or space, with a currency after it', () => {
    for (const text of ['50000', '50.000', '50,000', '50 000', '50.000đ', '50.000 ₫', '50000 VND', '50.000 VNĐ', '50000.00', '50.000,00', '50,000.00']) {
      assert.equal(parseFee(text), 50_000, text);
    }
    assert.equal(parseFee('0'), 0);
    assert.equal(parseFee('1.250.000'), 1_250_000);
  });

  test('no fractions of a đồng, no negative fee, no words', () => {
    for (const text of ['1.5', '50.0001', '-50000', '50.00.00', '5,0000', 'miễn phí', '']) assert.ok(Number.isNaN(parseFee(text)), text);
  });
});

test('codes have no space or control character and at most 100 characters', () => {
  assert.ok(isCleanCode('000.00.12.H23-260305-0001'));
  assert.ok(isCleanCode('1.001234.000.00.00.H23'));
  for (const text of ['', 'H23 0001', 'H23\t1', 'a\u0000b', 'x'.repeat(101)]) assert.equal(isCleanCode(text), false, JSON.stringify(text));
});
