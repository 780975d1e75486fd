import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/hook.js';
import { listResponse, sendList } from '../../platform/http/list.js';
import { IdParams } from '../../platform/http/params.js';
import { sendXlsx, toXlsx } from '../../platform/http/xlsx.js';
import { DEADLINE_STATUS_LABELS, type DeadlineStatus } from './deadline.js';
import type { NotificationService } from './notifications.js';
import { readUpload } from './photos.js';
import {
  AssignBody,
  Category,
  CategoryListQuery,
  CreateCategory,
  DecisionBody,
  Duplicate,
  DuplicateQuery,
  ExtensionBody,
  HeatmapCell,
  HeatmapQuery,
  MergeBody,
  Notification,
  NotificationQuery,
  Photo,
  PhotoVerifyBody,
  Radius,
  RejectBody,
  Report,
  ReportListItem,
  ReportListQuery,
  ReportPhotoParams,
  Routing,
  SendBackBody,
  StatisticsQuery,
  StatisticsRow,
  UpdateCategory,
  VerifyBody,
} from './schemas.js';
import type { FeedbackService } from './service.js';
import { STATE_LABELS, type FeedbackState } from './states.js';
import type { FeedbackStatistics } from './stats.js';
import { vietnamTimeText } from '../../platform/calendar/businessTime.js';

const fmtDate = (iso: string | null) => (iso ? vietnamTimeText(iso) : null);

