import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/hook.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { IdParams } from '../../platform/http/params.js';
import { XLSX_TYPE, sendXlsx } from '../../platform/http/xlsx.js';
import { overviewDocx, overviewXlsx } from './export.js';
import type { BreakthroughOverview } from './overview.js';
import {
  CreateRegistration,
  ItemBody,
  ItemParams,
  Overview,
  OverviewQuery,
  Registration,
  RegistrationListQuery,
  RegistrationSummary,
  ReturnBody,
  ReviewBody,
  VersionBody,
  VersionQuery,
} from './schemas.js';
import type { BreakthroughService } from './service.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const safe = (code: string) => code.replace(/[^A-Za-z0-9_-]/g, '-');
const binary = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });

/** Every /api/v1/breakthrough route: the lists and their items, the workflow, the overview and its files. */
export function breakthroughRoutes(app: FastifyInstance, deps: { breakthrough: BreakthroughService; overview: BreakthroughOverview; directory: OrgUnitDirectory }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { breakthrough, overview, directory } = deps;
  const tags = ['Công việc đột phá (breakthrough)'];
  const base = '/api/v1/breakthrough';

  r.get(
    `${base}/registrations`,
    { schema: { tags, summary: 'Danh sách công việc đột phá của các đơn vị', querystring: RegistrationListQuery, response: { 200: Type.Object({ items: Type.Array(RegistrationSummary), total: Type.Integer() }) } } },
    async (req) => breakthrough.list(actorOf(req), req.query),
  );
  r.post(`${base}/registrations`, { schema: { tags, summary: 'Lập danh sách công việc đột phá của một đơn vị cho một năm', body: CreateRegistration, response: { 201: Registration } } }, async (req, reply) => {
    reply.status(201);
    return breakthrough.create(actorOf(req), req.body);
  });
  r.get(`${base}/registrations/:id`, { schema: { tags, params: IdParams, response: { 200: Registration } } }, async (req) => breakthrough.get(actorOf(req), req.params.id));
  r.post(`${base}/registrations/:id/items`, { schema: { tags, summary: 'Thêm một công việc', params: IdParams, body: ItemBody, response: { 201: Registration } } }, async (req, reply) => {
    reply.status(201);
    return breakthrough.addItem(actorOf(req), req.params.id, req.body);
  });
  r.patch(`${base}/registrations/:id/items/:itemId`, { schema: { tags, summary: 'Sửa một công việc (danh sách dự thảo hoặc bị trả lại)', params: ItemParams, body: ItemBody, response: { 200: Registration } } }, async (req) =>
    breakthrough.updateItem(actorOf(req), req.params.id, req.params.itemId, req.body),
  );
  r.delete(`${base}/registrations/:id/items/:itemId`, { schema: { tags, summary: 'Xóa một công việc', params: ItemParams, querystring: VersionQuery, response: { 200: Registration } } }, async (req) =>
    breakthrough.deleteItem(actorOf(req), req.params.id, req.params.itemId, req.query.version),
  );
  r.post(
    `${base}/registrations/:id/submit`,
    { schema: { tags, summary: 'Trình Ban Thường vụ cấp trên (từ chối khi có công việc chưa đủ "5 rõ")', params: IdParams, body: VersionBody, response: { 200: Registration } } },
    async (req) => breakthrough.submit(actorOf(req), req.params.id, req.body.version),
  );
  r.post(
    `${base}/registrations/:id/approve`,
    { schema: { tags, summary: 'Phê duyệt: mỗi công việc thành một nhiệm vụ giao theo "5 rõ"', params: IdParams, body: VersionBody, response: { 200: Registration } } },
    async (req) => breakthrough.approve(actorOf(req), req.params.id, req.body.version),
  );
  r.post(`${base}/registrations/:id/return`, { schema: { tags, summary: 'Trả lại kèm ý kiến', params: IdParams, body: ReturnBody, response: { 200: Registration } } }, async (req) =>
    breakthrough.returnList(actorOf(req), req.params.id, req.body.version, req.body.comments),
  );
  r.put(`${base}/registrations/:id/items/:itemId/review`, { schema: { tags, summary: 'Đánh giá cuối năm một công việc', params: ItemParams, body: ReviewBody, response: { 200: Registration } } }, async (req) =>
    breakthrough.review(actorOf(req), req.params.id, req.params.itemId, req.body),
  );

  r.get(`${base}/overview`, { schema: { tags, summary: 'Công việc đột phá của mọi đơn vị trong một năm, tiến độ và đánh giá', querystring: OverviewQuery, response: { 200: Overview } } }, async (req) =>
    overview.overview(actorOf(req), req.query),
  );
  r.get(`${base}/overview.xlsx`, { schema: { tags, querystring: OverviewQuery, response: { 200: binary(XLSX_TYPE, 'The overview as a spreadsheet') } } }, async (req, reply) => {
    const o = await overview.overview(actorOf(req), req.query);
    return sendXlsx(reply, `cong-viec-dot-pha-${o.year}-${safe(o.unit.code)}`, await overviewXlsx(o));
  });
  r.get(`${base}/overview.docx`, { schema: { tags, querystring: OverviewQuery, response: { 200: binary(DOCX, 'The overview as a report (Decree 30 layout)') } } }, async (req, reply) => {
    const o = await overview.overview(actorOf(req), req.query);
    const snapshot = await directory.snapshot();
    const unit = snapshot.byId.get(o.unit.id);
    const ancestors = (unit?.pathIds ?? []).slice(0, -1).flatMap((id) => {
      const a = snapshot.byId.get(id);
      return a ? [{ kind: a.kind, name: a.name }] : [];
    });
    const body = await overviewDocx(o, { unitKind: unit?.kind ?? 'province', ancestors, issuedOn: businessDateOf(new Date()) });
    return reply
      .type(DOCX)
      .header('content-disposition', `attachment; filename="bao-cao-cong-viec-dot-pha-${o.year}-${safe(o.unit.code)}.docx"`)
      .header('cache-control', 'no-store')
      .send(body);
  });
}
