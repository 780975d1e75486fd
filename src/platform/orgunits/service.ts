import { type Db, inTransaction, type Queryable } from '../../db/kysely.js';
import { type Actor, type Role, STAFF_ROLES, isInScope, requireRole, requireScope, scopePaths, ADMIN_ROLES } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.js';
import type { Bus } from '../bus/bus.js';
import { badRequest, conflict, notFound } from '../errors/errors.js';
import { type ListParams, type ListResult, pageOf, sortOf } from '../http/list.js';
import { foldVietnamese } from '../text/fold.js';
import { type OrgUnitDirectory, type Snapshot, type UnitEntry, subtreeOf } from './directory.js';
import * as repo from './repo.js';
import type { CreateOrgUnit, OrgUnit, OrgUnitListItem, OrgUnitListQuery, OrgUnitNode, UpdateOrgUnit } from './schemas.js';

/** Vietnamese alphabetical order (ă after a, đ after d…), for names sorted in memory. */
const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

type SortColumn = 'code' | 'name' | 'kind' | 'level' | 'path';

function compareBy(column: SortColumn): (a: UnitEntry, b: UnitEntry) => number {
  if (column === 'level') return (a, b) => a.level - b.level;
  if (column === 'path') return (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return (a, b) => collator.compare(a[column], b[column]);
}

export function toListItem(u: UnitEntry): OrgUnitListItem {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parentId,
    level: u.level,
    active: u.active,
    lat: u.lat,
    lng: u.lng,
    hasBoundary: u.hasBoundary,
    childCount: u.childCount,
    path: u.pathIds,
  };
}

/** Every unit the actor may see (or those under `rootPath`), in path order. */
function visibleUnits(snapshot: Snapshot, actor: Actor, rootPath?: string): UnitEntry[] {
  const roots = rootPath ? [rootPath] : scopePaths(actor);
  return roots.flatMap((p) => subtreeOf(snapshot, p));
}

export function toOrgUnit(row: repo.OrgUnitRow, childCount: number): OrgUnit {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    parentId: row.parent_id,
    level: row.level,
    active: row.active,
    lat: row.lat,
    lng: row.lng,
    boundary: row.boundary ?? null,
    childCount,
    path: row.path.split('/').filter(Boolean).map(Number),
  };
}

/** A unit's rows as the audit log keeps them. */
const snapshot = (r: repo.OrgUnitRow) => ({
  code: r.code,
  name: r.name,
  kind: r.kind,
  parentId: r.parent_id,
  active: r.active,
  lat: r.lat,
  lng: r.lng,
  boundary: r.boundary ?? null,
});

export function checkBoundary(boundary: unknown): void {
  if (boundary == null) return;
  const b = boundary as { type: string; coordinates: unknown };
  const isPosition = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
  const isRing = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.every(isPosition);
  const isPolygon = (p: unknown) => Array.isArray(p) && p.length >= 1 && p.every(isRing);
  const ok = b.type === 'Polygon' ? isPolygon(b.coordinates) : Array.isArray(b.coordinates) && b.coordinates.every(isPolygon);
  if (!ok) {
    throw badRequest('INVALID_BOUNDARY', 'Ranh giới phải là GeoJSON Polygon/MultiPolygon hợp lệ (kinh độ, vĩ độ; mỗi vòng ít nhất 4 điểm).');
  }
}

