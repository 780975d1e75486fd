import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppError } from '../errors/errors.js';
import { createTextDecoding, decodeTextFile, firstInvalidUtf8, firstNonVietnamese, incompleteTail } from './text-encoding.js';
import { tcvn3, utf16, utf8, windows1258 } from './text-fixtures.js';

const NAME = 'Nguyễn Văn Ánh';
const TEXT = `Họ tên,Trạng thái\r\n${NAME},Đang xử lý\r\nTrần Thị Ngọc Hường,Đã trả kết quả\r\n`;

/** Decodes in chunks of `size` bytes, as a stream would deliver them. */
function decodeInChunks(bytes: Uint8Array, size: number) {
  const decoding = createTextDecoding();
  let text = '';
  for (let at = 0; at < bytes.length; at += size) text += decoding.push(bytes.subarray(at, at + size));
  text += decoding.end();
  return { text, encoding: decoding.encoding };
}

const refused = (code: string, check?: (error: AppError) => void) => (error: unknown) => {
  assert.equal((error as AppError).code, code, (error as Error).message);
  check?.(error as AppError);
  return true;
};

describe('UTF-8 and UTF-16 are read as they are', () => {
  test('UTF-8 with and without a BOM', () => {
    assert.deepEqual(decodeTextFile(utf8(TEXT)), { text: TEXT, encoding: 'utf-8' });
    assert.deepEqual(decodeTextFile(utf8(TEXT, true)), { text: TEXT, encoding: 'utf-8' });
  });

  test('UTF-16 little- and big-endian, with a BOM or recognised by the zero bytes beside ASCII', () => {
    for (const order of ['le', 'be'] as const) {
      for (const bom of [true, false]) {
        assert.deepEqual(decodeTextFile(utf16(TEXT, order, bom)), { text: TEXT, encoding: `utf-16${order}` }, `${order} bom=${bom}`);
      }
    }
  });

  test('a character cut between two chunks is decoded whole, wherever the cut falls', () => {
    const bytes = utf8(TEXT);
    for (const size of [1, 2, 3, 5, 7]) assert.equal(decodeInChunks(bytes, size).text, TEXT, `chunks of ${size}`);
    for (const size of [1, 3]) assert.equal(decodeInChunks(utf16(TEXT, 'le', true), size).text, TEXT);
  });

  test('the tail of a chunk that starts a multi-byte character waits for the next chunk', () => {
    const e = utf8('ễ'); // 3 bytes
    assert.equal(incompleteTail(e), 0);
    assert.equal(incompleteTail(e.subarray(0, 2)), 2);
    assert.equal(incompleteTail(e.subarray(0, 1)), 1);
    assert.equal(incompleteTail(utf8('abc')), 0);
  });
});

