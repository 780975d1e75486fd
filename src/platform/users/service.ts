import { type Db, inTransaction, type Queryable } from '../../db/kysely.js';
import { type Actor, type Grant, isInScope, requireRole, scopePaths, ADMIN_ROLES, STAFF_ROLES } from '../auth/actor.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { recordAudit } from '../audit/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../errors/errors.js';
import { type ListParams, type ListResult, pageOf, sortOf } from '../http/list.js';
import type { OrgUnitService } from '../orgunits/service.js';
import type { SessionCache } from '../auth/session-cache.js';
import * as repo from './repo.js';
import type { CreateUser, DirectoryEntry, DirectoryQuery, GrantInput, UpdateUser, User, UserListQuery } from './schemas.js';

/** A user as an administrator sees them: only the grants within the administrator's own scope. */
function toUser(row: repo.UserRow, grants: Grant[], viewer: Actor): User {
  const visibleGrants = grants.filter((g) => isInScope(viewer, g.path, ADMIN_ROLES));
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    email: row.email,
    phone: row.phone,
    orgUnitId: row.org_unit_id,
    orgUnitName: row.unit_name,
    active: row.active,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    grants: visibleGrants.map(({ path: _path, ...g }) => g),
  };
}

/** At most this many people in one directory answer: enough for a unit's subtree, type to narrow. */
const DIRECTORY_LIMIT = 200;

