import { badRequest } from '../errors/errors.js';

// The text of an uploaded CSV, decoded chunk by chunk as it streams in. UTF-8 (with or without a
// BOM) and UTF-16 (with a BOM, or recognised by its zero bytes) are read as they are. A file that
// is not valid UTF-8 is read as Windows-1258, the legacy Vietnamese code page of old Excel, only
// when every byte up to the first invalid one was plain ASCII and its characters are Vietnamese
// letters: anything else (TCVN3, VNI, a corrupted UTF-8 file) is refused, naming the byte and the
// line, rather than imported as mojibake.

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258';

export interface TextDecoding {
  /** The text of the next bytes that is complete; a character cut by the chunk's end waits. */
  push(bytes: Uint8Array): string;
  /** The input is over: the rest of the text, or an error when it ends inside a character. */
  end(): string;
  /** Known once the first bytes have been seen; UTF-8 may still turn into Windows-1258. */
  readonly encoding: TextEncodingName | null;
}

const NO_BYTES = new Uint8Array(0);

/** How many first bytes decide between UTF-8, UTF-16 and a binary file. */
const HEAD_BYTES = 4096;

/** Files people upload by mistake instead of a spreadsheet, known by their first bytes. */
const NOT_TEXT: { name: string; magic: number[] }[] = [
  { name: 'tệp Excel .xlsx (hoặc tệp nén zip)', magic: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'ảnh PNG', magic: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'ảnh JPEG', magic: [0xff, 0xd8, 0xff] },
  { name: 'ảnh GIF', magic: [0x47, 0x49, 0x46, 0x38] },
  { name: 'tệp PDF', magic: [0x25, 0x50, 0x44, 0x46] },
  { name: 'tệp Excel 97-2003 (.xls) hoặc Word (.doc)', magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { name: 'tệp nén gzip', magic: [0x1f, 0x8b] },
  { name: 'tệp nén RAR', magic: [0x52, 0x61, 0x72, 0x21] },
  { name: 'tệp nén 7z', magic: [0x37, 0x7a, 0xbc, 0xaf] },
];

/** Refuses a file whose first bytes say it is not text (a picture, a PDF, an archive), naming what it is. */
function refuseNotText(bytes: Uint8Array): void {
  const known = NOT_TEXT.find((k) => k.magic.every((b, i) => bytes[i] === b));
  if (known) throw notText(known.name);
}

const notText = (what: string) =>
  badRequest('FILE_TYPE', `Tệp gửi lên là ${what}, không phải tệp CSV. Hãy chọn tệp .csv (UTF-8) hoặc .xlsx.`);

const SAVE_AS_UTF8 = 'Hãy mở tệp bằng Excel và lưu lại dạng "CSV UTF-8 (phân tách bằng dấu phẩy)", rồi gửi lại.';

export function createTextDecoding(): TextDecoding {
  let encoding: TextEncodingName | null = null;
  let head: Uint8Array | null = new Uint8Array(0);
  /** Bytes of a character cut by the previous chunk's end (UTF-8), or its last byte (Windows-1258). */
  let carry: Uint8Array = NO_BYTES;
  /** Offset in the file of the first byte not yet decoded, and the newlines before it. */
  let consumed = 0;
  let newlines = 0;
  let asciiSoFar = true;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let utf16: TextDecoder | null = null;

  function start(bytes: Uint8Array, final: boolean): string {
    refuseNotText(bytes);
    let skip = 0;
    // A UTF-8 BOM says UTF-8 outright: no falling back to Windows-1258 after it.
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) [encoding, skip, asciiSoFar] = ['utf-8', 3, false];
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, skip] = ['utf-16le', 2];
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, skip] = ['utf-16be', 2];
    else encoding = zeroBytePattern(bytes.subarray(0, HEAD_BYTES));
    consumed = skip;
    if (encoding === 'utf-16le' || encoding === 'utf-16be') utf16 = new TextDecoder(encoding, { fatal: true });
    return decode(bytes.subarray(skip), final);
  }

  function decode(bytes: Uint8Array, final: boolean): string {
    if (utf16) {
      try {
        const text = utf16.decode(bytes, { stream: !final });
        consumed += bytes.length;
        return text;
      } catch {
        throw badRequest('FILE_ENCODING', `Tệp UTF-16 bị hỏng quanh byte ${consumed.toLocaleString('vi-VN')}. ${SAVE_AS_UTF8}`, {
          byteOffset: consumed,
        });
      }
    }
    const all = carry.length ? concat(carry, bytes) : bytes;
    const keep = final ? 0 : encoding === 'windows-1258' ? Math.min(1, all.length) : incompleteTail(all);
    const body = all.subarray(0, all.length - keep);
    carry = keep ? all.slice(all.length - keep) : NO_BYTES;
    const text = encoding === 'windows-1258' ? decode1258(body) : decodeUtf8(body);
    newlines += countNewlines(body, body.length);
    consumed += body.length;
    return text;
  }

  function decodeUtf8(body: Uint8Array): string {
    try {
      const text = utf8.decode(body);
      if (text.length !== body.length) asciiSoFar = false;
      return text;
    } catch {
      const at = firstInvalidUtf8(body);
      const asciiBefore = asciiSoFar && body.subarray(0, at).every((b) => b < 0x80);
      if (!asciiBefore) {
        throw encodingError(
          `Tệp không phải mã hóa UTF-8 hợp lệ: byte 0x${hex(body[at])} ở vị trí ${where(body, at)} sai (có thể tệp bị hỏng hoặc ghép từ nhiều tệp khác mã hóa). ${SAVE_AS_UTF8}`,
          body,
          at,
        );
      }
      encoding = 'windows-1258';
      return decode1258(body);
    }
  }

  function decode1258(body: Uint8Array): string {
    const raw = WINDOWS_1258.decode(body);
    const bad = firstNonVietnamese(raw);
    if (bad >= 0) {
      throw encodingError(
        `Tệp không phải UTF-8 và cũng không phải văn bản tiếng Việt mã Windows-1258 (có thể là TCVN3/ABC hoặc VNI): ký tự lạ ở byte ${where(body, bad)}. Hãy chuyển tệp sang Unicode (UTF-8), ví dụ bằng Unikey, rồi gửi lại.`,
        body,
        bad,
      );
    }
    return raw.normalize('NFC');
  }

  const where = (body: Uint8Array, at: number) =>
    `${(consumed + at).toLocaleString('vi-VN')} (dòng ${(newlines + countNewlines(body, at) + 1).toLocaleString('vi-VN')})`;

  const encodingError = (message: string, body: Uint8Array, at: number) =>
    badRequest('FILE_ENCODING', message, { byteOffset: consumed + at, line: newlines + countNewlines(body, at) + 1 });

  return {
    get encoding() {
      return encoding;
    },
    push(bytes: Uint8Array): string {
      if (head === null) return decode(bytes, false);
      head = concat(head, bytes);
      if (head.length < HEAD_BYTES) return '';
      const first = head;
      head = null;
      return start(first, false);
    },
    end(): string {
      if (head !== null) {
        const first = head;
        head = null;
        return start(first, true);
      }
      return decode(new Uint8Array(0), true);
    },
  };
}

