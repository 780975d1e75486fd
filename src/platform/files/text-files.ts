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
