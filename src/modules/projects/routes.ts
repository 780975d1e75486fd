import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/hook.js';
import { parseIsoDate } from '../../platform/calendar/isoDate.js';
import { badRequest } from '../../platform/errors/errors.js';
import { listResponse, sendList } from '../../platform/http/list.js';
import { IdParams } from '../../platform/http/params.js';
import { type XlsxColumn, sendXlsx, toXlsx } from '../../platform/http/xlsx.js';
import { readUpload } from '../feedback/photos.js';
import {
  ClearanceBody,
  ClearanceParams,
  CreateProject,
  DisbursementBody,
  EntryParams,
  MilestoneBody,
  MilestoneParams,
  ObstacleBody,
  ObstacleParams,
  Overview,
  OverviewQuery,
  PhotoParams,
  ProgressBody,
  Project,
  ProjectDetail,
  ProjectListQuery,
  type ProjectStatus,
  ResolveObstacleBody,
  SegmentBody,
  ProgressParams,
  SegmentParams,
  UpdateMilestone,
  UpdateProject,
  UpdateSegment,
} from './schemas.js';
import type { ProjectEntries } from './entries.js';
import type { ProjectPhotos } from './photos.js';
import type { ProjectService } from './service.js';

export const STATUS_LABELS: Record<ProjectStatus, string> = {
  preparing: 'Chuẩn bị đầu tư',
  in_progress: 'Đang thi công',
  suspended: 'Tạm dừng',
  completed: 'Hoàn thành',
};

function isIsoDate(text: string | undefined): text is string {
  try {
    parseIsoDate(text ?? '');
    return true;
  } catch {
    return false;
  }
}

const percent = (v: number | null) => (v === null ? null : v / 100);

/** The columns of the project list and of the province view, as a spreadsheet. */
const COLUMNS: XlsxColumn<Project>[] = [
  { header: 'Mã dự án', value: (p) => p.code, width: 16 },
  { header: 'Tên dự án', value: (p) => p.name, width: 48 },
  { header: 'Đơn vị quản lý', value: (p) => p.managingUnit.name, width: 26 },
  { header: 'Chủ đầu tư', value: (p) => p.investor, width: 28 },
  { header: 'Trạng thái', value: (p) => STATUS_LABELS[p.status as ProjectStatus] ?? p.status, width: 16 },
  { header: 'Tổng mức đầu tư (đồng)', value: (p) => p.totalCapital, format: '#,##0', width: 20 },
  { header: 'Đã giải ngân (đồng)', value: (p) => p.figures.disbursed, format: '#,##0', width: 20 },
  { header: 'Tỷ lệ giải ngân', value: (p) => percent(p.figures.disbursementRate), format: '0.00%', width: 14 },
  { header: 'Chiều dài các đoạn (km)', value: (p) => p.figures.segmentsLengthKm, format: '#,##0.000', width: 14 },
  { header: 'Khối lượng thi công', value: (p) => percent(p.figures.physicalProgress), format: '0.00%', width: 14 },
  { header: 'Diện tích thu hồi (m²)', value: (p) => p.figures.affectedAreaM2, format: '#,##0.00', width: 16 },
  { header: 'Đã bàn giao (m²)', value: (p) => p.figures.handedOverAreaM2, format: '#,##0.00', width: 16 },
  { header: 'Tỷ lệ GPMB', value: (p) => percent(p.figures.clearanceRate), format: '0.00%', width: 12 },
  { header: 'Vướng mắc chưa xử lý', value: (p) => p.figures.obstaclesOpen, width: 12 },
  { header: 'Vướng mắc quá hạn', value: (p) => p.figures.obstaclesOverdue, width: 12 },
];

