// Files attached to progress reports. A file is sent on its own first (POST /tasks/:id/files):
// checked by content, images re-encoded without EXIF, stored, and its key handed back; the report
// (POST /tasks/:id/reports) then lists those keys and is written together with its file rows in one
// transaction. Sending a file writes no row, so a refused upload or report never leaves half a
// report behind; bytes nobody recorded are removed by the orphan sweep (src/platform/files/orphans.ts).

import type { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError, badRequest, notFound } from '../../platform/errors/errors.js';
import { checkUpload, type FileType, fileTooLarge, IMAGE_TYPES, MIME } from '../../platform/files/content.js';
import { normaliseImage } from '../../platform/files/images.js';
import type { FileStore } from '../../platform/files/store.js';
import { canReport, notReporter } from './access.js';
import * as repo from './repo.js';
import { type TaskStatus, transition } from './rules/lifecycle.js';
import type { ReportBody, Task, UploadedFile } from './schemas.js';
import type { TaskService } from './service.js';

export const MAX_REPORT_FILES = 5;
export const MAX_REPORT_FILE_BYTES = 10 * 1024 * 1024;

const ACCEPTED: readonly FileType[] = [MIME.pdf, MIME.docx, MIME.xlsx, MIME.jpeg, MIME.png];
/** The name endings each accepted type may carry. */
const EXTENSIONS: Partial<Record<FileType, readonly string[]>> = {
  [MIME.pdf]: ['pdf'],
  [MIME.docx]: ['docx'],
  [MIME.xlsx]: ['xlsx'],
  [MIME.jpeg]: ['jpg', 'jpeg'],
  [MIME.png]: ['png'],
};

/** A file name safe to keep and show: no folders, no control characters, NFC, at most 255 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const name = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (name === '' || name === '.' || name === '..') throw badRequest('VALIDATION_FAILED', 'Dữ liệu không hợp lệ: tên tệp trống.');
  if (name.length <= 255) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return name.slice(0, 255 - ext.length) + ext;
}

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** 415 when the name says one type and the content another (a PNG called .pdf, a .docx that is an .xlsx). */
function checkNameMatches(name: string, type: FileType) {
  const allowed = EXTENSIONS[type] ?? [];
  if (!allowed.includes(extensionOf(name))) {
    throw new AppError(415, 'FILE_TYPE_MISMATCH', `Tệp "${name}" không đúng loại như tên của nó: nội dung là tệp .${allowed[0] ?? '?'}. Hãy kiểm tra lại tệp.`, {
      name,
      detected: type,
    });
  }
}

/** `attachment` with the original name: an ASCII stand-in for old clients and the UTF-8 name (RFC 6266/5987). */
export function contentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'tep';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The one file of a multipart upload, in the field `file`, with the name the sender gave. */
export async function readReportFile(req: FastifyRequest): Promise<{ data: Buffer; name: string }> {
  if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi biểu mẫu dạng multipart/form-data.');
  let file: { data: Buffer; name: string } | null = null;
  try {
    const parts = req.parts({ limits: { files: 1, fileSize: MAX_REPORT_FILE_BYTES, fields: 5, fieldSize: 1024 } });
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') {
        await (part as MultipartFile).toBuffer().catch(() => null);
        throw badRequest('UNKNOWN_FILE_FIELD', 'Tệp phải gửi trong trường "file".');
      }
      file = { data: await part.toBuffer(), name: part.filename };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(MAX_REPORT_FILE_BYTES + 1, MAX_REPORT_FILE_BYTES);
    if (code === 'FST_FILES_LIMIT') throw badRequest('TOO_MANY_FILES', 'Mỗi lần chỉ gửi một tệp.');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw badRequest('TOO_MANY_FIELDS', 'Biểu mẫu có quá nhiều trường.');
    throw err;
  }
  if (!file || file.data.length === 0) throw badRequest('NO_FILE', 'Hãy chọn một tệp để gửi.');
  return file;
}

export function createTaskFiles(deps: { tasks: TaskService; files: FileStore }) {
  const { tasks, files } = deps;

  /** The task if the actor may report on it now: 404 unseen, 403 not theirs to report, 409 not open for reports. */
  async function forReporting(actor: Actor, id: number) {
    const { row, places } = await tasks.visibleTask(tasks.db, actor, id, false);
    if (!canReport(actor, row, places)) throw notReporter();
    transition(row.status as TaskStatus, 'report');
    return row;
  }

  return {
    /**
     * Checks and stores one file for a report to come. Checked before anything is stored: the
     * actor's right, the size (413), the content against the accepted types and the name (415).
     */
    async upload(actor: Actor, id: number, input: { data: Buffer; name: string }): Promise<UploadedFile> {
      await forReporting(actor, id);
      let name = cleanFileName(input.name);
      const type = checkUpload(input.data, { types: ACCEPTED, maxBytes: MAX_REPORT_FILE_BYTES });
      checkNameMatches(name, type);
      let data = input.data;
      let contentType: FileType = type;
      if (IMAGE_TYPES.has(type)) {
        const image = await normaliseImage(data, { maxBytes: MAX_REPORT_FILE_BYTES, format: 'jpeg' });
        data = image.data;
        contentType = image.mime;
        if (type !== MIME.jpeg) name = `${name.slice(0, name.lastIndexOf('.'))}.jpg`;
      }
      const { key } = await files.put(data);
      return { key, name, size: data.length, contentType };
    },

    /**
     * A progress report with its files. Each listed key is read back from the store and checked
     * again (size, content, name), so what is recorded is what the store holds, not what the
     * body claims; then the report and its file rows are written in one transaction.
     */
    async report(actor: Actor, id: number, input: ReportBody): Promise<Task> {
      const listed = input.files ?? [];
      if (listed.length > MAX_REPORT_FILES) {
        throw badRequest('TOO_MANY_FILES', `Mỗi báo cáo chỉ được kèm tối đa ${MAX_REPORT_FILES} tệp.`, { count: listed.length, max: MAX_REPORT_FILES });
      }
      if (new Set(listed.map((f) => f.key)).size !== listed.length) throw badRequest('DUPLICATE_FILE', 'Một tệp được kèm hai lần trong báo cáo.');
      const rows: repo.ReportFileRow[] = [];
      if (listed.length > 0) await forReporting(actor, id);
      for (const f of listed) {
        const name = cleanFileName(f.name);
        const data = await files.get(f.key);
        if (!data) throw new AppError(422, 'FILE_NOT_UPLOADED', `Tệp "${name}" chưa được tải lên hoặc đã bị xoá. Hãy tải tệp lên lại.`, { key: f.key });
        const type = checkUpload(data, { types: ACCEPTED, maxBytes: MAX_REPORT_FILE_BYTES });
        checkNameMatches(name, type);
        rows.push({ file_key: f.key, name, size: data.length, content_type: type });
      }
      return tasks.report(actor, id, input, rows);
    },

    /** A report's file, for anyone who sees the task (404 otherwise, and for a file of another task). */
    async get(actor: Actor, id: number, reportId: number, fileId: number): Promise<{ name: string; contentType: string; size: number; stream: Readable }> {
      await tasks.visibleTask(tasks.db, actor, id, false);
      const row = await repo.findReportFile(tasks.db, id, reportId, fileId);
      const stream = row ? await files.stream(row.file_key) : null;
      if (!row || !stream) throw notFound('tệp đính kèm');
      return { name: row.name, contentType: row.content_type, size: row.size, stream };
    },
  };
}

export type TaskFiles = ReturnType<typeof createTaskFiles>;

