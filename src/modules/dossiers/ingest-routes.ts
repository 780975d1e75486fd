// HTTP of the dossiers' ingest: the procedure catalogue, the sources, file imports and the batch
// push of the one-stop systems. Rules and permissions are in the services.

import type { MultipartFile } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type Actor, requireRole } from '../../platform/auth/actor.js';
import { actorOf } from '../../platform/auth/hook.js';
import { AppError, badRequest } from '../../platform/errors/errors.js';
import { fileTooLarge } from '../../platform/files/content.js';
import { listResponse, sendList } from '../../platform/http/list.js';
import { IdParams } from '../../platform/http/params.js';
import { DOSSIER_IMPORT_MAX_BYTES, type DossierImports, IMPORT_ROLES, type UploadedFile } from './imports.js';
import {
  CreateProcedure,
  CreateSource,
  Import,
  ImportListQuery,
  ImportProblem,
  ImportProblemQuery,
  Procedure,
  ProcedureListQuery,
  PushBody,
  PushResult,
  RunImportBody,
  Source,
  SourceListQuery,
  UpdateProcedure,
  UpdateSource,
  Upload,
} from './ingest-schemas.js';
import type { ProcedureService } from './procedures.js';
import type { DossierScorecard } from './scorecard.js';
import type { DossierPush } from './push.js';
import type { SourceService } from './sources.js';
import { vietnamTimeText } from '../../platform/calendar/businessTime.js';

const LEVEL_LABELS: Record<string, string> = { province: 'Cấp tỉnh', district: 'Cấp huyện', commune: 'Cấp xã' };
const ONLINE_LABELS: Record<string, string> = { full: 'Toàn trình', partial: 'Một phần', none: 'Không' };
const STATE_LABELS: Record<string, string> = {
  uploaded: 'Đã tải lên',
  checking: 'Đang kiểm tra',
  checked: 'Đã kiểm tra',
  importing: 'Đang nhập',
  imported: 'Đã nhập',
  failed: 'Thất bại',
  cancelled: 'Đã hủy',
};
const yesNo = (b: boolean) => (b ? 'Có' : 'Không');
const fmtDate = (iso: string | null) => (iso ? vietnamTimeText(iso) : null);

/** A batch of 1,000 dossiers with their histories is a few MB of JSON. */
const BATCH_BODY_LIMIT = 16 * 1024 * 1024;

export interface IngestDeps {
  procedures: ProcedureService;
  /** The procedures behind a scorecard's count (the catalogue's drill-down). */
  scorecard: Pick<DossierScorecard, 'procedureIds'>;
  sources: SourceService;
  imports: DossierImports;
  push: DossierPush;
}

