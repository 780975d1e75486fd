import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { detectType, MIME } from './content.js';
import { normaliseImage, thumbnail } from './images.js';

const RED = { r: 220, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 220 };

/** A 400×200 photo, red left half and blue right half, as a phone stores it: sideways with Orientation 6, located by GPS. */
const phonePhoto = () =>
  sharp({ create: { width: 400, height: 200, channels: 3, background: RED } })
    .composite([{ input: { create: { width: 200, height: 200, channels: 3, background: BLUE } }, left: 200, top: 0 }])
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 2/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '105/1 51/1 0/1' },
    })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="21,2.0N" exif:GPSLongitude="105,51.0E"/>' +
        '</rdf:RDF></x:xmpmeta>',
    )
    .withMetadata({ orientation: 6 }) // libvips writes Orientation from here, not from withExif
    .toBuffer();

/** The EXIF GPSInfo pointer (tag 0x8825, type LONG), in either byte order. */
const hasGpsPointer = (exif: Buffer) => exif.includes(Buffer.from('25880400', 'hex')) || exif.includes(Buffer.from('88250004', 'hex'));

async function pixelAt(image: Buffer, x: number, y: number) {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return { r: data[at], g: data[at + 1], b: data[at + 2] };
}

const near = (actual: { r: number; g: number; b: number }, expected: typeof RED) =>
  Math.abs(actual.r - expected.r) < 30 && Math.abs(actual.g - expected.g) < 30 && Math.abs(actual.b - expected.b) < 30;

/** A real decompression bomb: 20000×20000 grey pixels (400 MB decoded) in a PNG of under 0.5 MB. */
function pngBomb(side = 20000): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth; colour type 0 (grey), then compression, filter, interlace: all 0
  // Zero-filled by calloc: the 400 MB are never touched, so building the bomb costs no memory either.
  const pixels = deflateSync(Buffer.alloc(side * (side + 1)), { level: 9 });
  const signature = Buffer.from('89504e470d0a1a0a', 'hex');
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

describe('normaliseImage', () => {
  test('a phone JPEG with EXIF GPS comes out upright with no EXIF, XMP or IPTC at all', async () => {
    const input = await phonePhoto();
    const before = await sharp(input).metadata();
    assert.equal(before.orientation, 6);
    assert.ok(before.exif && hasGpsPointer(before.exif), 'the test photo carries GPS');
    assert.match(before.xmpAsString ?? '', /GPSLatitude/);

    const out = await normaliseImage(input);

    assert.equal(out.mime, MIME.jpeg);
    assert.equal(detectType(out.data), MIME.jpeg);
    const after = await sharp(out.data).metadata();
    assert.equal(after.exif, undefined);
    assert.equal(after.xmp, undefined);
    assert.equal(after.iptc, undefined);
    assert.equal(after.orientation, undefined);
    // Turned 90° clockwise as Orientation 6 asks: 200 wide, 400 high, the left (red) half now on top.
    assert.deepEqual({ width: out.width, height: out.height }, { width: 200, height: 400 });
    assert.deepEqual({ width: after.width, height: after.height }, { width: 200, height: 400 });
    assert.ok(near(await pixelAt(out.data, 100, 50), RED), 'top is red');
    assert.ok(near(await pixelAt(out.data, 100, 350), BLUE), 'bottom is blue');
  });

  test('a large photo is scaled down to maxSide; a small one is not enlarged', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: BLUE } }).png().toBuffer();
    const scaled = await normaliseImage(big);
    assert.deepEqual({ width: scaled.width, height: scaled.height }, { width: 2560, height: 1920 });
    const small = await sharp({ create: { width: 300, height: 100, channels: 3, background: BLUE } }).webp().toBuffer();
    const kept = await normaliseImage(small, { maxSide: 1000 });
    assert.deepEqual({ width: kept.width, height: kept.height }, { width: 300, height: 100 });
  });

  test('WebP output when asked for', async () => {
    const out = await normaliseImage(await phonePhoto(), { format: 'webp' });
    assert.equal(out.mime, MIME.webp);
    assert.equal(detectType(out.data), MIME.webp);
    assert.equal((await sharp(out.data).metadata()).exif, undefined);
  });

  test('a transparent PNG becomes a JPEG on white', async () => {
    const clear = await sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const out = await normaliseImage(clear);
    assert.ok(near(await pixelAt(out.data, 5, 5), { r: 255, g: 255, b: 255 }));
  });

  test('a file that is not an image, whatever its name, is refused with 415 NOT_AN_IMAGE', async () => {
    const notImages = [
      Buffer.from('Đây là văn bản, không phải ảnh.'),
      Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\n'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      Buffer.alloc(0),
    ];
    for (const data of notImages) await assert.rejects(normaliseImage(data), { status: 415, code: 'NOT_AN_IMAGE' });
  });

  test('a photo over maxBytes is refused with 413 FILE_TOO_LARGE before it is decoded', async () => {
    const photo = await phonePhoto();
    await assert.rejects(normaliseImage(photo, { maxBytes: photo.length - 1 }), { status: 413, code: 'FILE_TOO_LARGE' });
  });

  test('a 20000×20000 PNG bomb is refused with 413 IMAGE_TOO_LARGE, quickly and without decoding it', async () => {
    const bomb = pngBomb();
    assert.ok(bomb.length < 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await assert.rejects(normaliseImage(bomb), { status: 413, code: 'IMAGE_TOO_LARGE' });
    assert.ok(performance.now() - started < 2000, 'refused from the header, not after decoding');
    assert.ok(process.memoryUsage().rss - rssBefore < 100 * 1024 * 1024, 'did not decode 400 MB of pixels');
  });

  test('a truncated JPEG (an upload cut short) is refused with 400 IMAGE_UNREADABLE', async () => {
    const photo = await phonePhoto();
    await assert.rejects(normaliseImage(photo.subarray(0, Math.floor(photo.length / 2))), { status: 400, code: 'IMAGE_UNREADABLE' });
  });

  test('a HEIC that sharp cannot decode is refused with 415 IMAGE_FORMAT_UNSUPPORTED and advice for iPhones', async () => {
    const ftyp = Buffer.concat([Buffer.from('00000018667479706865696300000000', 'hex'), Buffer.from('mif1heic'), Buffer.alloc(64)]);
    assert.equal(detectType(ftyp), MIME.heic);
    await assert.rejects(normaliseImage(ftyp), { status: 415, code: 'IMAGE_FORMAT_UNSUPPORTED', message: /iPhone/ });
  });
});

describe('thumbnail', () => {
  test('is at most 320 px on its longest side, upright and without metadata', async () => {
    const thumb = await thumbnail(await phonePhoto());
    assert.deepEqual({ width: thumb.width, height: thumb.height }, { width: 160, height: 320 });
    assert.equal((await sharp(thumb.data).metadata()).exif, undefined);
  });

  test('refuses what normaliseImage refuses', async () => {
    await assert.rejects(thumbnail(Buffer.from('không phải ảnh')), { code: 'NOT_AN_IMAGE' });
  });
});
