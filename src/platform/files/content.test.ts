import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { checkUpload, detectType, MIME } from './content.js';

const picture = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#c0392b' } });

/** A zip with stored (uncompressed) entries, as Word and other tools write them. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const body = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(body), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(body), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The first box of an ISO media file: size, "ftyp", major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const box = Buffer.alloc(16 + 4 * compatible.length);
  box.writeUInt32BE(box.length, 0);
  box.write(`ftyp${major}`, 4, 'latin1');
  for (const [i, brand] of compatible.entries()) box.write(brand, 16 + 4 * i, 'latin1');
  return Buffer.concat([box, Buffer.alloc(64)]);
};

describe('detectType knows a file by its first bytes', () => {
  test('images written by sharp: JPEG, PNG, WebP, GIF, AVIF', async () => {
    assert.equal(detectType(await picture().jpeg().toBuffer()), MIME.jpeg);
    assert.equal(detectType(await picture().png().toBuffer()), MIME.png);
    assert.equal(detectType(await picture().webp().toBuffer()), MIME.webp);
    assert.equal(detectType(await picture().gif().toBuffer()), MIME.gif);
    assert.equal(detectType(await picture().avif().toBuffer()), MIME.avif);
  });

  test('HEIC from an iPhone and generic HEIF by their ftyp brands; an MP4 video is none of them', () => {
    assert.equal(detectType(ftyp('heic', 'mif1', 'heic')), MIME.heic);
    assert.equal(detectType(ftyp('mif1', 'mif1', 'heic')), MIME.heic);
    assert.equal(detectType(ftyp('mif1', 'mif1')), MIME.heif);
    assert.equal(detectType(ftyp('mif1', 'mif1', 'avif', 'miaf')), MIME.avif);
    assert.equal(detectType(ftyp('isom', 'isom', 'iso2', 'mp41')), null);
  });

  test('a PDF', () => {
    assert.equal(detectType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1')), MIME.pdf);
  });

  test('an .xlsx written by exceljs, a .docx and a plain zip, told apart by their entries', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Phản ánh').addRow(['Mã', 'Nội dung']);
    assert.equal(detectType(Buffer.from(await workbook.xlsx.writeBuffer())), MIME.xlsx);
    const docx = zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
    assert.equal(detectType(docx), MIME.docx);
    assert.equal(detectType(zip({ 'anh/1.jpg': 'x', 'ghi-chu.txt': 'y' })), MIME.zip);
  });

  describe('whatever the file is called', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'dieuhanh-content-'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    test('a PNG renamed photo.jpg is a PNG', async () => {
      await writeFile(path.join(dir, 'photo.jpg'), await picture().png().toBuffer());
      assert.equal(detectType(await readFile(path.join(dir, 'photo.jpg'))), MIME.png);
    });

    test('a text file named anh.png is not a known type', async () => {
      await writeFile(path.join(dir, 'anh.png'), 'Đây không phải ảnh\n');
      assert.equal(detectType(await readFile(path.join(dir, 'anh.png'))), null);
    });

    test('an SVG named .jpg is not taken for an image', () => {
      assert.equal(detectType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), null);
    });
  });

  test('empty and very short buffers are unknown, never an exception', () => {
    for (const data of [Buffer.alloc(0), Buffer.from([0xff]), Buffer.from('PK'), Buffer.from('RIFF'), Buffer.from('\0\0\0\x08ftyp')]) {
      assert.equal(detectType(data), null);
    }
  });

  test('a truncated zip is still a zip, read without running past its end', () => {
    const whole = zip({ 'xl/workbook.xml': '<workbook/>' });
    assert.equal(detectType(whole.subarray(0, 40)), MIME.zip);
  });
});

describe('checkUpload', () => {
  test('gives the detected type when it is accepted', async () => {
    const png = await picture().png().toBuffer();
    assert.equal(checkUpload(png, { types: [MIME.png, MIME.pdf], maxBytes: 1024 * 1024 }), MIME.png);
  });

  test('refuses a type not accepted with 415 FILE_TYPE_NOT_ALLOWED, naming what was sent and what is accepted', () => {
    assert.throws(() => checkUpload(Buffer.from('%PDF-1.4\n'), { types: [MIME.jpeg, MIME.png], maxBytes: 1024 }), {
      status: 415,
      code: 'FILE_TYPE_NOT_ALLOWED',
      message: 'Tệp gửi lên là tệp PDF. Hãy gửi tệp JPEG, PNG.',
    });
  });

  test('refuses a file over the limit with 413 FILE_TOO_LARGE', () => {
    assert.throws(() => checkUpload(Buffer.alloc(3 * 1024 * 1024), { types: [MIME.pdf], maxBytes: 2 * 1024 * 1024 }), {
      status: 413,
      code: 'FILE_TOO_LARGE',
      message: 'Tệp quá lớn (3 MB); giới hạn là 2 MB. Hãy chọn tệp nhỏ hơn.',
    });
  });
});
