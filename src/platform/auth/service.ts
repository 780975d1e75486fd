import type { Config } from '../../config.js';
import { type Db, inTransaction } from '../../db/kysely.js';
import { recordAudit } from '../audit/audit.js';
import { AppError, badRequest, tooManyRequests, unauthenticated } from '../errors/errors.js';
import { countHit } from '../http/rate-limit.js';
import type { Actor, Role } from './actor.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import * as repo from './repo.js';
import type { SessionCache } from './session-cache.js';
import { parseApiKey, randomToken, sameSecret, sha256 } from './tokens.js';

export const SESSION_COOKIE = 'dh_session';

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Tên đăng nhập hoặc mật khẩu không đúng.');

type AuthConfig = Pick<Config, 'sessionIdleMinutes' | 'sessionAbsoluteHours' | 'loginMaxFailures' | 'loginLockMinutes'>;

/** Sign-in attempts one client address may make in a minute, counted across every instance. */
export const LOGIN_ATTEMPTS_PER_ADDRESS = 30;
/** Their counter (rate-limit.ts), named as a route's would be. */
const LOGIN_BUCKET = 'POST /api/v1/auth/login';

export function createAuthService(deps: { db: Db; config: AuthConfig; sessions: SessionCache }) {
  const { db, config, sessions } = deps;
  const changed = () => sessions.changed();

  async function actorForUser(userId: number, username: string, ip: string, session: { id: string; csrf: string } | null): Promise<Actor> {
    return {
      kind: 'user',
      userId,
      apiKeyId: null,
      username,
      grants: await repo.grantsOf(db, userId),
      sessionId: session?.id ?? null,
      csrfToken: session?.csrf ?? null,
      ip,
    };
  }

  return {
    /** Signs in; the same answer for an unknown name as for a wrong password. */
    async login(username: string, password: string, ip: string, userAgent: string | null) {
      // Per address, across every instance (the database counts); then the per-name lockout.
      const { hits, msLeft } = await countHit(db, LOGIN_BUCKET, ip, 60_000);
      if (hits > LOGIN_ATTEMPTS_PER_ADDRESS) {
        const seconds = Math.max(1, Math.ceil(msLeft / 1000));
        throw tooManyRequests(`Quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau ${seconds} giây.`);
      }
      const name = username.trim();
      const throttle = await repo.throttleOf(db, name);
      if (throttle?.locked_until && throttle.locked_until > new Date()) {
        const minutes = Math.ceil((throttle.locked_until.getTime() - Date.now()) / 60_000);
        throw tooManyRequests(
          `Đăng nhập sai quá ${config.loginMaxFailures} lần. Tài khoản tạm khóa, vui lòng thử lại sau ${minutes} phút.`,
          'ACCOUNT_LOCKED',
        );
      }
      const user = await repo.findUserForLogin(db, name);
      const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
      if (!user || !passwordOk || !user.active) {
        await repo.recordFailure(db, name, config.loginMaxFailures, config.loginLockMinutes);
        await recordAudit(db, null, { module: 'auth', action: 'login-failed', entityType: 'user', entityId: user?.id ?? null, after: { username: name, ip } });
        throw invalidCredentials();
      }
      const token = randomToken();
      const csrfToken = randomToken(24);
      const expiresAt = new Date(Date.now() + config.sessionAbsoluteHours * 3600_000);
      await inTransaction(db, async (trx) => {
        await repo.clearFailures(trx, name);
        await repo.insertSession(trx, { id: sha256(token), userId: user.id, csrfToken, ip, userAgent, expiresAt });
        await recordAudit(trx, { kind: 'user', userId: user.id, apiKeyId: null, username: user.username, grants: [], sessionId: null, csrfToken: null, ip }, {
          module: 'auth', action: 'login', entityType: 'user', entityId: user.id,
        });
      });
      return { token, expiresAt, actor: await actorForUser(user.id, user.username, ip, { id: sha256(token), csrf: csrfToken }) };
    },

    /** The signed-in person behind a session cookie, or null when there is none or it ended. */
    async fromSession(token: string, ip: string): Promise<Actor | null> {
      const id = sha256(token);
      const cached = sessions.get(id);
      if (cached) return { ...cached, ip };
      const s = await repo.findLiveSession(db, id, config.sessionIdleMinutes);
      if (!s?.active) return null;
      // Refresh the idle clock at most once a minute: a write per request would cost more than it tells.
      if (Date.now() - s.last_seen_at.getTime() > 60_000) await repo.touchSession(db, id);
      const actor = await actorForUser(s.user_id, s.username, ip, { id, csrf: s.csrf_token });
      sessions.set(id, actor);
      return actor;
    },

    /** The machine behind an API key, or null for a malformed, unknown or revoked key. */
    async fromApiKey(key: string, ip: string): Promise<Actor | null> {
      const parsed = parseApiKey(key);
      if (!parsed) return null;
      const row = await repo.findApiKey(db, parsed.prefix);
      if (!row || row.revoked_at || !row.active || !sameSecret(row.secret_hash, sha256(parsed.secret))) return null;
      if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) await repo.touchApiKey(db, row.id);
      return {
        kind: 'apiKey',
        userId: null,
        apiKeyId: row.id,
        username: `api-key:${row.name}`,
        grants: [{ id: 0, role: row.role as Role, orgUnitId: row.org_unit_id, orgUnitCode: row.code, orgUnitName: row.unit_name, path: row.path }],
        sessionId: null,
        csrfToken: null,
        ip,
      };
    },

    async logout(actor: Actor) {
      if (actor.sessionId) await repo.deleteSession(db, actor.sessionId);
      changed();
      await recordAudit(db, actor, { module: 'auth', action: 'logout', entityType: 'user', entityId: actor.userId });
    },

    async logoutEverywhere(actor: Actor) {
      if (actor.userId === null) throw unauthenticated();
      const ended = await repo.deleteSessionsOf(db, actor.userId);
      changed();
      await recordAudit(db, actor, { module: 'auth', action: 'logout-all', entityType: 'user', entityId: actor.userId, after: { sessionsEnded: ended } });
    },

    async changePassword(actor: Actor, current: string, next: string) {
      if (actor.userId === null) throw unauthenticated();
      const user = await repo.findUserForLogin(db, actor.username);
      if (!user || !(await verifyPassword(user.password_hash, current))) {
        throw badRequest('WRONG_PASSWORD', 'Mật khẩu hiện tại không đúng.');
      }
      const problem = passwordProblem(next, user.username);
      if (problem) throw badRequest('WEAK_PASSWORD', problem);
      const passwordHash = await hashPassword(next);
      await inTransaction(db, async (trx) => {
        await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: new Date(), updated_at: new Date() }).where('id', '=', user.id).execute();
        // Every other session ends: whoever knew the old password is out.
        await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', actor.sessionId ?? '').execute();
        await recordAudit(trx, actor, { module: 'auth', action: 'change-password', entityType: 'user', entityId: user.id });
      });
      changed();
    },

    sweepSessions: () => repo.deleteExpiredSessions(db, config.sessionIdleMinutes),
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