export function projectRoutes(app: FastifyInstance, deps: { projects: ProjectService; entries: ProjectEntries; photos: ProjectPhotos }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { projects, entries, photos } = deps;
  const tags = ['Dự án trọng điểm (projects)'];
  const base = '/api/v1/projects';
  const detail = { 200: ProjectDetail };

  r.get(`${base}`, { schema: { tags, querystring: ProjectListQuery, response: { 200: listResponse(Project) } } }, async (req, reply) =>
    sendList(reply, req.query, await projects.list(actorOf(req), req.query), { fileName: 'du-an-trong-diem', sheet: 'Dự án trọng điểm', columns: COLUMNS }),
  );

  r.get(`${base}/overview`, { schema: { tags, querystring: OverviewQuery, response: { 200: Overview } } }, async (req, reply) => {
    const overview = await projects.overview(actorOf(req), req.query);
    if (req.query.format !== 'xlsx') return overview;
    const t = overview.totals;
    const totalRow = {
      code: 'Tổng cộng',
      name: `${t.projects} dự án`,
      managingUnit: { id: 0, code: '', name: '' },
      investor: '',
      status: '',
      totalCapital: t.totalCapital,
      figures: t,
    } as unknown as Project;
    const buffer = await toXlsx('Tổng hợp dự án trọng điểm', COLUMNS, [...overview.items, totalRow]);
    return sendXlsx(reply as FastifyReply, 'tong-hop-du-an-trong-diem', buffer);
  });

  r.post(`${base}`, { schema: { tags, body: CreateProject, response: { 201: ProjectDetail } } }, async (req, reply) => {
    reply.status(201);
    return projects.create(actorOf(req), req.body);
  });
  r.get(`${base}/:id`, { schema: { tags, params: IdParams, response: detail } }, async (req) => projects.get(actorOf(req), req.params.id));
  r.patch(`${base}/:id`, { schema: { tags, params: IdParams, body: UpdateProject, response: detail } }, async (req) => projects.update(actorOf(req), req.params.id, req.body));

  r.delete(`${base}/:id`, { schema: { tags, params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await projects.remove(actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  // ---- segments and physical progress ----
  r.post(`${base}/:id/segments`, { schema: { tags, params: IdParams, body: SegmentBody, response: detail } }, async (req) =>
    entries.addSegment(actorOf(req), req.params.id, req.body),
  );
  r.patch(`${base}/:id/segments/:segmentId`, { schema: { tags, params: SegmentParams, body: UpdateSegment, response: detail } }, async (req) =>
    entries.updateSegment(actorOf(req), req.params.id, req.params.segmentId, req.body),
  );
  r.delete(`${base}/:id/segments/:segmentId`, { schema: { tags, params: SegmentParams, response: detail } }, async (req) =>
    entries.deleteSegment(actorOf(req), req.params.id, req.params.segmentId),
  );
  r.post(`${base}/:id/segments/:segmentId/progress`, { schema: { tags, params: SegmentParams, body: ProgressBody, response: detail } }, async (req) =>
    entries.addProgress(actorOf(req), req.params.id, req.params.segmentId, req.body),
  );
  r.delete(`${base}/:id/segments/:segmentId/progress/:entryId`, { schema: { tags, params: ProgressParams, response: detail } }, async (req) =>
    entries.deleteProgress(actorOf(req), req.params.id, req.params.segmentId, req.params.entryId),
  );

  // ---- capital disbursed ----
  r.post(`${base}/:id/disbursements`, { schema: { tags, params: IdParams, body: DisbursementBody, response: detail } }, async (req) =>
    entries.addDisbursement(actorOf(req), req.params.id, req.body),
  );
  r.delete(`${base}/:id/disbursements/:entryId`, { schema: { tags, params: EntryParams, response: detail } }, async (req) =>
    entries.deleteDisbursement(actorOf(req), req.params.id, req.params.entryId),
  );

  // ---- milestones ----
  r.post(`${base}/:id/milestones`, { schema: { tags, params: IdParams, body: MilestoneBody, response: detail } }, async (req) =>
    entries.addMilestone(actorOf(req), req.params.id, req.body),
  );
  r.patch(`${base}/:id/milestones/:milestoneId`, { schema: { tags, params: MilestoneParams, body: UpdateMilestone, response: detail } }, async (req) =>
    entries.updateMilestone(actorOf(req), req.params.id, req.params.milestoneId, req.body),
  );
  r.delete(`${base}/:id/milestones/:milestoneId`, { schema: { tags, params: MilestoneParams, response: detail } }, async (req) =>
    entries.deleteMilestone(actorOf(req), req.params.id, req.params.milestoneId),
  );

  // ---- site clearance and obstacles ----
  r.put(`${base}/:id/clearances/:communeId`, { schema: { tags, params: ClearanceParams, body: ClearanceBody, response: detail } }, async (req) =>
    entries.putClearance(actorOf(req), req.params.id, req.params.communeId, req.body),
  );
  r.delete(`${base}/:id/clearances/:communeId`, { schema: { tags, params: ClearanceParams, response: detail } }, async (req) =>
    entries.deleteClearance(actorOf(req), req.params.id, req.params.communeId),
  );
  r.post(`${base}/:id/obstacles`, { schema: { tags, params: IdParams, body: ObstacleBody, response: detail } }, async (req) =>
    entries.addObstacle(actorOf(req), req.params.id, req.body),
  );
  r.post(`${base}/:id/obstacles/:obstacleId/resolve`, { schema: { tags, params: ObstacleParams, body: ResolveObstacleBody, response: detail } }, async (req) =>
    entries.resolveObstacle(actorOf(req), req.params.id, req.params.obstacleId, req.body.resolution),
  );
  r.delete(`${base}/:id/obstacles/:obstacleId`, { schema: { tags, params: ObstacleParams, response: detail } }, async (req) =>
    entries.deleteObstacle(actorOf(req), req.params.id, req.params.obstacleId),
  );

  // ---- photos ----
  // Multipart: `takenOn` (YYYY-MM-DD), optional `caption` and `segmentId`, up to 5 files in `photos`.
  r.post(`${base}/:id/photos`, { schema: { tags, params: IdParams, consumes: ['multipart/form-data'], response: detail } }, async (req) => {
    const actor = actorOf(req);
    const upload = await readUpload(req);
    const { takenOn, caption, segmentId } = upload.fields;
    if (!isIsoDate(takenOn)) {
      throw badRequest('VALIDATION_FAILED', 'Dữ liệu không hợp lệ: "takenOn" (ngày chụp) phải là ngày dạng YYYY-MM-DD.');
    }
    if (segmentId && !/^[1-9]\d{0,9}$/.test(segmentId)) throw badRequest('VALIDATION_FAILED', 'Dữ liệu không hợp lệ: "segmentId" phải là số.');
    if (caption && caption.length > 500) throw badRequest('VALIDATION_FAILED', 'Dữ liệu không hợp lệ: "caption" không được dài quá 500 ký tự.');
    return photos.add(actor, req.params.id, { takenOn, caption: caption?.trim() || null, segmentId: segmentId ? Number(segmentId) : null, files: upload.files });
  });
  r.get(`${base}/:id/photos/:photoId`, { schema: { tags, params: PhotoParams } }, async (req, reply) => {
    const photo = await photos.get(actorOf(req), req.params.id, req.params.photoId);
    return reply.type(photo.mime).header('cache-control', 'private, max-age=3600').send(photo.stream);
  });
}
