import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/hook.js';
import { EXPORT_MAX_ROWS } from '../../platform/http/list.js';
import { badRequest } from '../../platform/errors/errors.js';
import { type XlsxColumn, sendXlsx, toXlsx, vnDateTime } from '../../platform/http/xlsx.js';
import { STATUS_LABELS, type TaskStatus } from './rules/lifecycle.js';
import { TIMELINESS_LABELS, type Timeliness } from './rules/timeliness.js';
import {
  CommentBody,
  CreateSubtask,
  CreateTask,
  DecisionBody,
  ExtensionBody,
  ExtensionParams,
  IssueBody,
  ReasonBody,
  ReportBody,
  ReportFileParams,
  UploadedFile,
  Scorecard,
  ScorecardQuery,
  type ScorecardRow,
  Settings,
  Task,
  TaskComment,
  TaskDetail,
  TaskExtension,
  TaskList,
  TaskListQuery,
  TaskParams,
  UpdateTask,
  VersionBody,
} from './schemas.js';
import type { TaskService } from './service.js';
import { contentDisposition, createTaskFiles, readReportFile } from './files.js';
import type { FileStore } from '../../platform/files/store.js';

const isoToVn = (value: string | null) => (value ? vnDateTime(new Date(value)) : null);
const dateCell = (value: string | null) => (value ? new Date(`${value}T00:00:00Z`) : null);

async function sendSheet<T>(reply: FastifyReply, fileName: string, sheet: string, columns: XlsxColumn<T>[], rows: T[]) {
  return sendXlsx(reply, fileName, await toXlsx(sheet, columns, rows));
}

const TASK_COLUMNS: XlsxColumn<Task>[] = [
  { header: 'Mã', value: (t) => t.code, width: 16 },
  { header: 'Nhiệm vụ', value: (t) => t.title, width: 48 },
  { header: 'Đơn vị giao', value: (t) => t.issuerUnit.name, width: 26 },
  { header: 'Đơn vị chủ trì', value: (t) => t.leadUnit?.name, width: 26 },
  { header: 'Người được giao', value: (t) => t.assignee?.fullName, width: 22 },
  { header: 'Hạn hoàn thành', value: (t) => dateCell(t.dueOn), format: 'dd/mm/yyyy', width: 14 },
  { header: 'Hạn ban đầu', value: (t) => dateCell(t.originalDueOn), format: 'dd/mm/yyyy', width: 14 },
  { header: 'Trạng thái', value: (t) => STATUS_LABELS[t.status as TaskStatus] ?? t.status, width: 16 },
  { header: 'Tình trạng hạn', value: (t) => (t.timeliness ? TIMELINESS_LABELS[t.timeliness as Timeliness] : null), width: 24 },
  { header: 'Tiến độ (%)', value: (t) => t.rolledProgress, width: 12 },
  { header: 'Nguồn', value: (t) => t.source?.ref ?? t.source?.kind ?? null, width: 22 },
  { header: 'Ban hành lúc', value: (t) => isoToVn(t.issuedAt), format: 'dd/mm/yyyy hh:mm', width: 18 },
  { header: 'Hoàn thành lúc', value: (t) => isoToVn(t.completedAt), format: 'dd/mm/yyyy hh:mm', width: 18 },
];

const SCORECARD_COLUMNS: XlsxColumn<ScorecardRow>[] = [
  { header: 'Đơn vị', value: (r) => r.unit?.name, width: 32 },
  { header: 'Tổng số nhiệm vụ', value: (r) => r.total, width: 14 },
  { header: 'Hoàn thành đúng hạn', value: (r) => r.completedOnTime, width: 14 },
  { header: 'Hoàn thành quá hạn', value: (r) => r.completedLate, width: 14 },
  { header: 'Đang thực hiện trong hạn', value: (r) => r.inProgressWithin, width: 14 },
  { header: 'Đang thực hiện quá hạn', value: (r) => r.inProgressOverdue, width: 14 },
  { header: 'Tỷ lệ đúng hạn (%)', value: (r) => r.onTimeRate, width: 14 },
  { header: 'Xếp hạng', value: (r) => r.rank, width: 10 },
];

