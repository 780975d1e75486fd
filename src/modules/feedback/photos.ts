import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../../platform/errors/errors.js';
import { fileTooLarge } from '../../platform/files/content.js';
import { normaliseImage } from '../../platform/files/images.js';
import type { FileStore } from '../../platform/files/store.js';
import type { PhotoRow } from './repo.js';

export const MAX_PHOTOS = 5;
/** A phone photo is 2–12 MB; anything larger is refused before it is decoded. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface Upload {
  fields: Record<string, string>;
  files: Buffer[];
}

/**
 * Reads a multipart form: text fields and up to MAX_PHOTOS files named `photos`. Every byte is
 * read before anything is checked or stored, so a refused upload leaves nothing behind.
 */
export async function readUpload(req: FastifyRequest, fileField = 'photos'): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi biểu mẫu dạng multipart/form-data.');
  const fields: Record<string, string> = {};
  const files: Buffer[] = [];
  try {
    const parts = req.parts({ limits: { files: MAX_PHOTOS, fileSize: MAX_PHOTO_BYTES, fields: 30, fieldSize: 64 * 1024 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== fileField) {
          await (part as MultipartFile).toBuffer().catch(() => null);
          throw badRequest('UNKNOWN_FILE_FIELD', `Tệp phải gửi trong trường "${fileField}".`);
        }
        const data = await part.toBuffer();
        if (data.length > 0) files.push(data);
      } else {
        fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(MAX_PHOTO_BYTES + 1, MAX_PHOTO_BYTES);
    if (code === 'FST_FILES_LIMIT') throw badRequest('TOO_MANY_FILES', `Chỉ được gửi tối đa ${MAX_PHOTOS} ảnh.`);
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw badRequest('TOO_MANY_FIELDS', 'Biểu mẫu có quá nhiều trường.');
    throw err;
  }
  return { fields, files };
}

export type PreparedPhoto = Omit<PhotoRow, 'id' | 'report_id'>;

/**
 * Normalises every photo (content check, size, EXIF dropped) and only then stores them: a bad
 * photo anywhere in the list stores nothing. A later failure of the database transaction leaves
 * at most unreferenced bytes, never a half report; the sweep removes them after
 * `ORPHAN_GRACE_MS` (src/platform/files/orphans.ts).
 */
export async function preparePhotos(files: Buffer[], store: FileStore, kind: 'report' | 'answer'): Promise<PreparedPhoto[]> {
  if (files.length > MAX_PHOTOS) throw badRequest('TOO_MANY_FILES', `Chỉ được gửi tối đa ${MAX_PHOTOS} ảnh.`);
  const images = [];
  for (const file of files) images.push(await normaliseImage(file, { maxBytes: MAX_PHOTO_BYTES }));
  const prepared: PreparedPhoto[] = [];
  for (const image of images) {
    const stored = await store.put(image.data);
    prepared.push({ file_key: stored.key, mime: image.mime, size: image.data.length, width: image.width, height: image.height, kind, verified: kind === 'answer' });
  }
  return prepared;
}
