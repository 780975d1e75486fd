import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import JSZip from 'jszip';
import {
  type ApologyLetter,
  LETTER_TITLE,
  MOTTO,
  NATIONAL_TITLE,
  addressee,
  apologyLetterDocx,
  letterIssuer,
  letterNumber,
  letterParagraphs,
  letterPlace,
  placeAndDate,
} from './letter.js';

const district = { kind: 'district', name: 'Huyện Nam Sách' };
const province = { kind: 'province', name: 'Tỉnh Hải Dương' };
const commune = { kind: 'commune', name: 'Xã An Bình' };

const letter: ApologyLetter = {
  issuer: letterIssuer(commune, [province, district]),
  place: letterPlace(commune, [province, district]),
  issuedOn: '2026-03-05',
  number: '5/PXL-UBND',
  citizenName: 'Nguyễn Văn An',
  dossierCode: 'H26.45-260115-0007',
  procedureName: 'Đăng ký khai sinh',
  receivedOn: '2026-01-15',
  dueOn: '2026-02-02',
  newReturnDate: '2026-03-10',
  reason: 'Phải xác minh thông tin nơi cư trú của cha mẹ tại địa phương khác.',
  signer: { title: 'KT. Chủ tịch\nPhó Chủ tịch', name: 'Trần Văn Bình' },
};

/** The .docx's parts: the body, the styles and the headers. */
async function unzip(buffer: Buffer) {
  const zip = await JSZip.loadAsync(buffer);
  const part = async (name: string) => {
    const file = zip.file(name);
    assert.ok(file, `the .docx has ${name}`);
    return file.async('string');
  };
  const headers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/header\d+\.xml$/.test(n)).map(part));
  return { document: await part('word/document.xml'), styles: await part('word/styles.xml'), headers };
}

/** Every paragraph of a part: its text (runs joined) and its XML. */
function paragraphs(xml: string): { text: string; xml: string }[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => ({
    xml: p,
    text: [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''),
  }));
}

function paragraphWith(xml: string, text: string) {
  const found = paragraphs(xml).find((p) => p.text.includes(text));
  assert.ok(found, `a paragraph says "${text}"`);
  return found;
}

