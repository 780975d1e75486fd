// Site photos of a key project, by the day they were taken: re-encoded (EXIF location dropped) and
// kept in the file store; read by anyone who sees the project.

import type { Readable } from 'node:stream';
import type { Actor } from '../../platform/auth/actor.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import { AppError, forbidden, notFound } from '../../platform/errors/errors.js';
import { type NormalisedImage, normaliseImage } from '../../platform/files/images.js';
import type { FileStore } from '../../platform/files/store.js';
import * as repo from './repo.js';
import type { ProjectDetail } from './schemas.js';
import type { ProjectService } from './service.js';

export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export function createProjectPhotos(deps: { projects: ProjectService; files: FileStore; now?: () => Date }) {
  const { projects, files } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * Photos of one day. The caller's right is checked before any byte is decoded; the photos are
     * re-encoded and stored before the transaction that records them (PGlite holds its one
     * connection for a transaction): a failed transaction leaves unreferenced files, which the
     * orphan sweep removes (src/platform/files/orphans.ts).
     */
    async add(actor: Actor, id: number, input: { takenOn: string; caption: string | null; segmentId: number | null; files: Buffer[] }): Promise<ProjectDetail> {
      const p = await projects.visible(actor, id);
      if (!projects.canEdit(actor, p)) throw forbidden('Chỉ lãnh đạo hoặc điều hành viên của đơn vị quản lý dự án (hoặc cấp trên) mới được thêm ảnh.');
      if (input.files.length === 0) throw new AppError(400, 'NO_PHOTO', 'Hãy chọn ít nhất một ảnh.');
      if (input.files.length > MAX_PHOTOS) throw new AppError(400, 'TOO_MANY_FILES', `Chỉ được gửi tối đa ${MAX_PHOTOS} ảnh một lần.`);
      if (input.takenOn > businessDateOf(now())) throw new AppError(422, 'DATE_IN_FUTURE', `Ngày chụp (${input.takenOn}) chưa tới.`);
      const images: NormalisedImage[] = [];
      for (const file of input.files) images.push(await normaliseImage(file, { maxBytes: MAX_PHOTO_BYTES }));
      const stored: { image: NormalisedImage; key: string }[] = [];
      for (const image of images) stored.push({ image, key: (await files.put(image.data)).key });
      return projects.change(actor, id, 'photo.create', async (trx) => {
        if (input.segmentId !== null && !(await repo.findSegment(trx, id, input.segmentId))) throw notFound('đoạn tuyến');
        const ids: number[] = [];
        for (const { image, key } of stored) {
          const row = { project_id: id, segment_id: input.segmentId, taken_on: input.takenOn, caption: input.caption, file_key: key, mime: image.mime, size: image.data.length, width: image.width, height: image.height };
          ids.push(await repo.insertPhoto(trx, row, actor.userId));
        }
        return { entityType: 'project_photo', entityId: ids.join(','), after: { takenOn: input.takenOn, caption: input.caption, segmentId: input.segmentId, count: ids.length } };
      });
    },

    async get(actor: Actor, id: number, photoId: number): Promise<{ mime: string; stream: Readable }> {
      await projects.visible(actor, id);
      const row = await repo.findPhoto(projects.db, id, photoId);
      const stream = row ? await files.stream(row.file_key) : null;
      if (!row || !stream) throw notFound('ảnh');
      return { mime: row.mime, stream };
    },
  };
}

export type ProjectPhotos = ReturnType<typeof createProjectPhotos>;
