import { AppError } from '../errors/errors.js';

export const MIME = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

export type FileType = (typeof MIME)[keyof typeof MIME];

/** How a type is named to people in messages. */
const LABEL: Record<FileType, string> = {
  [MIME.jpeg]: 'JPEG',
  [MIME.png]: 'PNG',
  [MIME.webp]: 'WebP',
  [MIME.gif]: 'GIF',
  [MIME.avif]: 'AVIF',
  [MIME.heic]: 'HEIC',
  [MIME.heif]: 'HEIF',
  [MIME.pdf]: 'PDF',
  [MIME.zip]: 'ZIP',
  [MIME.xlsx]: 'Excel (.xlsx)',
  [MIME.docx]: 'Word (.docx)',
};

export const IMAGE_TYPES: ReadonlySet<FileType> = new Set([MIME.jpeg, MIME.png, MIME.webp, MIME.gif, MIME.avif, MIME.heic, MIME.heif]);

const startsWith = (data: Buffer, ascii: string, at = 0) =>
  data.length >= at + ascii.length && data.toString('latin1', at, at + ascii.length) === ascii;

/**
 * The type of a file from its first bytes, whatever its name or the browser's Content-Type say
 * (both are chosen by the sender). Null for anything not listed, including text and SVG.
 */
export function detectType(data: Buffer): FileType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return MIME.jpeg;
  if (startsWith(data, '\x89PNG\r\n\x1a\n')) return MIME.png;
  if (startsWith(data, 'RIFF') && startsWith(data, 'WEBP', 8)) return MIME.webp;
  if (startsWith(data, 'GIF87a') || startsWith(data, 'GIF89a')) return MIME.gif;
  if (startsWith(data, '%PDF-')) return MIME.pdf;
  if (startsWith(data, 'PK\x03\x04')) return zipType(data);
  if (startsWith(data, 'ftyp', 4)) return isoMediaType(data);
  return null;
}

/** HEIF, AVIF and MP4 share one container (ISO BMFF); its `ftyp` box lists brands that tell them apart. */
function isoMediaType(data: Buffer): FileType | null {
  const boxEnd = Math.min(data.readUInt32BE(0), data.length, 256);
  const brands = new Set<string>();
  for (let at = 8; at + 4 <= boxEnd; at += at === 8 ? 8 : 4) brands.add(data.toString('latin1', at, at + 4));
  if (brands.has('avif') || brands.has('avis')) return MIME.avif;
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'].some((b) => brands.has(b))) return MIME.heic;
  if (brands.has('mif1') || brands.has('msf1')) return MIME.heif;
  return null; // video and other ISO media
}

/** Office files are zips told apart by the names in the central directory (names are never compressed). */
function zipType(data: Buffer): FileType {
  const names = zipEntryNames(data);
  if (names.has('xl/workbook.xml')) return MIME.xlsx;
  if (names.has('word/document.xml')) return MIME.docx;
  return MIME.zip;
}

function zipEntryNames(data: Buffer): Set<string> {
  const names = new Set<string>();
  // The end-of-central-directory record is the last 22 bytes, plus a comment of up to 64 KiB.
  const eocd = data.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (eocd < 0 || eocd + 22 > data.length || eocd < data.length - 22 - 0xffff) return names;
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  for (let i = 0; i < count && at + 46 <= data.length && data.readUInt32LE(at) === 0x02014b50; i++) {
    const nameLength = data.readUInt16LE(at + 28);
    names.add(data.toString('utf8', at + 46, Math.min(at + 46 + nameLength, data.length)));
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return names;
}

const megabytes = (bytes: number) =>
  `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} MB`;

export const fileTooLarge = (size: number, maxBytes: number) =>
  new AppError(413, 'FILE_TOO_LARGE', `Tệp quá lớn (${megabytes(size)}); giới hạn là ${megabytes(maxBytes)}. Hãy chọn tệp nhỏ hơn.`, {
    size,
    maxBytes,
  });

/**
 * An upload's type, checked by content against the types a caller accepts and by size; throws
 * 413 FILE_TOO_LARGE or 415 FILE_TYPE_NOT_ALLOWED. Photos go through `normaliseImage` instead.
 */
export function checkUpload(data: Buffer, accept: { types: readonly FileType[]; maxBytes: number }): FileType {
  if (data.length > accept.maxBytes) throw fileTooLarge(data.length, accept.maxBytes);
  const type = detectType(data);
  if (type === null || !accept.types.includes(type)) {
    const accepted = accept.types.map((t) => LABEL[t]).join(', ');
    const sent = type === null ? 'không thuộc loại nào được nhận' : `là tệp ${LABEL[type]}`;
    throw new AppError(415, 'FILE_TYPE_NOT_ALLOWED', `Tệp gửi lên ${sent}. Hãy gửi tệp ${accepted}.`, { detected: type, accepted: accept.types });
  }
  return type;
}
