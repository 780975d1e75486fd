import { badRequest } from '../errors/errors.js';

/** An .xlsx file is a zip: it starts with "PK\x03\x04", whatever its name says. */
export function isXlsx(data: Buffer): boolean {
  return data.length > 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/**
 * The text of an uploaded CSV: UTF-8 (with or without BOM) or UTF-16 with a BOM. Anything else
 * (a Windows-1258 file saved by an old Excel) is refused rather than imported as mojibake.
 */
export function decodeCsvText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  if (body.includes(0)) {
    throw badRequest('FILE_ENCODING', 'Tệp có vẻ là UTF-16 nhưng thiếu BOM. Hãy lưu lại tệp CSV với mã hóa UTF-8.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw badRequest('FILE_ENCODING', 'Tệp không phải mã hóa UTF-8 (có thể là Windows-1258/TCVN3). Hãy lưu lại tệp CSV với mã hóa UTF-8.');
  }
}
