import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/hook.js';
import { listResponse, sendList } from '../http/list.js';
import { IdParams } from '../http/params.js';
import type { OrgUnitImporter } from './import.js';
import { CreateOrgUnit, ImportResult, MoveOrgUnit, OrgUnit, OrgUnitListItem, OrgUnitListQuery, OrgUnitNode, UpdateOrgUnit } from './schemas.js';
import type { OrgUnitService } from './service.js';

const KIND_LABELS: Record<string, string> = { province: 'Tỉnh/Thành phố', district: 'Huyện/Quận/Thị xã', commune: 'Xã/Phường/Thị trấn', agency: 'Cơ quan' };

export function orgUnitRoutes(app: FastifyInstance, deps: { orgUnits: OrgUnitService; importer: OrgUnitImporter }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { orgUnits, importer } = deps;
  const tags = ['Đơn vị (org units)'];

  r.get('/api/v1/org-units', { schema: { tags, querystring: OrgUnitListQuery, response: { 200: listResponse(OrgUnitListItem) } } }, async (req, reply) => {
    const result = await orgUnits.list(actorOf(req), req.query);
    return sendList(reply, req.query, result, {
      fileName: 'don-vi',
      sheet: 'Đơn vị',
      columns: [
        { header: 'Mã', value: (u) => u.code, width: 16 },
        { header: 'Tên đơn vị', value: (u) => u.name, width: 36 },
        { header: 'Loại', value: (u) => KIND_LABELS[u.kind] ?? u.kind },
        { header: 'Cấp', value: (u) => u.level, width: 6 },
        { header: 'Đơn vị cấp trên (ID)', value: (u) => u.parentId },
        { header: 'Hoạt động', value: (u) => (u.active ? 'Có' : 'Không'), width: 10 },
        { header: 'Vĩ độ', value: (u) => u.lat, width: 10 },
        { header: 'Kinh độ', value: (u) => u.lng, width: 10 },
        { header: 'Số đơn vị trực thuộc', value: (u) => u.childCount },
      ],
    });
  });

  r.get(
    '/api/v1/org-units/tree',
    {
      schema: {
        tags,
        querystring: Type.Object({ rootId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(OrgUnitNode) }) },
      },
    },
    async (req) => ({ items: await orgUnits.tree(actorOf(req), req.query.rootId) }),
  );

  r.get('/api/v1/org-units/:id', { schema: { tags, params: IdParams, response: { 200: OrgUnit } } }, async (req) =>
    orgUnits.get(actorOf(req), req.params.id),
  );

  r.post('/api/v1/org-units', { schema: { tags, body: CreateOrgUnit, response: { 201: OrgUnit } } }, async (req, reply) => {
    reply.status(201);
    return orgUnits.create(actorOf(req), req.body);
  });

  r.patch('/api/v1/org-units/:id', { schema: { tags, params: IdParams, body: UpdateOrgUnit, response: { 200: OrgUnit } } }, async (req) =>
    orgUnits.update(actorOf(req), req.params.id, req.body),
  );

  r.post('/api/v1/org-units/:id/move', { schema: { tags, params: IdParams, body: MoveOrgUnit, response: { 200: OrgUnit } } }, async (req) =>
    orgUnits.move(actorOf(req), req.params.id, req.body.parentId),
  );

  r.post('/api/v1/org-units/:id/deactivate', { schema: { tags, params: IdParams, response: { 200: OrgUnit } } }, async (req) =>
    orgUnits.setActive(actorOf(req), req.params.id, false),
  );

  r.post('/api/v1/org-units/:id/activate', { schema: { tags, params: IdParams, response: { 200: OrgUnit } } }, async (req) =>
    orgUnits.setActive(actorOf(req), req.params.id, true),
  );

  r.post(
    '/api/v1/org-units/import',
    {
      schema: {
        tags,
        consumes: ['multipart/form-data'],
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false }),
        response: { 200: ImportResult },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const file = await importer.readUpload(req);
      return importer.run(actor, file, req.query.dryRun ?? true);
    },
  );
}
