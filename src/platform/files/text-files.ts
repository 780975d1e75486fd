import { AppError, badRequest } from '../errors/errors.js';

/** An .xlsx file is a zip: it starts with "PK\x03\x04", whatever its name says. */
export function isXlsx(data: Buffer): boolean {
  return data.length > 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** The most an uploaded workbook may unpack to: a small zip can expand to gigabytes (a zip bomb). */
export const XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024;

/**
 * The total size a zip's entries declare once unpacked, read from its central directory without
 * unpacking anything; null when the directory cannot be read or uses ZIP64 (sizes beyond 4 GiB).
 */
export function zipUnpackedSize(data: Buffer): number | null {
  // The end-of-central-directory record sits in the last 22 bytes plus up to 65,535 of comment.
  for (let eocd = data.length - 22; eocd >= Math.max(0, data.length - 22 - 65_535); eocd--) {
    if (data.readUInt32LE(eocd) !== 0x06054b50) continue;
    const entries = data.readUInt16LE(eocd + 10);
    let at = data.readUInt32LE(eocd + 16);
    let total = 0;
    for (let i = 0; i < entries; i++) {
      if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return null;
      const size = data.readUInt32LE(at + 24);
      if (size === 0xffffffff) return null;
      total += size;
      at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    }
    return total;
  }
  return null;
}

/** Refuses a workbook that would unpack to more than the limit, or whose zip directory is unreadable. */
export function checkWorkbookSize(data: Buffer): void {
  const size = zipUnpackedSize(data);
  if (size === null) throw badRequest('FILE_TYPE', 'Tệp .xlsx bị hỏng hoặc không đọc được. Hãy lưu lại tệp bằng Excel rồi thử lại.');
  if (size > XLSX_MAX_UNPACKED_BYTES) {
    throw new AppError(413, 'FILE_TOO_LARGE', `Tệp Excel khi giải nén lớn hơn ${XLSX_MAX_UNPACKED_BYTES / 1024 / 1024} MB; hãy chia nhỏ tệp.`);
  }
}

/** Files people upload by mistake instead of a spreadsheet, known by their first bytes. */
const NOT_TEXT: { name: string; magic: number[] }[] = [
  { name: 'ảnh PNG', magic: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'ảnh JPEG', magic: [0xff, 0xd8, 0xff] },
  { name: 'ảnh GIF', magic: [0x47, 0x49, 0x46, 0x38] },
  { name: 'tệp PDF', magic: [0x25, 0x50, 0x44, 0x46] },
  { name: 'tệp Excel 97-2003 (.xls) hoặc Word (.doc)', magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { name: 'tệp nén gzip', magic: [0x1f, 0x8b] },
  { name: 'tệp nén RAR', magic: [0x52, 0x61, 0x72, 0x21] },
  { name: 'tệp nén 7z', magic: [0x37, 0x7a, 0xbc, 0xaf] },
];

const notASpreadsheet = (what: string) =>
  badRequest('FILE_TYPE', `Tệp gửi lên là ${what}, không phải bảng tính. Hãy chọn tệp .csv (UTF-8) hoặc .xlsx.`);

/** UTF-16 text without a BOM has a zero byte beside almost every ASCII character; a binary file does not. */
function looksLikeUtf16(data: Buffer): boolean {
  const sample = data.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 ? oddZeros++ : evenZeros++;
  const half = sample.length / 2;
  return Math.max(evenZeros, oddZeros) >= 0.4 * half && Math.min(evenZeros, oddZeros) <= 0.05 * half;
}

/**
 * The text of an uploaded CSV: UTF-8 (with or without BOM) or UTF-16 with a BOM. Anything else
 * (a Windows-1258 file saved by an old Excel) is refused rather than imported as mojibake, and
 * a picture or other binary file is named for what it is.
 */
export function decodeCsvText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  const known = NOT_TEXT.find((k) => k.magic.every((b, i) => data[i] === b));
  if (known) throw notASpreadsheet(known.name);
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  if (body.includes(0)) {
    if (!looksLikeUtf16(body)) throw notASpreadsheet('một tệp nhị phân');
    throw badRequest('FILE_ENCODING', 'Tệp có vẻ là UTF-16 nhưng thiếu BOM. Hãy lưu lại tệp CSV với mã hóa UTF-8.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw badRequest('FILE_ENCODING', 'Tệp không phải mã hóa UTF-8 (có thể là Windows-1258/TCVN3). Hãy lưu lại tệp CSV với mã hóa UTF-8.');
  }
}