/**
 * UTF-16 without a BOM has a zero byte beside almost every ASCII character, on the odd bytes for
 * little-endian and the even ones for big-endian. Zero bytes in any other pattern mean a binary file.
 */
function zeroBytePattern(sample: Uint8Array): TextEncodingName {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 ? odd++ : even++;
  if (even + odd === 0) return 'utf-8';
  const half = sample.length / 2;
  if (odd >= 0.4 * half && even <= 0.05 * half) return 'utf-16le';
  if (even >= 0.4 * half && odd <= 0.05 * half) return 'utf-16be';
  throw notText('một tệp nhị phân');
}

/** How many bytes at the end begin a UTF-8 character that the next chunk completes. */
export function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** Where the first invalid UTF-8 sequence starts (the WHATWG rules: no overlongs, no surrogates). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + need >= n) return i; // cut off by the end
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k <= need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return n;
}

const WINDOWS_1258 = new TextDecoder('windows-1258');

/** Vietnamese letters with every diacritic, precomposed (NFC), both cases. */
const VIETNAMESE_LETTERS = new Set(
  [...'aăâeêioôơuưy'].flatMap((v) => ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'].map((tone) => (v + tone).normalize('NFC'))),
);
for (const letter of [...VIETNAMESE_LETTERS, 'đ']) VIETNAMESE_LETTERS.add(letter.toUpperCase()).add(letter);

/** Punctuation a Vietnamese spreadsheet really contains, beside the letters. */
const VIETNAMESE_PUNCTUATION = new Set([...'\u00a0°±§×÷₫€‚„…‘’“”•–—™‰']);

/** The five tone marks Windows-1258 writes as separate bytes after the vowel. */
const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);

/**
 * The index of the first character that Vietnamese text in Windows-1258 would not contain: a
 * Latin letter Vietnamese lacks (ü, ñ, ¨, ¶… which TCVN3 and VNI bytes turn into), a control
 * character, or a tone mark that does not make a Vietnamese letter with the character before it.
 */
export function firstNonVietnamese(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    const c = text[i];
    if (TONE_MARKS.has(c)) {
      if (i > 0 && VIETNAMESE_LETTERS.has((text[i - 1] + c).normalize('NFC'))) continue;
      return i;
    }
    if (!VIETNAMESE_LETTERS.has(c) && !VIETNAMESE_PUNCTUATION.has(c)) return i;
  }
  return -1;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, end);
  for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) count++;
  return count;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const hex = (b: number | undefined) => (b ?? 0).toString(16).toUpperCase().padStart(2, '0');

/** Decodes a whole file at once (tests, small uploads); the same rules as streaming. */
export function decodeTextFile(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const decoding = createTextDecoding();
  const text = decoding.push(bytes) + decoding.end();
  return { text, encoding: decoding.encoding! };
}