export function createUserService(deps: { db: Db; orgUnits: OrgUnitService; sessions: SessionCache }) {
  const { db, orgUnits, sessions } = deps;

  /** The account, or 404 when it does not exist or belongs to a unit outside the actor's administration. */
  async function seenBy(q: Queryable, actor: Actor, id: number): Promise<repo.UserRow> {
    requireRole(actor, ADMIN_ROLES);
    const row = await repo.findById(q, id);
    if (!row || !isInScope(actor, row.unit_path, ADMIN_ROLES)) throw notFound('người dùng');
    return row;
  }

  /**
   * The account, when the actor may change it: besides its unit, every grant it holds must lie
   * within the actor's administration, or a district administrator could take over (reset the
   * password of) a province-wide account whose home unit happens to be in the district.
   */
  async function manageable(q: Queryable, actor: Actor, id: number): Promise<repo.UserRow> {
    const row = await seenBy(q, actor, id);
    const grants = (await repo.grantsByUser(q, [id])).get(id) ?? [];
    if (grants.some((g) => !isInScope(actor, g.path, ADMIN_ROLES))) {
      throw forbidden('Người dùng này có quyền ở đơn vị ngoài phạm vi quản trị của bạn; hãy nhờ quản trị viên cấp trên.');
    }
    return row;
  }

  async function present(q: Queryable, viewer: Actor, id: number): Promise<User> {
    const row = (await repo.findById(q, id))!;
    const grants = await repo.grantsByUser(q, [id]);
    return toUser(row, grants.get(id) ?? [], viewer);
  }

  async function checkGrant(q: Queryable, actor: Actor, g: GrantInput) {
    // A grant can only hand out what the administrator holds: units inside their own scope.
    await orgUnits.visible(q, actor, g.orgUnitId, ADMIN_ROLES);
  }

  return {
    async list(actor: Actor, query: UserListQuery): Promise<ListResult<User>> {
      requireRole(actor, ADMIN_ROLES);
      const sort = sortOf(
        query.sort,
        { username: 'u.username', fullName: 'u.full_name', createdAt: 'u.created_at', lastLoginAt: 'u.last_login_at', orgUnitName: 'o.name' } as const,
        { column: 'u.username', direction: 'asc' },
      );
      const unitPath = query.orgUnitId ? (await orgUnits.visible(db, actor, query.orgUnitId, ADMIN_ROLES)).path : undefined;
      const { rows, total } = await repo.list(
        db,
        { scope: scopePaths(actor, ADMIN_ROLES), unitPath, role: query.role, active: query.active, q: query.q },
        sort,
        pageOf(query as ListParams),
      );
      const grants = await repo.grantsByUser(db, rows.map((r) => r.id));
      return { items: rows.map((r) => toUser(r, grants.get(r.id) ?? [], actor)), total };
    },

    /**
     * The staff of a unit's subtree (default: the actor's whole scope) for any staff member, to
     * choose a person by name (rõ người of a task); a unit outside the scope is 404.
     */
    async directory(actor: Actor, query: DirectoryQuery): Promise<{ items: DirectoryEntry[] }> {
      requireRole(actor, STAFF_ROLES);
      const unitPath = query.unitId ? (await orgUnits.visible(db, actor, query.unitId)).path : undefined;
      const rows = await repo.directory(db, { scope: scopePaths(actor), unitPath, q: query.q?.trim() || undefined }, DIRECTORY_LIMIT);
      return { items: rows.map((r) => ({ id: r.id, username: r.username, fullName: r.full_name, orgUnitId: r.org_unit_id, unitName: r.unit_name })) };
    },

    async get(actor: Actor, id: number): Promise<User> {
      await seenBy(db, actor, id);
      return present(db, actor, id);
    },

    async create(actor: Actor, input: CreateUser): Promise<User> {
      requireRole(actor, ADMIN_ROLES);
      const problem = passwordProblem(input.password, input.username);
      if (problem) throw badRequest('WEAK_PASSWORD', problem);
      const passwordHash = await hashPassword(input.password);
      const id = await inTransaction(db, async (trx) => {
        const homeUnitId = input.orgUnitId ?? input.grants[0].orgUnitId;
        await orgUnits.visible(trx, actor, homeUnitId, ADMIN_ROLES);
        for (const g of input.grants) await checkGrant(trx, actor, g);
        if (await repo.usernameTaken(trx, input.username)) {
          throw conflict('USERNAME_TAKEN', `Tên đăng nhập "${input.username}" đã có người dùng.`);
        }
        const newId = await repo.insert(trx, {
          username: input.username,
          fullName: input.fullName.trim(),
          email: input.email ?? null,
          phone: input.phone ?? null,
          orgUnitId: homeUnitId,
          passwordHash,
        });
        for (const g of input.grants) await repo.addGrant(trx, newId, g.role, g.orgUnitId);
        await recordAudit(trx, actor, {
          module: 'users', action: 'create', entityType: 'user', entityId: newId, orgUnitId: homeUnitId,
          after: { username: input.username, fullName: input.fullName, email: input.email ?? null, phone: input.phone ?? null, grants: input.grants },
        });
        return newId;
      });
      return present(db, actor, id);
    },

    async update(actor: Actor, id: number, input: UpdateUser): Promise<User> {
      await inTransaction(db, async (trx) => {
        const before = await manageable(trx, actor, id);
        if (input.active === false && id === actor.userId) {
          throw badRequest('CANNOT_DISABLE_SELF', 'Bạn không thể tự khóa tài khoản của mình.');
        }
        const changes = { full_name: input.fullName?.trim(), email: input.email, phone: input.phone, active: input.active };
        await repo.update(trx, id, changes);
        if (input.active === false) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await recordAudit(trx, actor, {
          module: 'users', action: 'update', entityType: 'user', entityId: id, orgUnitId: before.org_unit_id,
          before: { fullName: before.full_name, email: before.email, phone: before.phone, active: before.active },
          after: { ...input },
        });
      });
      sessions.changed();
      return present(db, actor, id);
    },

    async addGrant(actor: Actor, id: number, grant: GrantInput): Promise<User> {
      await inTransaction(db, async (trx) => {
        const user = await manageable(trx, actor, id);
        await checkGrant(trx, actor, grant);
        await repo.addGrant(trx, id, grant.role, grant.orgUnitId);
        await recordAudit(trx, actor, { module: 'users', action: 'grant', entityType: 'user', entityId: id, orgUnitId: user.org_unit_id, after: grant });
      });
      sessions.changed();
      return present(db, actor, id);
    },

    async removeGrant(actor: Actor, id: number, grantId: number): Promise<User> {
      await inTransaction(db, async (trx) => {
        const user = await manageable(trx, actor, id);
        const grant = await repo.findGrant(trx, id, grantId);
        if (!grant || !isInScope(actor, grant.path, ADMIN_ROLES)) throw notFound('quyền');
        if (id === actor.userId && grant.role === 'administrator') {
          throw badRequest('CANNOT_REMOVE_OWN_ADMIN', 'Bạn không thể tự gỡ quyền quản trị của mình.');
        }
        await repo.deleteGrant(trx, grantId);
        await recordAudit(trx, actor, {
          module: 'users', action: 'revoke-grant', entityType: 'user', entityId: id, orgUnitId: user.org_unit_id,
          before: { role: grant.role, orgUnitId: grant.org_unit_id },
        });
      });
      sessions.changed();
      return present(db, actor, id);
    },

    async resetPassword(actor: Actor, id: number, password: string): Promise<void> {
      const user = await manageable(db, actor, id);
      const problem = passwordProblem(password, user.username);
      if (problem) throw badRequest('WEAK_PASSWORD', problem);
      const passwordHash = await hashPassword(password);
      await inTransaction(db, async (trx) => {
        await repo.setPassword(trx, id, passwordHash);
        await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await recordAudit(trx, actor, { module: 'users', action: 'reset-password', entityType: 'user', entityId: id, orgUnitId: user.org_unit_id });
      });
      sessions.changed();
    },

    async unlock(actor: Actor, id: number): Promise<User> {
      await inTransaction(db, async (trx) => {
        const user = await manageable(trx, actor, id);
        await trx.deleteFrom('login_throttle').where('username', '=', user.username.toLowerCase()).execute();
        await recordAudit(trx, actor, { module: 'users', action: 'unlock', entityType: 'user', entityId: id, orgUnitId: user.org_unit_id });
      });
      return present(db, actor, id);
    },

    /** The signed-in person's own profile (any role). */
    async profile(userId: number) {
      return repo.findById(db, userId);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