export function ingestRoutes(app: FastifyInstance, deps: IngestDeps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { procedures, sources, imports, push, scorecard } = deps;
  const tags = ['Hồ sơ TTHC — tiếp nhận dữ liệu (dossiers ingest)'];
  const base = '/api/v1/dossiers';

  // ---- procedures ----
  const listProcedures = async (actor: Actor, query: ProcedureListQuery) => {
    const { scorecardCount: count, unitId, period, year, index, from, to, ...rest } = query;
    if (!count) return procedures.list(actor, rest);
    return procedures.list(actor, rest, await scorecard.procedureIds(actor, { count, unitId, period, year, index, from, to }));
  };
  r.get(`${base}/procedures`, { schema: { tags, querystring: ProcedureListQuery, response: { 200: listResponse(Procedure) } } }, async (req, reply) =>
    sendList(reply, req.query, await listProcedures(actorOf(req), req.query), {
      fileName: 'thu-tuc-hanh-chinh',
      sheet: 'Thủ tục hành chính',
      columns: [
        { header: 'Mã thủ tục', value: (p) => p.code, width: 26 },
        { header: 'Tên thủ tục', value: (p) => p.name, width: 60 },
        { header: 'Cấp thực hiện', value: (p) => LEVEL_LABELS[p.level] ?? p.level, width: 14 },
        { header: 'Thời hạn (ngày làm việc)', value: (p) => p.processingDays, width: 14 },
        { header: 'Có phí, lệ phí', value: (p) => yesNo(p.hasFee), width: 10 },
        { header: 'Dịch vụ công trực tuyến', value: (p) => ONLINE_LABELS[p.online] ?? p.online, width: 14 },
        { header: 'Hiệu lực từ', value: (p) => p.effectiveOn, width: 12 },
        { header: 'Ngày công bố', value: (p) => p.announcedOn, width: 12 },
        { header: 'Ngày công khai', value: (p) => p.publishedOn, width: 12 },
        { header: 'Đang áp dụng', value: (p) => yesNo(p.active), width: 10 },
      ],
    }),
  );
  r.get(`${base}/procedures/:id`, { schema: { tags, params: IdParams, response: { 200: Procedure } } }, async (req) => procedures.get(actorOf(req), req.params.id));
  r.post(`${base}/procedures`, { schema: { tags, body: CreateProcedure, response: { 201: Procedure } } }, async (req, reply) => {
    reply.status(201);
    return procedures.create(actorOf(req), req.body);
  });
  r.patch(`${base}/procedures/:id`, { schema: { tags, params: IdParams, body: UpdateProcedure, response: { 200: Procedure } } }, async (req) =>
    procedures.update(actorOf(req), req.params.id, req.body),
  );
  r.post(`${base}/procedures/:id/deactivate`, { schema: { tags, params: IdParams, response: { 200: Procedure } } }, async (req) =>
    procedures.deactivate(actorOf(req), req.params.id),
  );
  r.post(`${base}/procedures/:id/activate`, { schema: { tags, params: IdParams, response: { 200: Procedure } } }, async (req) =>
    procedures.activate(actorOf(req), req.params.id),
  );

  // ---- sources ----
  r.get(`${base}/sources`, { schema: { tags, querystring: SourceListQuery, response: { 200: listResponse(Source) } } }, async (req, reply) =>
    sendList(reply, req.query, await sources.list(actorOf(req), req.query), {
      fileName: 'nguon-ho-so',
      sheet: 'Nguồn hồ sơ',
      columns: [
        { header: 'Mã nguồn', value: (s) => s.code, width: 16 },
        { header: 'Tên hệ thống', value: (s) => s.name, width: 40 },
        { header: 'Khóa API', value: (s) => (s.apiKeyName ? `${s.apiKeyName} (${s.apiKeyPrefix})` : null), width: 30 },
        { header: 'Đơn vị của khóa', value: (s) => s.apiKeyUnitName, width: 30 },
        { header: 'Khóa đã thu hồi', value: (s) => yesNo(s.apiKeyRevoked), width: 10 },
        { header: 'Hoạt động', value: (s) => yesNo(s.active), width: 10 },
      ],
    }),
  );
  r.get(`${base}/sources/:id`, { schema: { tags, params: IdParams, response: { 200: Source } } }, async (req) => sources.get(actorOf(req), req.params.id));
  r.post(`${base}/sources`, { schema: { tags, body: CreateSource, response: { 201: Source } } }, async (req, reply) => {
    reply.status(201);
    return sources.create(actorOf(req), req.body);
  });
  r.patch(`${base}/sources/:id`, { schema: { tags, params: IdParams, body: UpdateSource, response: { 200: Source } } }, async (req) =>
    sources.update(actorOf(req), req.params.id, req.body),
  );
  r.post(`${base}/sources/:id/deactivate`, { schema: { tags, params: IdParams, response: { 200: Source } } }, async (req) => sources.deactivate(actorOf(req), req.params.id));
  r.post(`${base}/sources/:id/activate`, { schema: { tags, params: IdParams, response: { 200: Source } } }, async (req) => sources.activate(actorOf(req), req.params.id));

  // ---- file imports ----
  // multipart/form-data: `sourceId` and one `file` (.csv or .xlsx); read here, not by a schema.
  r.post(`${base}/imports`, { schema: { tags, consumes: ['multipart/form-data'], response: { 201: Upload } } }, async (req, reply) => {
    const actor = actorOf(req);
    // Who may import is known before the upload is read: nobody else's file is read at all.
    requireRole(actor, IMPORT_ROLES);
    const form = await readImportForm(req);
    reply.status(201);
    return imports.upload(actor, form);
  });
  r.get(`${base}/imports`, { schema: { tags, querystring: ImportListQuery, response: { 200: listResponse(Import) } } }, async (req, reply) =>
    sendList(reply, req.query, await imports.list(actorOf(req), req.query), {
      fileName: 'nhap-tep-ho-so',
      sheet: 'Nhập tệp hồ sơ',
      columns: [
        { header: 'Tệp', value: (i) => i.fileName, width: 36 },
        { header: 'Nguồn', value: (i) => i.sourceCode, width: 14 },
        { header: 'Trạng thái', value: (i) => STATE_LABELS[i.state] ?? i.state, width: 14 },
        { header: 'Số dòng', value: (i) => i.rowsRead },
        { header: 'Dòng hợp lệ', value: (i) => i.rowsOk },
        { header: 'Dòng lỗi', value: (i) => i.rowsBad },
        { header: 'Tạo mới', value: (i) => i.rowsCreated },
        { header: 'Cập nhật', value: (i) => i.rowsUpdated },
        { header: 'Không đổi', value: (i) => i.rowsUnchanged },
        { header: 'Người tải lên', value: (i) => i.createdBy, width: 16 },
        { header: 'Thời điểm tải lên', value: (i) => fmtDate(i.createdAt), width: 20 },
        { header: 'Kết thúc', value: (i) => fmtDate(i.finishedAt), width: 20 },
        { header: 'Lỗi', value: (i) => i.error, width: 50 },
      ],
    }),
  );
  r.get(`${base}/imports/:id`, { schema: { tags, params: IdParams, response: { 200: Import } } }, async (req) => imports.get(actorOf(req), req.params.id));
  r.get(
    `${base}/imports/:id/problems`,
    { schema: { tags, params: IdParams, querystring: ImportProblemQuery, response: { 200: listResponse(ImportProblem) } } },
    async (req, reply) =>
      sendList(reply, req.query, await imports.problems(actorOf(req), req.params.id, req.query), {
        fileName: `loi-nhap-tep-${req.params.id}`,
        sheet: 'Dòng lỗi',
        columns: [
          { header: 'Dòng', value: (p) => p.line, width: 8 },
          { header: 'Trường', value: (p) => p.fieldLabel ?? p.field, width: 22 },
          { header: 'Mức độ', value: (p) => (p.severity === 'error' ? 'Lỗi' : 'Cảnh báo'), width: 10 },
          { header: 'Mã lỗi', value: (p) => p.code, width: 20 },
          { header: 'Lý do', value: (p) => p.message, width: 80 },
          { header: 'Trùng với dòng', value: (p) => p.otherLine, width: 10 },
        ],
      }),
  );
  // The body is optional: a run with the mapping saved at upload needs none.
  const run = { tags, params: IdParams, body: Type.Union([RunImportBody, Type.Null()]), response: { 202: Import } };
  r.post(`${base}/imports/:id/check`, { schema: run }, async (req, reply) => {
    reply.status(202);
    return imports.start(actorOf(req), req.params.id, 'check', { mapping: req.body?.mapping });
  });
  r.post(`${base}/imports/:id/run`, { schema: run }, async (req, reply) => {
    reply.status(202);
    return imports.start(actorOf(req), req.params.id, 'import', req.body ?? {});
  });
  r.post(`${base}/imports/:id/cancel`, { schema: { tags, params: IdParams, response: { 202: Import } } }, async (req, reply) => {
    reply.status(202);
    return imports.cancel(actorOf(req), req.params.id);
  });

  // ---- the batch push of a one-stop system (API key of a source) ----
  r.post(
    `${base}/batch`,
    { bodyLimit: BATCH_BODY_LIMIT, schema: { tags, security: [{ apiKey: [] }], body: PushBody, response: { 200: PushResult } } },
    async (req) => push.push(actorOf(req), req.body),
  );
}