describe('Windows-1258 (legacy Vietnamese Excel) is decoded to Unicode, never to mojibake', () => {
  test('this Node decodes windows-1258 with its tone marks as separate characters', () => {
    const raw = new TextDecoder('windows-1258').decode(windows1258(NAME));
    assert.notEqual(raw, NAME); // "ê" + U+0303: not yet composed
    assert.equal(raw.normalize('NFC'), NAME);
  });

  test('a Windows-1258 file comes out as NFC Vietnamese, whole or in small chunks', () => {
    const bytes = windows1258(TEXT);
    assert.notDeepEqual(bytes, utf8(TEXT));
    const whole = decodeTextFile(bytes);
    assert.deepEqual(whole, { text: TEXT, encoding: 'windows-1258' });
    assert.doesNotMatch(whole.text, /[\u0300-\u036f]/, 'no combining mark left over');
    for (const size of [1, 2, 5, 7, 4096]) assert.deepEqual(decodeInChunks(bytes, size), { text: TEXT, encoding: 'windows-1258' }, `chunks of ${size}`);
  });

  test('a Windows-1258 file whose first Vietnamese letter comes after many ASCII lines', () => {
    const text = `${'ma,so\r\n'.repeat(2000)}${NAME}\r\n`;
    assert.deepEqual(decodeInChunks(windows1258(text), 1000), { text, encoding: 'windows-1258' });
  });

  test('TCVN3 (ABC) is refused naming the byte and the line, not decoded as Windows-1258', () => {
    const bytes = Buffer.concat([utf8('Họ tên\r\nABC\r\n'.replace('ọ', 'o').replace('ê', 'e')), tcvn3('Nguyễn Văn Hải\r\n')]);
    assert.throws(
      () => decodeTextFile(bytes),
      refused('FILE_ENCODING', (error) => {
        assert.match(error.message, /TCVN3/);
        assert.deepEqual(error.details, { byteOffset: 21, line: 3 }); // the "ă" of Văn ("ễ" looks like "Ô"), third line
      }),
    );
  });

  test('characters Vietnamese does not have are not taken for Windows-1258', () => {
    assert.equal(firstNonVietnamese('Nguyê\u0303n Văn A\u0301nh'), -1);
    assert.equal(firstNonVietnamese('Văn ¨ Hải'), 4);
    assert.equal(firstNonVietnamese('Müller'), 1);
    assert.equal(firstNonVietnamese('n\u0301'), 1); // a tone mark on a consonant
    assert.equal(firstNonVietnamese('a\u0081'), 1); // a byte Windows-1258 leaves undefined
    assert.equal(firstNonVietnamese('50.000₫ – “đủ”'), -1);
  });
});

describe('anything else is refused with a clear Vietnamese message', () => {
  test('invalid UTF-8 after real UTF-8 text names the byte offset and the line', () => {
    const bytes = Buffer.concat([utf8(`a,b\r\n${NAME}\r\nx`), Buffer.from([0xff]), utf8('y\r\n')]);
    assert.throws(
      () => decodeTextFile(bytes),
      refused('FILE_ENCODING', (error) => {
        const offset = utf8(`a,b\r\n${NAME}\r\nx`).length;
        assert.deepEqual(error.details, { byteOffset: offset, line: 3 });
        assert.match(error.message, new RegExp(`0xFF ở vị trí ${offset} \\(dòng 3\\)`));
        assert.match(error.message, /UTF-8/);
      }),
    );
  });

  test('a file cut in the middle of a UTF-8 character', () => {
    const bytes = utf8(`${NAME}\r\nNguyễn`).subarray(0, -3); // "n" is gone and "ễ" keeps its first byte of three
    assert.throws(() => decodeTextFile(bytes), refused('FILE_ENCODING'));
  });

  test('after a UTF-8 BOM there is no falling back to Windows-1258', () => {
    assert.throws(() => decodeTextFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), windows1258(NAME)])), refused('FILE_ENCODING'));
  });

  test('pictures, PDFs, old .xls and zip files are named for what they are', () => {
    const files: [number[], RegExp][] = [
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], /PNG/],
      [[0x25, 0x50, 0x44, 0x46, 0x2d, 0x31], /PDF/],
      [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], /\.xls/],
      [[0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], /\.xlsx/],
    ];
    for (const [magic, name] of files) {
      assert.throws(() => decodeTextFile(Buffer.concat([Buffer.from(magic), Buffer.alloc(100, 0x41)])), refused('FILE_TYPE', (e) => assert.match(e.message, name)));
    }
  });

  test('zero bytes that are not UTF-16 mean a binary file', () => {
    const binary = Buffer.from(Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? 0 : 65 + (i % 20))));
    assert.throws(() => decodeTextFile(binary), refused('FILE_TYPE'));
  });

  test('firstInvalidUtf8 follows the WHATWG rules', () => {
    assert.equal(firstInvalidUtf8(utf8('ab ễ')), 6);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80])), 1); // overlong
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80])), 1); // a surrogate
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xf4, 0x90, 0x80, 0x80])), 1); // beyond U+10FFFF
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xe1, 0xbb])), 1); // cut off
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x80])), 1); // a lone continuation byte
  });
});
