// Key projects and their site clearance: who sees and edits what (the managing unit's subtree;
// leaders and operators edit), the list, the province view, a project's detail, creating and
// editing one, and the one write path every entry takes (entries.ts, photos.ts): lock the project
// row, check, write, audit, in one transaction.

import type { Transaction } from 'kysely';
import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import type { Tables } from '../../db/schema.js';
import { type Actor, type Role, STAFF_ROLES, isInScope, requireRole, scopePaths } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Bus } from '../../platform/bus/bus.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors/errors.js';
import { EXPORT_MAX_ROWS, type ListResult, pageOf, sortOf } from '../../platform/http/list.js';
import type { OrgUnitDirectory, Snapshot } from '../../platform/orgunits/directory.js';
import { rate, weightedProgress } from './figures.js';
import { checkProjectGeometry } from './geo.js';
import { type TaskLink, obstacleState, toClearance, toDisbursements, toMilestone, toObstacle, toPhoto, toProject, toSegment } from './present.js';
import * as repo from './repo.js';
import type {
  CreateProject,
  Overview,
  OverviewQuery,
  Project,
  ProjectDetail,
  ProjectListQuery,
  UpdateProject,
} from './schemas.js';

/** Who enters and changes a project's data: the leaders and operators of its managing unit or above. */
export const EDITOR_ROLES: readonly Role[] = ['leader', 'operator'];

/** What the projects module needs of the tasks module (docs/tasks-api.md, "For other modules"). */
export interface ObstacleTasks {
  issueFromSource(
    trx: Queryable,
    actor: Actor,
    input: {
      kind: 'obstacle';
      sourceKind: 'project';
      sourceId: number;
      sourceRef?: string | null;
      issuerUnitId: number;
      leadUnitId: number;
      assigneeUserId: number | null;
      title: string;
      description?: string | null;
      expectedResult: string | null;
      dueOn: string | null;
    },
  ): Promise<{ id: number; code: string }>;
  bySource(sourceKind: 'project', sourceIds: number[]): Promise<Map<number, TaskLink>>;
  /** Cancels the task (and its open sub-tasks) unless completed or cancelled; the status it had, null when it is gone. */
  cancelFromSource(trx: Queryable, actor: Actor, taskId: number, reason: string): Promise<string | null>;
}

export interface ProjectDeps {
  db: Db;
  bus: Bus;
  directory: OrgUnitDirectory;
  tasks: ObstacleTasks;
  now?: () => Date;
}

type Trx = Transaction<Tables>;

