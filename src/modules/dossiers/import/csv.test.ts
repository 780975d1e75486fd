import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppError } from '../../../platform/errors/errors.js';
import { type CsvRow, createCsvParser, detectDelimiter } from './csv.js';

/** Parses text fed in pieces of `size` characters (the whole text at once by default). */
function parse(text: string, size = text.length || 1, options = {}): CsvRow[] {
  const parser = createCsvParser(options);
  const rows: CsvRow[] = [];
  for (let at = 0; at < text.length; at += size) rows.push(...parser.push(text.slice(at, at + size)));
  rows.push(...parser.end());
  return rows;
}

describe('rows and the line each starts on', () => {
  test('LF and CRLF, with and without a line break at the end', () => {
    const expected = [
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ];
    assert.deepEqual(parse('a,b\n1,2\n'), expected);
    assert.deepEqual(parse('a,b\r\n1,2\r\n'), expected);
    assert.deepEqual(parse('a,b\r\n1,2'), expected);
  });

  test('blank lines are skipped but counted, so later rows keep their line in the file', () => {
    assert.deepEqual(parse('a,b\r\n\r\n1,2\n\n\n3,4\n'), [
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['1', '2'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });

  test('quoted cells: the delimiter, doubled quotes and line breaks inside', () => {
    const text = 'mã,ghi chú,phí\r\nHS1,"Nộp tại bộ phận một cửa, tầng 1",50.000\r\nHS2,"Công dân nói ""đã nộp""\r\nlần 2\nlần 3",""\r\nHS3,x,1\r\n';
    assert.deepEqual(parse(text), [
      { line: 1, cells: ['mã', 'ghi chú', 'phí'] },
      { line: 2, cells: ['HS1', 'Nộp tại bộ phận một cửa, tầng 1', '50.000'] },
      { line: 3, cells: ['HS2', 'Công dân nói "đã nộp"\r\nlần 2\nlần 3', ''] },
      { line: 6, cells: ['HS3', 'x', '1'] },
    ]);
  });

  test('the same rows whatever the chunks the text arrives in', () => {
    const text = 'a;b;c\r\n"x;1";"y""2""";z\r\n"multi\r\nline";"";\r\nplain;row;3\r\n"end"';
    const whole = parse(text);
    assert.equal(whole.length, 5);
    for (const size of [1, 2, 3, 4, 7, 11]) assert.deepEqual(parse(text, size), whole, `pieces of ${size}`);
  });

  test('a quote inside an unquoted cell is kept as it is', () => {
    assert.deepEqual(parse('a,b\n5" màn hình,2\n')[1].cells, ['5" màn hình', '2']);
  });

  test('text right after a closing quote is kept, and the row says it breaks the rules', () => {
    const [, row] = parse('a,b\n"abc"def,2\n');
    assert.deepEqual(row.cells, ['abcdef', '2']);
    assert.equal(row.problem?.code, 'CSV_TEXT_AFTER_QUOTE');
  });

  test('a quote that never closes is refused naming the line it opened on', () => {
    assert.throws(
      () => parse('a,b\n1,2\n3,"không đóng\n4,5\n'),
      (error: AppError) => error.code === 'CSV_UNCLOSED_QUOTE' && /dòng 3/.test(error.message),
    );
    // Streaming, it is found once the open row grows past the longest row allowed.
    assert.throws(() => parse(`a,b\n1,"${'x\n'.repeat(100)}`, 10, { maxRowChars: 50 }), (error: AppError) => error.code === 'CSV_UNCLOSED_QUOTE');
  });
});

describe('the delimiter is the header\'s own', () => {
  test('comma, semicolon (Excel in Vietnamese settings) or tab, counted outside quotes', () => {
    assert.equal(detectDelimiter('Mã hồ sơ,Mã thủ tục,Trạng thái'), ',');
    assert.equal(detectDelimiter('Mã hồ sơ;Mã thủ tục;"Phí, lệ phí"'), ';');
    assert.equal(detectDelimiter('Mã hồ sơ\tMã thủ tục\tTrạng thái'), '\t');
    assert.equal(detectDelimiter('Mã hồ sơ'), ',');
  });

  test('rows are split on the detected delimiter, commas inside cells stay', () => {
    const parser = createCsvParser();
    const rows = [...parser.push('a;b\r\n1,5;2\r\n'), ...parser.end()];
    assert.equal(parser.delimiter, ';');
    assert.deepEqual(rows[1].cells, ['1,5', '2']);
  });
});