/** The upload form: `sourceId` and one `file`, every byte read before anything is checked. */
async function readImportForm(req: FastifyRequest): Promise<{ sourceId: number; file: UploadedFile }> {
  if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi biểu mẫu multipart/form-data với trường "sourceId" và tệp "file".');
  let sourceId: number | null = null;
  let file: UploadedFile | null = null;
  try {
    for await (const part of req.parts({ limits: { files: 1, fileSize: DOSSIER_IMPORT_MAX_BYTES, fields: 5, fieldSize: 1024 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          await (part as MultipartFile).toBuffer().catch(() => null);
          throw badRequest('UNKNOWN_FILE_FIELD', 'Tệp phải gửi trong trường "file".');
        }
        file = { fileName: part.filename, data: await part.toBuffer() };
      } else if (part.fieldname === 'sourceId') {
        sourceId = /^\d{1,9}$/.test(String(part.value)) ? Number(part.value) : null;
        if (sourceId === null) throw badRequest('VALIDATION_FAILED', 'sourceId phải là số của một nguồn hồ sơ.');
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(DOSSIER_IMPORT_MAX_BYTES + 1, DOSSIER_IMPORT_MAX_BYTES);
    if (code === 'FST_FILES_LIMIT') throw badRequest('TOO_MANY_FILES', 'Mỗi lần chỉ tải lên một tệp.');
    throw err;
  }
  if (sourceId === null) throw badRequest('VALIDATION_FAILED', 'Hãy chọn nguồn hồ sơ (trường "sourceId").');
  if (!file || file.data.length === 0) throw badRequest('FILE_REQUIRED', 'Hãy chọn tệp .csv hoặc .xlsx để nhập (trường "file").');
  return { sourceId, file };
}