export function createOrgUnitService(deps: { db: Db; bus: Bus; directory: OrgUnitDirectory }) {
  const { db, bus, directory } = deps;

  /** The unit, or 404 when it does not exist or lies outside what the actor may see. */
  async function visible(q: Queryable, actor: Actor, id: number, roles: readonly Role[] = STAFF_ROLES): Promise<repo.OrgUnitRow> {
    const row = await repo.findById(q, id);
    if (!row || !isInScope(actor, row.path, roles)) throw notFound('đơn vị');
    return row;
  }

  async function present(q: Queryable, row: repo.OrgUnitRow): Promise<OrgUnit> {
    const counts = await repo.countChildren(q, [row.id]);
    return toOrgUnit(row, counts.get(row.id) ?? 0);
  }

  /** The unit from the in-memory tree, or 404 when it does not exist or lies outside the actor's scope. */
  async function seen(actor: Actor, id: number): Promise<{ snapshot: Snapshot; unit: UnitEntry }> {
    const snapshot = await directory.snapshot();
    const unit = snapshot.byId.get(id);
    if (!unit || !isInScope(actor, unit.path, STAFF_ROLES)) throw notFound('đơn vị');
    return { snapshot, unit };
  }

  /** After a committed change: this instance forgets its tree now, the others when the bus tells them. */
  function publishChange(row: repo.OrgUnitRow, action: string) {
    directory.invalidate();
    bus.publish({ type: 'orgUnit.changed', orgUnitPath: row.path, orgUnitId: row.id, payload: { id: row.id, action } });
  }

  return {
    visible,

    async get(actor: Actor, id: number): Promise<OrgUnit> {
      requireRole(actor, STAFF_ROLES);
      return present(db, await visible(db, actor, id));
    },

    async list(actor: Actor, query: OrgUnitListQuery): Promise<ListResult<OrgUnitListItem>> {
      requireRole(actor, STAFF_ROLES);
      const sort = sortOf(
        query.sort,
        { code: 'code', name: 'name', kind: 'kind', level: 'level', path: 'path' } as const,
        { column: 'path', direction: 'asc' },
      );
      const { snapshot, unit: root } = query.rootId ? await seen(actor, query.rootId) : { snapshot: await directory.snapshot(), unit: undefined };
      const needle = query.q ? foldVietnamese(query.q.trim()) : '';
      let units = visibleUnits(snapshot, actor, root?.path).filter(
        (u) =>
          (query.parentId === undefined || u.parentId === query.parentId) &&
          (query.kind === undefined || u.kind === query.kind) &&
          (query.active === undefined || u.active === query.active) &&
          (needle === '' || u.search.includes(needle)),
      );
      if (sort.column !== 'path' || sort.direction !== 'asc') {
        const compare = compareBy(sort.column);
        const sign = sort.direction === 'asc' ? 1 : -1;
        units = units.sort((a, b) => sign * compare(a, b) || a.id - b.id);
      }
      const page = pageOf(query as ListParams);
      return { items: units.slice(page.offset, page.offset + page.limit).map(toListItem), total: units.length };
    },

    async tree(actor: Actor, rootId?: number): Promise<OrgUnitNode[]> {
      requireRole(actor, STAFF_ROLES);
      const { snapshot, unit: root } = rootId ? await seen(actor, rootId) : { snapshot: await directory.snapshot(), unit: undefined };
      // Parents before children, siblings by name: the order the UI builds its tree in.
      return visibleUnits(snapshot, actor, root?.path)
        .sort((a, b) => a.level - b.level || collator.compare(a.name, b.name))
        .map((u) => ({ id: u.id, code: u.code, name: u.name, kind: u.kind, parentId: u.parentId, active: u.active, level: u.level }));
    },

    async create(actor: Actor, input: CreateOrgUnit): Promise<OrgUnit> {
      requireRole(actor, ADMIN_ROLES);
      checkBoundary(input.boundary);
      const row = await inTransaction(db, async (trx) => {
        let parent: repo.OrgUnitRow | null = null;
        if (input.parentId === null) {
          // A new root (another locality) is only for an administrator of an existing root.
          if (!actor.grants.some((g) => g.role === 'administrator' && g.path.split('/').length === 3)) {
            throw badRequest('PARENT_REQUIRED', 'Hãy chọn đơn vị cấp trên.');
          }
        } else {
          parent = await visible(trx, actor, input.parentId, ADMIN_ROLES);
          if (!parent.active) throw badRequest('PARENT_INACTIVE', `Đơn vị cấp trên "${parent.name}" đã ngừng hoạt động.`);
        }
        if ((await repo.findByCodes(trx, [input.code])).length > 0) {
          throw conflict('CODE_TAKEN', `Mã đơn vị "${input.code}" đã được dùng.`);
        }
        const created = await repo.insert(trx, {
          code: input.code,
          name: input.name.trim(),
          kind: input.kind,
          parent,
          lat: input.lat ?? null,
          lng: input.lng ?? null,
          boundary: input.boundary ?? null,
        });
        await recordAudit(trx, actor, {
          module: 'orgunits', action: 'create', entityType: 'orgUnit', entityId: created.id, orgUnitId: created.id, after: snapshot(created),
        });
        return created;
      });
      publishChange(row, 'create');
      return present(db, row);
    },

    async update(actor: Actor, id: number, input: UpdateOrgUnit): Promise<OrgUnit> {
      requireRole(actor, ADMIN_ROLES);
      checkBoundary(input.boundary);
      const row = await inTransaction(db, async (trx) => {
        const before = await visible(trx, actor, id, ADMIN_ROLES);
        if (input.code && input.code.toLowerCase() !== before.code.toLowerCase()) {
          if ((await repo.findByCodes(trx, [input.code])).length > 0) {
            throw conflict('CODE_TAKEN', `Mã đơn vị "${input.code}" đã được dùng.`);
          }
        }
        const after = await repo.update(trx, id, { ...input, name: input.name?.trim() });
        await recordAudit(trx, actor, {
          module: 'orgunits', action: 'update', entityType: 'orgUnit', entityId: id, orgUnitId: id, before: snapshot(before), after: snapshot(after),
        });
        return after;
      });
      publishChange(row, 'update');
      return present(db, row);
    },

    async move(actor: Actor, id: number, parentId: number): Promise<OrgUnit> {
      requireRole(actor, ADMIN_ROLES);
      const row = await inTransaction(db, async (trx) => {
        const unit = await visible(trx, actor, id, ADMIN_ROLES);
        const parent = await visible(trx, actor, parentId, ADMIN_ROLES);
        if (parent.path.startsWith(unit.path)) {
          throw badRequest('MOVE_INTO_ITSELF', 'Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.');
        }
        if (unit.parent_id === null) throw badRequest('MOVE_ROOT', 'Không thể chuyển đơn vị gốc.');
        requireScope(actor, unit.path.slice(0, unit.path.lastIndexOf('/', unit.path.length - 2) + 1), ADMIN_ROLES);
        await repo.move(trx, unit, parent);
        const after = (await repo.findById(trx, id))!;
        await recordAudit(trx, actor, {
          module: 'orgunits', action: 'move', entityType: 'orgUnit', entityId: id, orgUnitId: id,
          before: { parentId: unit.parent_id }, after: { parentId: parent.id },
        });
        return after;
      });
      publishChange(row, 'move');
      return present(db, row);
    },

    async setActive(actor: Actor, id: number, active: boolean): Promise<OrgUnit> {
      requireRole(actor, ADMIN_ROLES);
      const row = await inTransaction(db, async (trx) => {
        const before = await visible(trx, actor, id, ADMIN_ROLES);
        if (!active && (await repo.countActiveChildren(trx, id)) > 0) {
          throw conflict('HAS_ACTIVE_CHILDREN', `"${before.name}" còn đơn vị trực thuộc đang hoạt động: hãy ngừng hoạt động hoặc chuyển chúng trước.`);
        }
        if (active && before.parent_id !== null) {
          const parent = (await repo.findById(trx, before.parent_id))!;
          if (!parent.active) throw conflict('PARENT_INACTIVE', `Đơn vị cấp trên "${parent.name}" đang ngừng hoạt động.`);
        }
        const after = await repo.update(trx, id, { active });
        await recordAudit(trx, actor, {
          module: 'orgunits', action: active ? 'activate' : 'deactivate', entityType: 'orgUnit', entityId: id, orgUnitId: id,
          before: { active: before.active }, after: { active },
        });
        return after;
      });
      publishChange(row, active ? 'activate' : 'deactivate');
      return present(db, row);
    },
  };
}

export type OrgUnitService = ReturnType<typeof createOrgUnitService>;