/** The run sizes in points and whether bold or italic, of a paragraph's text runs. */
function runStyle(p: { xml: string }) {
  const runs = [...p.xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map((m) => m[1]).filter((r) => r.includes('<w:t'));
  assert.ok(runs.length > 0);
  const sizes = new Set(runs.map((r) => Number(/<w:sz w:val="(\d+)"\/>/.exec(r)?.[1]) / 2));
  return { sizes: [...sizes], bold: runs.every((r) => /<w:b\/>/.test(r)), italic: runs.every((r) => /<w:i\/>/.test(r)) };
}

const twipsToMm = (twips: number) => (twips * 25.4) / 1440;

describe('the apology letter (phiếu xin lỗi và hẹn lại ngày trả kết quả) in the Decree 30 layout', () => {
  test('the page is A4 with the margins of Decree 30 (top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm)', async () => {
    const { document } = await unzip(await apologyLetterDocx(letter));
    const size = /<w:pgSz ([^>]*)\/>/.exec(document)?.[1] ?? '';
    assert.match(size, /w:w="11906"/);
    assert.match(size, /w:h="16838"/);
    const margin = /<w:pgMar ([^>]*)\/>/.exec(document)?.[1] ?? '';
    const side = (name: string) => twipsToMm(Number(new RegExp(`w:${name}="(\\d+)"`).exec(margin)?.[1]));
    for (const [name, lo, hi] of [['top', 20, 25], ['bottom', 20, 25], ['left', 30, 35], ['right', 15, 20]] as const) {
      const value = side(name);
      assert.ok(value >= lo - 0.05 && value <= hi + 0.05, `${name} margin ${value} mm within ${lo}–${hi} mm`);
    }
  });

  test('the whole letter is in Times New Roman', async () => {
    const { document, styles } = await unzip(await apologyLetterDocx(letter));
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)?.[0] ?? '';
    assert.match(defaults, /<w:rFonts w:ascii="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman" w:hAnsi="Times New Roman"\/>/);
    const fonts = new Set([...document.matchAll(/<w:rFonts ([^>]*)\/>/g)].flatMap((m) => [...m[1].matchAll(/="([^"]*)"/g)].map((f) => f[1])));
    assert.deepEqual([...fonts], ['Times New Roman']);
  });

  test('the national title is 12–13 pt bold capitals and the motto 13–14 pt bold with a rule under it as long as the motto', async () => {
    const { document } = await unzip(await apologyLetterDocx(letter));
    const title = runStyle(paragraphWith(document, NATIONAL_TITLE));
    assert.equal(title.bold, true);
    assert.ok(title.sizes.every((s) => s >= 12 && s <= 13), `national title ${title.sizes} pt`);
    assert.equal(NATIONAL_TITLE, NATIONAL_TITLE.toLocaleUpperCase('vi'));

    const all = paragraphs(document);
    const mottoAt = all.findIndex((p) => p.text === MOTTO);
    assert.ok(mottoAt > 0, 'the motto is a paragraph of its own, "Độc lập - Tự do - Hạnh phúc"');
    const motto = runStyle(all[mottoAt]);
    assert.equal(motto.bold, true);
    assert.ok(motto.sizes.every((s) => s >= 13 && s <= 14), `motto ${motto.sizes} pt`);
    const ruleUnder = all[mottoAt + 1];
    assert.equal(ruleUnder.text, '');
    assert.match(ruleUnder.xml, /<w:pBdr><w:bottom w:val="single"/, 'a solid rule under the motto');
    // The rule spans the motto: the column less the indents on both sides, about 60 mm at 13 pt.
    const indent = Number(/<w:ind w:left="(\d+)"/.exec(ruleUnder.xml)?.[1]);
    const ruleMm = twipsToMm(5613 - 2 * indent);
    assert.ok(ruleMm > 50 && ruleMm < 70, `rule of ${ruleMm.toFixed(1)} mm`);
  });

  test('the issuing body stands beside the national title: its name in bold capitals with a short rule under it', async () => {
    const { document } = await unzip(await apologyLetterDocx(letter));
    const table = /<w:tbl>[\s\S]*?<\/w:tbl>/.exec(document)?.[0] ?? '';
    const firstRow = /<w:tr>[\s\S]*?<\/w:tr>/.exec(table)?.[0] ?? '';
    const [leftCell, rightCell] = [...firstRow.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => paragraphs(m[0]));
    assert.deepEqual(leftCell.map((p) => p.text), ['ỦY BAN NHÂN DÂN', 'XÃ AN BÌNH', '']);
    assert.ok(leftCell.slice(0, 2).every((p) => runStyle(p).bold));
    assert.match(leftCell[2].xml, /<w:pBdr><w:bottom w:val="single"/);
    assert.deepEqual(rightCell.map((p) => p.text), [NATIONAL_TITLE, MOTTO, '']);
    assert.doesNotMatch(table, /<w:tblBorders>[\s\S]*w:val="single"[\s\S]*<\/w:tblBorders>/, 'the heading table has no visible borders');
  });

  test('number and symbol, then place and date with leading zeros for days below 10 and for January and February', async () => {
    const { document } = await unzip(await apologyLetterDocx(letter));
    assert.ok(paragraphs(document).some((p) => p.text === 'Số: 05/PXL-UBND'));
    const date = paragraphWith(document, 'An Bình, ngày');
    assert.equal(date.text, 'An Bình, ngày 05 tháng 3 năm 2026');
    assert.equal(runStyle(date).italic, true);

    assert.equal(placeAndDate('Nam Sách', '2026-02-09'), 'Nam Sách, ngày 09 tháng 02 năm 2026');
    assert.equal(placeAndDate('Nam Sách', '2026-01-31'), 'Nam Sách, ngày 31 tháng 01 năm 2026');
    assert.equal(placeAndDate('Nam Sách', '2026-12-01'), 'Nam Sách, ngày 01 tháng 12 năm 2026');
    assert.equal(placeAndDate('Nam Sách', '2026-09-10'), 'Nam Sách, ngày 10 tháng 9 năm 2026');
  });

  test('the type in bold capitals, then the content: the citizen, the dossier, the procedure, the dates, the reason, the new date and the apology', async () => {
    const { document } = await unzip(await apologyLetterDocx(letter));
    const type = paragraphWith(document, LETTER_TITLE);
    assert.equal(type.text, 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    assert.equal(runStyle(type).bold, true);
    assert.ok(runStyle(type).sizes.every((s) => s >= 13 && s <= 14));

    assert.equal(paragraphWith(document, 'Kính gửi').text, 'Kính gửi: Ông/Bà Nguyễn Văn An.');
    const text = paragraphs(document).map((p) => p.text).join('\n');
    for (const expected of [
      'Ngày 15/01/2026, Ủy ban nhân dân xã An Bình tiếp nhận hồ sơ của Ông/Bà Nguyễn Văn An đề nghị giải quyết thủ tục hành chính “Đăng ký khai sinh”, mã hồ sơ H26.45-260115-0007.',
      'hẹn trả kết quả là ngày 02/02/2026',
      'Lý do: Phải xác minh thông tin nơi cư trú của cha mẹ tại địa phương khác.',
      'Ủy ban nhân dân xã An Bình xin lỗi Ông/Bà Nguyễn Văn An và hẹn lại ngày trả kết quả giải quyết hồ sơ là ngày 10/03/2026.',
      'Xin trân trọng cảm ơn sự thông cảm và hợp tác của Ông/Bà Nguyễn Văn An./.',
    ]) {
      assert.ok(text.includes(expected), `the letter says: ${expected}`);
    }
    const body = paragraphWith(document, 'Lý do:');
    assert.ok(runStyle(body).sizes.every((s) => s >= 13 && s <= 14), 'body text 13–14 pt');
    assert.match(body.xml, /<w:jc w:val="both"\/>/, 'justified');
  });

  test('signed by the position in bold capitals and the name in bold; recipients on the left', async () => {
    const { document } = await unzip(await apologyLetterDocx(letter));
    const all = paragraphs(document).map((p) => p.text);
    const kt = all.indexOf('KT. CHỦ TỊCH');
    assert.ok(kt > 0);
    assert.equal(all[kt + 1], 'PHÓ CHỦ TỊCH');
    const name = paragraphWith(document, 'Trần Văn Bình');
    assert.equal(runStyle(name).bold, true);
    assert.ok(all.indexOf('Trần Văn Bình') > kt + 1);
    assert.ok(all.includes('Nơi nhận:') && all.includes('- Như trên;') && all.includes('- Lưu: VT, hồ sơ H26.45-260115-0007.'));
    assert.equal(runStyle(paragraphWith(document, 'Nơi nhận:')).italic, true);
  });

  test('page numbers centred at the top from the second page only', async () => {
    const { document, headers } = await unzip(await apologyLetterDocx(letter));
    assert.match(document, /<w:titlePg\/>/, 'the first page has its own header');
    const first = /<w:headerReference w:type="first" r:id="(rId\d+)"\/>/.exec(document);
    const others = /<w:headerReference w:type="default" r:id="(rId\d+)"\/>/.exec(document);
    assert.ok(first && others);
    const numbered = headers.filter((h) => /PAGE/.test(h));
    assert.equal(numbered.length, 1, 'one header holds the PAGE field, the other is empty');
    assert.match(numbered[0], /<w:jc w:val="center"\/>/);
  });

  test('a dossier that names nobody is addressed to "Ông/Bà"; no number leaves it blank to fill in', async () => {
    const { document } = await unzip(await apologyLetterDocx({ ...letter, citizenName: null, number: null }));
    assert.equal(paragraphWith(document, 'Kính gửi').text, 'Kính gửi: Ông/Bà.');
    assert.ok(paragraphs(document).some((p) => p.text === 'Số: ……/PXL-……'));
    assert.equal(addressee('  '), 'Ông/Bà');
    assert.ok(letterParagraphs({ ...letter, citizenName: null })[0].includes('hồ sơ của Ông/Bà đề nghị'));
  });

  test('numbers below 10 get a leading zero; others are kept as written', () => {
    assert.equal(letterNumber('5/PXL-UBND'), '05/PXL-UBND');
    assert.equal(letterNumber('05/PXL-UBND'), '05/PXL-UBND');
    assert.equal(letterNumber('15/PXL-UBND'), '15/PXL-UBND');
    assert.equal(letterNumber('120/PXL-STP'), '120/PXL-STP');
  });

  test('the issuing body: a committee for a province, district or commune; an agency under its committee', () => {
    assert.deepEqual(letterIssuer(district, [province]), {
      superior: [],
      name: ['ỦY BAN NHÂN DÂN', 'HUYỆN NAM SÁCH'],
      inText: 'Ủy ban nhân dân huyện Nam Sách',
    });
    const office = { kind: 'agency', name: 'Phòng Tài nguyên và Môi trường huyện Nam Sách' };
    assert.deepEqual(letterIssuer(office, [province, district]), {
      superior: ['UBND HUYỆN NAM SÁCH'],
      name: ['PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG HUYỆN NAM SÁCH'],
      inText: 'Phòng Tài nguyên và Môi trường huyện Nam Sách',
    });
    assert.deepEqual(letterIssuer({ kind: 'agency', name: 'Sở Tư pháp' }, [province]).superior, ['UBND TỈNH HẢI DƯƠNG']);
  });

  test('the place is the seat’s name without its kind, unless that name is a number', () => {
    assert.equal(letterPlace(commune, [province, district]), 'An Bình');
    assert.equal(letterPlace({ kind: 'agency', name: 'Sở Tư pháp' }, [province]), 'Hải Dương');
    assert.equal(letterPlace({ kind: 'agency', name: 'Phòng Nội vụ huyện Nam Sách' }, [province, district]), 'Nam Sách');
    assert.equal(letterPlace({ kind: 'district', name: 'Thành phố Chí Linh' }, [province]), 'Chí Linh');
    assert.equal(letterPlace({ kind: 'commune', name: 'Phường 5' }, [province]), 'Phường 5');
  });
});
