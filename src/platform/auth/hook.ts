import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, unauthenticated } from '../errors/errors.js';
import type { Actor } from './actor.js';
import { type AuthService, SESSION_COOKIE } from './service.js';
import { sameSecret } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Answers without a signed-in actor (signing in and out); every other /api/v1 route is 401 first. */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in actor of a request; 401 when there is none. Every protected route starts here. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/**
 * Who is calling, from `Authorization: Bearer <api key>` or the session cookie; null without
 * either. An API key that is sent but not valid is an error, never an anonymous request.
 */
export async function resolveActor(auth: AuthService, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const actor = await auth.fromApiKey(header.slice(7).trim(), request.ip);
    if (!actor) throw new AppError(401, 'INVALID_API_KEY', 'Khóa API không hợp lệ hoặc đã bị thu hồi.');
    return actor;
  }
  const token = request.cookies[SESSION_COOKIE];
  return token ? auth.fromSession(token, request.ip) : null;
}

/**
 * Resolves who is calling, from `Authorization: Bearer <api key>` or the session cookie, and
 * refuses cookie-authenticated writes that do not carry the session's CSRF token (a page on
 * another site can make the browser send the cookie, but cannot read the token).
 * It runs on request, before the body is read or checked: a caller without a session gets 401
 * on every /api/v1 route not marked `config: { public: true }`, never a validation answer.
 */
export function registerAuthHook(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    request.actor = await resolveActor(auth, request);
    if (request.actor?.kind === 'user' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !request.actor.csrfToken || !sameSecret(sent, request.actor.csrfToken)) {
        throw new AppError(403, 'CSRF_TOKEN_INVALID', 'Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF). Hãy tải lại trang.');
      }
    }
    if (!request.actor && request.url.startsWith('/api/v1/') && !request.is404 && !request.routeOptions.config.public) {
      throw unauthenticated();
    }
  });
}
