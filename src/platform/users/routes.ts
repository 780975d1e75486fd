import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../auth/hook.js';
import { listResponse, sendList } from '../http/list.js';
import { IdParams } from '../http/params.js';
import { vnDateTime } from '../http/xlsx.js';
import { CreateUser, Directory, DirectoryQuery, GrantInput, GrantParams, ResetPassword, UpdateUser, User, UserListQuery } from './schemas.js';
import type { UserService } from './service.js';

export const ROLE_LABELS: Record<string, string> = {
  administrator: 'Quản trị',
  leader: 'Lãnh đạo',
  operator: 'Điều hành viên',
  officer: 'Cán bộ xử lý',
  citizen: 'Người dân',
};

export function userRoutes(app: FastifyInstance, deps: { users: UserService }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { users } = deps;
  const tags = ['Người dùng (users)'];

  r.get('/api/v1/users', { schema: { tags, querystring: UserListQuery, response: { 200: listResponse(User) } } }, async (req, reply) => {
    const result = await users.list(actorOf(req), req.query);
    return sendList(reply, req.query, result, {
      fileName: 'nguoi-dung',
      sheet: 'Người dùng',
      columns: [
        { header: 'Tên đăng nhập', value: (u) => u.username },
        { header: 'Họ và tên', value: (u) => u.fullName, width: 28 },
        { header: 'Đơn vị', value: (u) => u.orgUnitName, width: 30 },
        { header: 'Email', value: (u) => u.email, width: 26 },
        { header: 'Điện thoại', value: (u) => u.phone },
        { header: 'Hoạt động', value: (u) => (u.active ? 'Có' : 'Không'), width: 10 },
        { header: 'Quyền', value: (u) => u.grants.map((g) => `${ROLE_LABELS[g.role] ?? g.role} – ${g.orgUnitName}`).join('; '), width: 50 },
        { header: 'Đăng nhập lần cuối', value: (u) => vnDateTime(u.lastLoginAt ? new Date(u.lastLoginAt) : null), format: 'dd/mm/yyyy hh:mm' },
      ],
    });
  });

  // Any staff member: the colleagues of a unit's subtree within their scope (a people picker).
  r.get('/api/v1/users/directory', { schema: { tags, querystring: DirectoryQuery, response: { 200: Directory } } }, async (req) =>
    users.directory(actorOf(req), req.query),
  );

  r.get('/api/v1/users/:id', { schema: { tags, params: IdParams, response: { 200: User } } }, async (req) => users.get(actorOf(req), req.params.id));

  r.post('/api/v1/users', { schema: { tags, body: CreateUser, response: { 201: User } } }, async (req, reply) => {
    reply.status(201);
    return users.create(actorOf(req), req.body);
  });

  r.patch('/api/v1/users/:id', { schema: { tags, params: IdParams, body: UpdateUser, response: { 200: User } } }, async (req) =>
    users.update(actorOf(req), req.params.id, req.body),
  );

  r.post('/api/v1/users/:id/grants', { schema: { tags, params: IdParams, body: GrantInput, response: { 200: User } } }, async (req) =>
    users.addGrant(actorOf(req), req.params.id, req.body),
  );

  r.delete('/api/v1/users/:id/grants/:grantId', { schema: { tags, params: GrantParams, response: { 200: User } } }, async (req) =>
    users.removeGrant(actorOf(req), req.params.id, req.params.grantId),
  );

  r.post('/api/v1/users/:id/password', { schema: { tags, params: IdParams, body: ResetPassword } }, async (req, reply) => {
    await users.resetPassword(actorOf(req), req.params.id, req.body.password);
    return reply.status(204).send();
  });

  r.post('/api/v1/users/:id/unlock', { schema: { tags, params: IdParams, response: { 200: User } } }, async (req) =>
    users.unlock(actorOf(req), req.params.id),
  );
}