export const refused = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details);
/** A project of a unit outside the caller's scope: refused without saying anything of it. */
const outOfScope = () => forbidden('Dự án này thuộc đơn vị nằm ngoài phạm vi được phân quyền của bạn.');
export const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đồng`;

export function createProjectService(deps: ProjectDeps) {
  const { db, bus, directory, tasks } = deps;
  const now = deps.now ?? (() => new Date());
  const today = () => businessDateOf(now());

  /** The managing unit's staff and those above, and the staff of a unit the project's entries name (read only). */
  const canSee = (actor: Actor, p: { unit_path: string; involved_paths: string[] }) =>
    isInScope(actor, p.unit_path, STAFF_ROLES) || p.involved_paths.some((path) => isInScope(actor, path, STAFF_ROLES));
  const canEdit = (actor: Actor, p: { unit_path: string }) => isInScope(actor, p.unit_path, EDITOR_ROLES);

  /**
   * A unit a form names (commune, responsible unit): it must exist and be within the caller's scope.
   * Read from a snapshot taken before any transaction: on PGlite a transaction holds the one connection.
   */
  function unitInScope(actor: Actor, snapshot: Snapshot, unitId: number, what: string) {
    const unit = snapshot.byId.get(unitId);
    if (!unit || !isInScope(actor, unit.path, STAFF_ROLES)) throw forbidden(`${what} (mã số ${unitId}) không có hoặc nằm ngoài phạm vi được phân quyền của bạn.`);
    return unit;
  }

  /** Open and overdue obstacles per project, asking the tasks module about each obstacle's task. */
  async function obstacleCounts(projectIds: number[]): Promise<Map<number, { open: number; overdue: number }>> {
    const open = await repo.openObstacles(db, projectIds);
    const linked = open.length ? await tasks.bySource('project', open.map((o) => o.id)) : new Map<number, TaskLink>();
    const day = today();
    const counts = new Map<number, { open: number; overdue: number }>(projectIds.map((id) => [id, { open: 0, overdue: 0 }]));
    for (const o of open) {
      const state = obstacleState({ status: 'open', due_on: o.due_on }, linked.get(o.id), day);
      const c = counts.get(o.project_id);
      if (!c || state.status !== 'open') continue;
      c.open++;
      if (state.overdue) c.overdue++;
    }
    return counts;
  }

  async function presentAll(actor: Actor, rows: repo.ProjectRow[]): Promise<Project[]> {
    const counts = await obstacleCounts(rows.map((r) => r.id));
    return rows.map((r) => toProject(r, counts.get(r.id) ?? { open: 0, overdue: 0 }, canEdit(actor, r)));
  }

  /** The subtree a list asks for: a unit within the caller's scope, else their whole scope. */
  async function pathsFor(actor: Actor, unitId: number | undefined): Promise<string[]> {
    if (unitId === undefined) return scopePaths(actor, STAFF_ROLES);
    const unit = unitInScope(actor, await directory.snapshot(), unitId, 'Đơn vị');
    return [unit.path];
  }

  async function visible(actor: Actor, id: number): Promise<repo.ProjectRow> {
    requireRole(actor, STAFF_ROLES);
    const row = await repo.findProject(db, id);
    if (!row) throw notFound('dự án');
    if (!canSee(actor, row)) throw outOfScope();
    return row;
  }

  /** Locks the project for the transaction; 404 when there is none, 403 unless the caller sees and edits it. */
  async function editable(trx: Trx, actor: Actor, id: number): Promise<repo.ProjectRow> {
    await repo.lockProject(trx, id);
    const row = await repo.findProject(trx, id);
    if (!row) throw notFound('dự án');
    if (!canSee(actor, row)) throw outOfScope();
    if (!canEdit(actor, row)) throw forbidden('Chỉ lãnh đạo hoặc điều hành viên của đơn vị quản lý dự án (hoặc cấp trên) mới được cập nhật dự án này.');
    return row;
  }

  /**
   * One change to a project: locked, checked, written, audited, in one transaction; then the
   * live event and the project as it now is.
   */
  async function change(
    actor: Actor,
    id: number,
    action: string,
    work: (trx: Trx, project: repo.ProjectRow, units: Snapshot) => Promise<{ entityType: string; entityId: number | string; before?: unknown; after?: unknown }>,
  ): Promise<ProjectDetail> {
    requireRole(actor, STAFF_ROLES);
    const units = await directory.snapshot();
    const project = await inTransaction(db, async (trx) => {
      const p = await editable(trx, actor, id);
      const entry = await work(trx, p, units);
      await repo.touchProject(trx, id);
      await recordAudit(trx, actor, { module: 'projects', action, orgUnitId: p.managing_unit_id, ...entry });
      return p;
    });
    bus.publish({ type: 'project.changed', orgUnitId: project.managing_unit_id, orgUnitPath: project.unit_path, payload: { id, code: project.code, action } });
    return get(actor, id);
  }

  async function get(actor: Actor, id: number): Promise<ProjectDetail> {
    const row = await visible(actor, id);
    const [segments, entries, disbursements, milestones, clearances, obstacles, photos] = await Promise.all([
      repo.listSegments(db, id),
      repo.listProgress(db, id),
      repo.listDisbursements(db, id),
      repo.listMilestones(db, id),
      repo.listClearances(db, id),
      repo.listObstacles(db, id),
      repo.listPhotos(db, id),
    ]);
    const linked = obstacles.length ? await tasks.bySource('project', obstacles.map((o) => o.id)) : new Map<number, TaskLink>();
    const day = today();
    const shown = obstacles.map((o) => toObstacle(o, linked.get(o.id), day));
    const counts = { open: shown.filter((o) => o.status === 'open').length, overdue: shown.filter((o) => o.overdue).length };
    return {
      ...toProject(row, counts, canEdit(actor, row)),
      segments: segments.map((s) => toSegment(s, entries)),
      disbursements: toDisbursements(disbursements),
      milestones: milestones.map(toMilestone),
      clearances: clearances.map(toClearance),
      obstacles: shown,
      photos: photos.map(toPhoto),
    };
  }

  /** The values of a project after a create or an edit, checked against each other. */
  async function checkedValues(trx: Trx, actor: Actor, units: Snapshot, v: repo.ProjectValues, id?: number): Promise<repo.ProjectValues> {
    const unit = unitInScope(actor, units, v.managing_unit_id, 'Đơn vị quản lý');
    if (!isInScope(actor, unit.path, EDITOR_ROLES)) throw forbidden('Chỉ lãnh đạo hoặc điều hành viên của đơn vị quản lý (hoặc cấp trên) mới giao được dự án cho đơn vị đó.');
    const location = v.location === null || v.location === undefined ? null : checkProjectGeometry(v.location);
    if (v.capital_sources.length) {
      const sum = v.capital_sources.reduce((s, x) => s + x.amount, 0);
      if (sum !== v.total_capital) {
        throw refused('CAPITAL_SOURCES_MISMATCH', `Tổng các nguồn vốn (${vnd(sum)}) phải bằng tổng mức đầu tư (${vnd(v.total_capital)}).`, { sum, totalCapital: v.total_capital });
      }
    }
    if (v.start_on && v.end_on && v.end_on < v.start_on) throw refused('END_BEFORE_START', 'Ngày hoàn thành không được trước ngày khởi công.');
    if (await repo.codeTaken(trx, v.code, id)) throw conflict('PROJECT_CODE_TAKEN', `Mã dự án "${v.code}" đã được dùng cho một dự án khác.`);
    if (id !== undefined) {
      const disbursed = await repo.disbursedTotal(trx, id);
      if (v.total_capital < disbursed) {
        throw refused('CAPITAL_BELOW_DISBURSED', `Tổng mức đầu tư (${vnd(v.total_capital)}) không được nhỏ hơn số đã giải ngân lũy kế (${vnd(disbursed)}).`, {
          totalCapital: v.total_capital,
          disbursed,
        });
      }
    }
    return { ...v, location };
  }

  const valuesOf = (r: repo.ProjectRow): repo.ProjectValues => ({
    code: r.code,
    name: r.name,
    investor: r.investor,
    managing_unit_id: r.managing_unit_id,
    location: r.location ?? null,
    total_length_km: r.total_length_km === null ? null : Number(r.total_length_km),
    total_capital: Number(r.total_capital),
    capital_sources: r.capital_sources.map((s) => ({ source: s.source, amount: Number(s.amount) })),
    status: r.status,
    start_on: r.start_on,
    end_on: r.end_on,
    description: r.description,
  });

  return {
    get,

    async list(actor: Actor, query: ProjectListQuery): Promise<ListResult<Project>> {
      requireRole(actor, STAFF_ROLES);
      const page = pageOf(query);
      const sort = sortOf(query.sort, repo.PROJECT_SORTS, { column: 'lower(code)', direction: 'asc' });
      const { rows, total } = await repo.listProjects(db, { paths: await pathsFor(actor, query.unitId), status: query.status, q: query.q, sort, limit: page.limit, offset: page.offset });
      return { items: await presentAll(actor, rows), total };
    },

    /** The province view: every key project in scope with its figures, and the totals of them all. */
    async overview(actor: Actor, query: OverviewQuery): Promise<Overview> {
      requireRole(actor, STAFF_ROLES);
      const { rows } = await repo.listProjects(db, {
        paths: await pathsFor(actor, query.unitId),
        status: query.status,
        sort: { column: 'lower(code)', direction: 'asc' },
        limit: EXPORT_MAX_ROWS,
        offset: 0,
      });
      const items = await presentAll(actor, rows);
      const sum = (f: (p: Project) => number) => items.reduce((s, p) => s + f(p), 0);
      const totalCapital = sum((p) => p.totalCapital);
      const disbursed = sum((p) => p.figures.disbursed);
      const affected = sum((p) => p.figures.affectedAreaM2);
      const handed = sum((p) => p.figures.handedOverAreaM2);
      return {
        items,
        totals: {
          projects: items.length,
          totalCapital,
          disbursed,
          disbursementRate: rate(disbursed, totalCapital),
          segmentsLengthKm: sum((p) => p.figures.segmentsLengthKm),
          physicalProgress: weightedProgress(items.filter((p) => p.figures.physicalProgress !== null).map((p) => ({ lengthKm: p.figures.segmentsLengthKm, progress: p.figures.physicalProgress ?? 0 }))),
          affectedAreaM2: affected,
          handedOverAreaM2: handed,
          clearanceRate: rate(handed, affected),
          affectedHouseholds: sum((p) => p.figures.affectedHouseholds),
          agreedHouseholds: sum((p) => p.figures.agreedHouseholds),
          obstaclesOpen: sum((p) => p.figures.obstaclesOpen),
          obstaclesOverdue: sum((p) => p.figures.obstaclesOverdue),
        },
      };
    },

    async create(actor: Actor, body: CreateProject): Promise<ProjectDetail> {
      requireRole(actor, STAFF_ROLES);
      const units = await directory.snapshot();
      const id = await inTransaction(db, async (trx) => {
        const v = await checkedValues(trx, actor, units, {
          code: body.code,
          name: body.name.trim(),
          investor: body.investor.trim(),
          managing_unit_id: body.managingUnitId,
          location: body.location ?? null,
          total_length_km: body.totalLengthKm ?? null,
          total_capital: body.totalCapital,
          capital_sources: body.capitalSources ?? [],
          status: body.status ?? 'preparing',
          start_on: body.startOn ?? null,
          end_on: body.endOn ?? null,
          description: body.description ?? null,
        });
        const newId = await repo.insertProject(trx, v, actor.userId);
        await recordAudit(trx, actor, { module: 'projects', action: 'create', entityType: 'project', entityId: newId, orgUnitId: v.managing_unit_id, after: v });
        return newId;
      });
      const created = await get(actor, id);
      bus.publish({ type: 'project.changed', orgUnitId: created.managingUnit.id, orgUnitPath: (await directory.snapshot()).byId.get(created.managingUnit.id)?.path ?? null, payload: { id, code: created.code, action: 'create' } });
      return created;
    },

    /** A project entered by mistake, with nothing entered on it yet; one with entries is closed (status) instead. */
    async remove(actor: Actor, id: number): Promise<void> {
      requireRole(actor, STAFF_ROLES);
      const project = await inTransaction(db, async (trx) => {
        const p = await editable(trx, actor, id);
        const counts = await repo.entryCounts(trx, id);
        if (Object.values(counts).some((n) => n > 0)) {
          throw conflict('PROJECT_HAS_ENTRIES', 'Dự án đã có số liệu (đoạn tuyến, giải ngân, GPMB, vướng mắc hoặc ảnh) nên không xóa được. Hãy chuyển trạng thái dự án thay vì xóa.');
        }
        await repo.deleteProject(trx, id);
        await recordAudit(trx, actor, { module: 'projects', action: 'delete', entityType: 'project', entityId: id, orgUnitId: p.managing_unit_id, before: valuesOf(p) });
        return p;
      });
      bus.publish({ type: 'project.changed', orgUnitId: project.managing_unit_id, orgUnitPath: project.unit_path, payload: { id, code: project.code, action: 'delete' } });
    },

    update(actor: Actor, id: number, body: UpdateProject): Promise<ProjectDetail> {
      return change(actor, id, 'update', async (trx, p, units) => {
        const before = valuesOf(p);
        const merged: repo.ProjectValues = {
          code: body.code ?? before.code,
          name: body.name?.trim() ?? before.name,
          investor: body.investor?.trim() ?? before.investor,
          managing_unit_id: body.managingUnitId ?? before.managing_unit_id,
          location: body.location === undefined ? before.location : body.location,
          total_length_km: body.totalLengthKm === undefined ? before.total_length_km : body.totalLengthKm,
          total_capital: body.totalCapital ?? before.total_capital,
          capital_sources: body.capitalSources ?? before.capital_sources,
          status: body.status ?? before.status,
          start_on: body.startOn === undefined ? before.start_on : body.startOn,
          end_on: body.endOn === undefined ? before.end_on : body.endOn,
          description: body.description === undefined ? before.description : body.description,
        };
        const after = await checkedValues(trx, actor, units, merged, id);
        await repo.updateProject(trx, id, after);
        return { entityType: 'project', entityId: id, before, after };
      });
    },

    /** For the entries and photos of a project (entries.ts, photos.ts): the same read and write paths. */
    db,
    visible,
    canEdit,
    change,
    unitInScope,
    today,
  };
}

export type ProjectService = ReturnType<typeof createProjectService>;
