import sharp, { type Metadata } from 'sharp';
import { AppError, badRequest } from '../errors/errors.js';
import { detectType, fileTooLarge, IMAGE_TYPES, MIME } from './content.js';

export interface ImageLimits {
  /** Largest upload, bytes (default 20 MiB: a phone photo is 2–12 MB). */
  maxBytes?: number;
  /** Largest width × height decoded (default 100 Mpx: a 108 Mpx phone sensor is refused, a 20000² bomb too). */
  maxPixels?: number;
  /** Longest side kept, px; larger photos are scaled down (default 2560). */
  maxSide?: number;
  format?: 'jpeg' | 'webp';
  /** Encoder quality 1–100 (default 82). */
  quality?: number;
}

export interface NormalisedImage {
  data: Buffer;
  mime: 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
}

const DEFAULTS = { maxBytes: 20 * 1024 * 1024, maxPixels: 100_000_000, maxSide: 2560, format: 'jpeg', quality: 82 } as const;

const notAnImage = () =>
  new AppError(415, 'NOT_AN_IMAGE', 'Tệp gửi lên không phải là ảnh. Hãy chọn ảnh JPEG, PNG, WebP hoặc GIF.');

const imageTooLarge = (width: number, height: number, maxPixels: number) =>
  new AppError(
    413,
    'IMAGE_TOO_LARGE',
    `Ảnh có kích thước quá lớn (${width}×${height} điểm ảnh). Hãy chụp lại ở độ phân giải thấp hơn hoặc thu nhỏ ảnh trước khi gửi.`,
    { width, height, maxPixels },
  );

/** iPhones save HEIC; the libvips shipped with sharp reads AVIF but not HEVC-coded HEIC. */
const heicUnsupported = () =>
  new AppError(
    415,
    'IMAGE_FORMAT_UNSUPPORTED',
    'Chưa đọc được ảnh HEIC. Trên iPhone hãy chọn Cài đặt > Camera > Định dạng > "Tương thích nhất", hoặc gửi ảnh JPEG.',
  );

const unreadable = () => badRequest('IMAGE_UNREADABLE', 'Không đọc được ảnh: tệp bị hỏng hoặc chưa gửi hết. Hãy gửi lại ảnh.');

/**
 * An uploaded photo made safe to keep and show: checked by content and size, refused before
 * decoding when its dimensions are absurd, turned upright from its EXIF orientation, scaled
 * down to `maxSide` and re-encoded. Sharp keeps no metadata unless asked, so EXIF (GPS position,
 * phone model, time), XMP and IPTC are all dropped: a citizen's photo does not tell where they live.
 */
export async function normaliseImage(data: Buffer, limits: ImageLimits = {}): Promise<NormalisedImage> {
  const { maxBytes, maxPixels, maxSide, format, quality } = { ...DEFAULTS, ...limits };
  if (data.length > maxBytes) throw fileTooLarge(data.length, maxBytes);
  const type = detectType(data);
  if (type === null || !IMAGE_TYPES.has(type)) throw notAnImage();
  const failure = type === MIME.heic || type === MIME.heif ? heicUnsupported : unreadable;

  // Reading the header decodes no pixel: the dimensions are checked here so that the refusal
  // names them, and limitInputPixels below still guards the decoder itself.
  let header: Metadata;
  try {
    header = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw failure();
  }
  if (header.width * header.height > maxPixels) throw imageTooLarge(header.width, header.height, maxPixels);

  // failOn 'error': a truncated or broken file is refused, a camera's harmless warning is not.
  const options = { failOn: 'error', limitInputPixels: maxPixels } as const;
  const pipeline = sharp(data, options)
    .rotate() // from EXIF Orientation, before resizing so maxSide applies to the upright picture
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
  const encoded =
    format === 'webp'
      ? pipeline.webp({ quality })
      : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality }); // JPEG has no transparency: white, as on paper
  try {
    const { data: out, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { data: out, mime: format === 'webp' ? MIME.webp : MIME.jpeg, width: info.width, height: info.height };
  } catch {
    throw failure();
  }
}

/** A small copy for lists and map pop-ups, by the same checks (its input may be an original upload). */
export function thumbnail(data: Buffer, side = 320): Promise<NormalisedImage> {
  return normaliseImage(data, { maxSide: side, quality: 75 });
}