export function feedbackRoutes(app: FastifyInstance, deps: { feedback: FeedbackService; notifications: NotificationService; statistics: FeedbackStatistics }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { feedback, notifications, statistics } = deps;
  const tags = ['Phản ánh hiện trường (feedback)'];
  const base = '/api/v1/feedback';

  // ---- categories ----
  r.get(`${base}/categories`, { schema: { tags, querystring: CategoryListQuery, response: { 200: listResponse(Category) } } }, async (req, reply) =>
    sendList(reply, req.query, await feedback.listCategories(actorOf(req), req.query), {
      fileName: 'linh-vuc-phan-anh',
      sheet: 'Lĩnh vực',
      columns: [
        { header: 'Mã', value: (c) => c.code, width: 16 },
        { header: 'Tên lĩnh vực', value: (c) => c.name, width: 36 },
        { header: 'Nhóm', value: (c) => c.group, width: 20 },
        { header: 'Loại đơn vị xử lý', value: (c) => c.unitKind },
        { header: 'Thời hạn (ngày làm việc)', value: (c) => c.deadlineDays },
        { header: 'Hoạt động', value: (c) => (c.active ? 'Có' : 'Không'), width: 10 },
      ],
    }),
  );
  r.get(`${base}/categories/:id`, { schema: { tags, params: IdParams, response: { 200: Category } } }, async (req) => feedback.getCategory(actorOf(req), req.params.id));
  r.post(`${base}/categories`, { schema: { tags, body: CreateCategory, response: { 201: Category } } }, async (req, reply) => {
    reply.status(201);
    return feedback.createCategory(actorOf(req), req.body);
  });
  r.patch(`${base}/categories/:id`, { schema: { tags, params: IdParams, body: UpdateCategory, response: { 200: Category } } }, async (req) =>
    feedback.updateCategory(actorOf(req), req.params.id, req.body),
  );

  // ---- reports ----
  r.get(`${base}/reports`, { schema: { tags, querystring: ReportListQuery, response: { 200: listResponse(ReportListItem) } } }, async (req, reply) =>
    sendList(reply, req.query, await feedback.list(actorOf(req), req.query), {
      fileName: 'phan-anh',
      sheet: 'Phản ánh',
      columns: [
        { header: 'Mã', value: (x) => x.code, width: 14 },
        { header: 'Trạng thái', value: (x) => STATE_LABELS[x.status as FeedbackState] ?? x.status, width: 16 },
        { header: 'Khẩn', value: (x) => (x.urgent ? 'Có' : ''), width: 6 },
        { header: 'Lĩnh vực', value: (x) => x.categoryName, width: 24 },
        { header: 'Nội dung', value: (x) => x.description, width: 50 },
        { header: 'Địa chỉ', value: (x) => x.address, width: 30 },
        { header: 'Địa bàn', value: (x) => x.areaUnitName, width: 24 },
        { header: 'Đơn vị xử lý', value: (x) => x.unitName, width: 24 },
        { header: 'Tiếp nhận', value: (x) => fmtDate(x.receivedAt), width: 20 },
        { header: 'Hạn xử lý', value: (x) => fmtDate(x.deadline), width: 20 },
        { header: 'Tình trạng hạn', value: (x) => (x.deadlineStatus ? DEADLINE_STATUS_LABELS[x.deadlineStatus as DeadlineStatus] : null), width: 16 },
        { header: 'Đã xử lý', value: (x) => fmtDate(x.resolvedAt), width: 20 },
        { header: 'Đánh giá', value: (x) => (x.rating === 'satisfied' ? 'Hài lòng' : x.rating === 'not_satisfied' ? 'Không hài lòng' : null), width: 14 },
      ],
    }),
  );
  r.get(`${base}/reports/:id`, { schema: { tags, params: IdParams, response: { 200: Report } } }, async (req) => feedback.get(actorOf(req), req.params.id));
  r.get(
    `${base}/reports/:id/suggestions`,
    {
      schema: {
        tags,
        params: IdParams,
        querystring: Type.Object({ radius: Type.Optional(Radius) }, { additionalProperties: false }),
        response: { 200: Type.Object({ routing: Routing, duplicates: Type.Array(Duplicate) }) },
      },
    },
    async (req) => feedback.suggestions(actorOf(req), req.params.id, req.query.radius),
  );
  r.get(`${base}/duplicates`, { schema: { tags, querystring: DuplicateQuery, response: { 200: Type.Object({ items: Type.Array(Duplicate) }) } } }, async (req) => ({
    items: await feedback.duplicates(actorOf(req), req.query),
  }));
  r.get(`${base}/reports/:id/photos/:photoId`, { schema: { tags, params: ReportPhotoParams } }, async (req, reply) => {
    const photo = await feedback.photo(actorOf(req), req.params.id, req.params.photoId);
    return reply.type(photo.mime).header('cache-control', 'private, max-age=3600').send(photo.stream);
  });
  r.post(`${base}/reports/:id/photos/:photoId/verify`, { schema: { tags, params: ReportPhotoParams, body: PhotoVerifyBody, response: { 200: Photo } } }, async (req) =>
    feedback.verifyPhoto(actorOf(req), req.params.id, req.params.photoId, req.body.verified),
  );

  // ---- lifecycle ----
  const action = { tags, params: IdParams, response: { 200: Report } };
  r.post(`${base}/reports/:id/verify`, { schema: { ...action, body: VerifyBody } }, async (req) => feedback.verify(actorOf(req), req.params.id, req.body));
  r.post(`${base}/reports/:id/reject`, { schema: { ...action, body: RejectBody } }, async (req) => feedback.reject(actorOf(req), req.params.id, req.body));
  r.post(`${base}/reports/:id/merge`, { schema: { ...action, body: MergeBody } }, async (req) => feedback.merge(actorOf(req), req.params.id, req.body.targetId));
  r.post(`${base}/reports/:id/assign`, { schema: { ...action, body: AssignBody } }, async (req) => feedback.assign(actorOf(req), req.params.id, req.body.unitId));
  r.post(`${base}/reports/:id/send-back`, { schema: { ...action, body: SendBackBody } }, async (req) => feedback.sendBack(actorOf(req), req.params.id, req.body.reason));
  r.post(`${base}/reports/:id/start`, { schema: action }, async (req) => feedback.start(actorOf(req), req.params.id));
  r.post(`${base}/reports/:id/extension`, { schema: { ...action, body: ExtensionBody } }, async (req) => feedback.requestExtension(actorOf(req), req.params.id, req.body));
  r.post(`${base}/reports/:id/extension/decision`, { schema: { ...action, body: DecisionBody } }, async (req) =>
    feedback.decideExtension(actorOf(req), req.params.id, req.body),
  );
  // JSON { answer } or multipart with `answer` and up to 5 `photos`; the body is read here, not by a schema.
  r.post(`${base}/reports/:id/resolve`, { schema: { ...action, consumes: ['application/json', 'multipart/form-data'] } }, async (req) => {
    const actor = actorOf(req);
    if (req.isMultipart()) {
      const upload = await readUpload(req);
      return feedback.resolve(actor, req.params.id, upload.fields.answer ?? '', upload.files);
    }
    const body = (req.body ?? {}) as { answer?: unknown };
    return feedback.resolve(actor, req.params.id, typeof body.answer === 'string' ? body.answer : '', []);
  });
  r.post(`${base}/reports/:id/close`, { schema: action }, async (req) => feedback.close(actorOf(req), req.params.id));

  // ---- notifications ----
  r.get(`${base}/notifications`, { schema: { tags, querystring: NotificationQuery, response: { 200: listResponse(Notification) } } }, async (req) => {
    const result = await notifications.list(actorOf(req), req.query);
    return { ...result, page: req.query.page ?? 1, pageSize: req.query.pageSize ?? 20 };
  });
  r.post(`${base}/notifications/:id/read`, { schema: { tags, params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await notifications.markRead(actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
  r.post(`${base}/notifications/read-all`, { schema: { tags, response: { 204: Type.Null() } } }, async (req, reply) => {
    await notifications.markAllRead(actorOf(req));
    return reply.status(204).send(null);
  });

  // ---- statistics ----
  r.get(
    `${base}/heatmap`,
    { schema: { tags, querystring: HeatmapQuery, response: { 200: Type.Object({ items: Type.Array(HeatmapCell) }) } } },
    async (req) => statistics.heatmap(actorOf(req), req.query),
  );

  r.get(
    `${base}/statistics`,
    { schema: { tags, querystring: StatisticsQuery, response: { 200: Type.Object({ items: Type.Array(StatisticsRow), total: Type.Integer() }) } } },
    async (req, reply) => {
      const result = await statistics.compute(actorOf(req), req.query);
      if (req.query.format !== 'xlsx') return result;
      const buffer = await toXlsx(
        'Thống kê phản ánh',
        [
          { header: 'Nhóm', value: (x: StatisticsRow) => x.label, width: 30 },
          { header: 'Tiếp nhận', value: (x: StatisticsRow) => x.received },
          { header: 'Đã xác minh', value: (x: StatisticsRow) => x.verified },
          { header: 'Từ chối', value: (x: StatisticsRow) => x.rejected },
          { header: 'Đã xử lý', value: (x: StatisticsRow) => x.resolved },
          { header: 'Đúng hạn', value: (x: StatisticsRow) => x.resolvedOnTime },
          { header: 'Trễ hạn', value: (x: StatisticsRow) => x.resolvedLate },
          { header: 'Đang quá hạn', value: (x: StatisticsRow) => x.overdueOpen },
          { header: 'Trung vị thời gian xử lý (giờ làm việc)', value: (x: StatisticsRow) => x.medianHandlingHours, width: 20 },
          { header: 'Tỷ lệ hài lòng', value: (x: StatisticsRow) => (x.satisfactionRate === null ? null : `${Math.round(x.satisfactionRate * 100)}%`) },
        ],
        result.items,
      );
      return sendXlsx(reply as FastifyReply, 'thong-ke-phan-anh', buffer);
    },
  );
}
