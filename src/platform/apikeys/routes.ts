import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/hook.js';
import { listResponse, sendList } from '../http/list.js';
import { IdParams } from '../http/params.js';
import { vnDateTime } from '../http/xlsx.js';
import { ApiKey, ApiKeyListQuery, CreateApiKey } from './schemas.js';
import type { ApiKeyService } from './service.js';

export function apiKeyRoutes(app: FastifyInstance, deps: { apiKeys: ApiKeyService }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { apiKeys } = deps;
  const tags = ['Khóa API (API keys)'];

  r.get('/api/v1/api-keys', { schema: { tags, querystring: ApiKeyListQuery, response: { 200: listResponse(ApiKey) } } }, async (req, reply) => {
    const result = await apiKeys.list(actorOf(req), req.query);
    return sendList(reply, req.query, result, {
      fileName: 'khoa-api',
      sheet: 'Khóa API',
      columns: [
        { header: 'Tên', value: (k) => k.name, width: 28 },
        { header: 'Tiền tố', value: (k) => k.prefix },
        { header: 'Vai trò', value: (k) => k.role },
        { header: 'Đơn vị', value: (k) => k.orgUnitName, width: 30 },
        { header: 'Người tạo', value: (k) => k.createdBy },
        { header: 'Ngày tạo', value: (k) => vnDateTime(new Date(k.createdAt)), format: 'dd/mm/yyyy hh:mm' },
        { header: 'Dùng lần cuối', value: (k) => vnDateTime(k.lastUsedAt ? new Date(k.lastUsedAt) : null), format: 'dd/mm/yyyy hh:mm' },
        { header: 'Thu hồi lúc', value: (k) => vnDateTime(k.revokedAt ? new Date(k.revokedAt) : null), format: 'dd/mm/yyyy hh:mm' },
      ],
    });
  });

  r.post(
    '/api/v1/api-keys',
    { schema: { tags, body: CreateApiKey, response: { 201: Type.Object({ apiKey: ApiKey, secret: Type.String() }) } } },
    async (req, reply) => {
      reply.status(201);
      return apiKeys.create(actorOf(req), req.body);
    },
  );

  r.post('/api/v1/api-keys/:id/revoke', { schema: { tags, params: IdParams, response: { 200: ApiKey } } }, async (req) =>
    apiKeys.revoke(actorOf(req), req.params.id),
  );
}