export function taskRoutes(app: FastifyInstance, deps: { tasks: TaskService; files: FileStore }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { tasks } = deps;
  const taskFiles = createTaskFiles(deps);
  const tags = ['Nhiệm vụ (tasks)'];
  const base = '/api/v1/tasks';

  // ---- lists, scorecard, settings (fixed paths before /:id) ----
  r.get(base, { schema: { tags, querystring: TaskListQuery, response: { 200: TaskList } } }, async (req) => tasks.list(actorOf(req), req.query));
  r.get(`${base}/export.xlsx`, { schema: { tags, querystring: TaskListQuery } }, async (req, reply) => {
    const { items } = await tasks.list(actorOf(req), req.query, true);
    if (items.length > EXPORT_MAX_ROWS) {
      throw badRequest('EXPORT_TOO_LARGE', `Danh sách có hơn ${EXPORT_MAX_ROWS.toLocaleString('vi-VN')} dòng. Hãy lọc bớt trước khi xuất.`);
    }
    return sendSheet(reply, 'nhiem-vu', 'Nhiệm vụ', TASK_COLUMNS, items);
  });
  r.get(`${base}/scorecard`, { schema: { tags, querystring: ScorecardQuery, response: { 200: Scorecard } } }, async (req) => tasks.scorecard(actorOf(req), req.query));
  r.get(`${base}/scorecard.xlsx`, { schema: { tags, querystring: ScorecardQuery } }, async (req, reply) => {
    const card = await tasks.scorecard(actorOf(req), req.query);
    const total = { ...card.total, unit: { ...card.unit, name: `Tổng cộng: ${card.unit.name}` } };
    return sendSheet(reply, `nhiem-vu-xep-hang-${card.from}-${card.to}`, 'Kết quả thực hiện', SCORECARD_COLUMNS, [...card.rows, total]);
  });
  r.get(`${base}/settings`, { schema: { tags, response: { 200: Settings } } }, async (req) => tasks.settings(actorOf(req)));
  r.put(`${base}/settings`, { schema: { tags, body: Settings, response: { 200: Settings } } }, async (req) => tasks.updateSettings(actorOf(req), req.body));

  // ---- one task ----
  r.post(base, { schema: { tags, body: CreateTask, response: { 201: Task } } }, async (req, reply) => {
    reply.status(201);
    return tasks.create(actorOf(req), req.body);
  });
  r.get(`${base}/:id`, { schema: { tags, params: TaskParams, response: { 200: TaskDetail } } }, async (req) => tasks.get(actorOf(req), req.params.id));
  r.patch(`${base}/:id`, { schema: { tags, params: TaskParams, body: UpdateTask, response: { 200: Task } } }, async (req) => tasks.update(actorOf(req), req.params.id, req.body));
  r.post(`${base}/:id/issue`, { schema: { tags, params: TaskParams, body: IssueBody, response: { 200: Task } } }, async (req) => tasks.issue(actorOf(req), req.params.id, req.body));
  r.post(`${base}/:id/subtasks`, { schema: { tags, params: TaskParams, body: CreateSubtask, response: { 201: Task } } }, async (req, reply) => {
    reply.status(201);
    return tasks.createSubtask(actorOf(req), req.params.id, req.body);
  });
  // Multipart, one file in `file` (PDF, .docx, .xlsx, JPEG, PNG; 10 MB): stored for a report to come, which lists its key.
  r.post(`${base}/:id/files`, { schema: { tags, params: TaskParams, consumes: ['multipart/form-data'], response: { 201: UploadedFile } } }, async (req, reply) => {
    const actor = actorOf(req);
    const file = await readReportFile(req);
    const stored = await taskFiles.upload(actor, req.params.id, file);
    reply.status(201);
    return stored;
  });
  r.post(`${base}/:id/reports`, { schema: { tags, params: TaskParams, body: ReportBody, response: { 201: Task } } }, async (req, reply) => {
    const task = await taskFiles.report(actorOf(req), req.params.id, req.body);
    reply.status(201);
    return task;
  });
  r.get(`${base}/:id/reports/:reportId/files/:fileId`, { schema: { tags, params: ReportFileParams } }, async (req, reply) => {
    const file = await taskFiles.get(actorOf(req), req.params.id, req.params.reportId, req.params.fileId);
    return reply
      .type(file.contentType)
      .header('content-length', file.size)
      .header('content-disposition', contentDisposition(file.name))
      .header('cache-control', 'private, max-age=3600')
      .send(file.stream);
  });
  r.post(`${base}/:id/accept`, { schema: { tags, params: TaskParams, body: VersionBody, response: { 200: Task } } }, async (req) => tasks.accept(actorOf(req), req.params.id, req.body));
  r.post(`${base}/:id/return`, { schema: { tags, params: TaskParams, body: ReasonBody, response: { 200: Task } } }, async (req) => tasks.returnResult(actorOf(req), req.params.id, req.body));
  r.post(`${base}/:id/cancel`, { schema: { tags, params: TaskParams, body: ReasonBody, response: { 200: Task } } }, async (req) => tasks.cancel(actorOf(req), req.params.id, req.body));
  r.post(`${base}/:id/extensions`, { schema: { tags, params: TaskParams, body: ExtensionBody, response: { 201: TaskExtension } } }, async (req, reply) => {
    reply.status(201);
    return tasks.requestExtension(actorOf(req), req.params.id, req.body);
  });
  r.post(`${base}/:id/extensions/:extensionId/decision`, { schema: { tags, params: ExtensionParams, body: DecisionBody, response: { 200: Task } } }, async (req) =>
    tasks.decideExtension(actorOf(req), req.params.id, req.params.extensionId, req.body),
  );
  r.post(`${base}/:id/comments`, { schema: { tags, params: TaskParams, body: CommentBody, response: { 201: TaskComment } } }, async (req, reply) => {
    reply.status(201);
    return tasks.comment(actorOf(req), req.params.id, req.body);
  });
  r.put(`${base}/:id/watch`, { schema: { tags, params: TaskParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await tasks.watch(actorOf(req), req.params.id, true);
    return reply.status(204).send(null);
  });
  r.delete(`${base}/:id/watch`, { schema: { tags, params: TaskParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await tasks.watch(actorOf(req), req.params.id, false);
    return reply.status(204).send(null);
  });
}
