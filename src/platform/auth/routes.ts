import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import type { UserService } from '../users/service.js';
import { type Actor, scopePaths } from './actor.js';
import { actorOf } from './hook.js';
import { ChangePasswordBody, LoginBody, MeResponse } from './schemas.js';
import { type AuthService, SESSION_COOKIE } from './service.js';

export function authRoutes(app: FastifyInstance, deps: { auth: AuthService; users: UserService; config: Pick<Config, 'secureCookies'> }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, users, config } = deps;
  const tags = ['Đăng nhập (auth)'];

  async function me(actor: Actor) {
    const profile = actor.userId ? await users.profile(actor.userId) : undefined;
    const top = new Set(scopePaths(actor, ['administrator', 'leader', 'operator', 'officer', 'citizen']));
    const scope = actor.grants.filter((g) => top.has(g.path)).map((g) => ({ id: g.orgUnitId, code: g.orgUnitCode, name: g.orgUnitName }));
    return {
      user: {
        id: actor.userId,
        username: actor.username,
        fullName: profile?.full_name ?? actor.username,
        email: profile?.email ?? null,
        phone: profile?.phone ?? null,
        grants: actor.grants.map(({ path: _p, ...g }) => g),
        scope: [...new Map(scope.map((s) => [s.id, s])).values()],
      },
      csrfToken: actor.csrfToken,
    };
  }

  function clearCookie(reply: FastifyReply) {
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
  }

  r.post(
    '/api/v1/auth/login',
    {
      schema: { tags, body: LoginBody, response: { 200: MeResponse } },
      // Both limits live in the database and hold across instances: per address (auth.login) and the per-name lockout.
      config: { public: true },
    },
    async (req, reply) => {
      const { token, expiresAt, actor } = await auth.login(req.body.username, req.body.password, req.ip, req.headers['user-agent'] ?? null);
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, expires: expiresAt });
      return me(actor);
    },
  );

  r.get('/api/v1/auth/me', { schema: { tags, response: { 200: MeResponse } } }, async (req) => me(actorOf(req)));

  r.post('/api/v1/auth/logout', { schema: { tags }, config: { public: true } }, async (req, reply) => {
    if (req.actor) await auth.logout(req.actor);
    clearCookie(reply);
    return reply.status(204).send();
  });

  r.post('/api/v1/auth/logout-all', { schema: { tags } }, async (req, reply) => {
    await auth.logoutEverywhere(actorOf(req));
    clearCookie(reply);
    return reply.status(204).send();
  });

  r.post('/api/v1/auth/password', { schema: { tags, body: ChangePasswordBody } }, async (req, reply) => {
    await auth.changePassword(actorOf(req), req.body.currentPassword, req.body.newPassword);
    return reply.status(204).send();
  });
}
