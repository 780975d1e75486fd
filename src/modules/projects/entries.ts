// The entries of a key project, each one change through the project service (locked, checked,
// audited): segments and their dated physical progress, capital disbursed by period, milestones,
// site clearance per commune, and obstacles, each issued at once as a task to its responsible unit.

import type { Actor } from '../../platform/auth/actor.js';
import { conflict, notFound } from '../../platform/errors/errors.js';
import { isPercent } from './figures.js';
import { toClearance } from './present.js';
import * as repo from './repo.js';
import type { ClearanceBody, DisbursementBody, MilestoneBody, ObstacleBody, ProgressBody, ProjectDetail, SegmentBody, UpdateMilestone, UpdateSegment } from './schemas.js';
import { type ObstacleTasks, type ProjectService, refused, vnd } from './service.js';

const DEFAULT_EXPECTED_RESULT = 'Vướng mắc được tháo gỡ dứt điểm; báo cáo kết quả cho đơn vị quản lý dự án.';

export function createProjectEntries(deps: { projects: ProjectService; tasks: ObstacleTasks; now?: () => Date }) {
  const { projects, tasks } = deps;
  const now = deps.now ?? (() => new Date());
  const { change, unitInScope, today } = projects;

  return {
    // ---- segments and physical progress ----

    addSegment(actor: Actor, id: number, body: SegmentBody): Promise<ProjectDetail> {
      return change(actor, id, 'segment.create', async (trx, _p, units) => {
        if (body.communeUnitId) unitInScope(actor, units, body.communeUnitId, 'Xã/phường');
        const v = { name: body.name.trim(), length_km: body.lengthKm, commune_unit_id: body.communeUnitId ?? null, investor: body.investor ?? null, position: body.position ?? 0 };
        const segmentId = await repo.insertSegment(trx, id, v);
        return { entityType: 'project_segment', entityId: segmentId, after: v };
      });
    },

    updateSegment(actor: Actor, id: number, segmentId: number, body: UpdateSegment): Promise<ProjectDetail> {
      return change(actor, id, 'segment.update', async (trx, _p, units) => {
        const s = await repo.findSegment(trx, id, segmentId);
        if (!s) throw notFound('đoạn tuyến');
        if (body.communeUnitId) unitInScope(actor, units, body.communeUnitId, 'Xã/phường');
        const before = { name: s.name, length_km: Number(s.length_km), commune_unit_id: s.commune_unit_id, investor: s.investor, position: s.position };
        const after = {
          name: body.name?.trim() ?? before.name,
          length_km: body.lengthKm ?? before.length_km,
          commune_unit_id: body.communeUnitId === undefined ? before.commune_unit_id : body.communeUnitId,
          investor: body.investor === undefined ? before.investor : body.investor,
          position: body.position ?? before.position,
        };
        await repo.updateSegment(trx, segmentId, after);
        return { entityType: 'project_segment', entityId: segmentId, before, after };
      });
    },

    addProgress(actor: Actor, id: number, segmentId: number, body: ProgressBody): Promise<ProjectDetail> {
      return change(actor, id, 'progress.create', async (trx) => {
        const s = await repo.findSegment(trx, id, segmentId);
        if (!s) throw notFound('đoạn tuyến');
        if (!isPercent(body.percent)) throw refused('PERCENT_OUT_OF_RANGE', `Tỷ lệ khối lượng hoàn thành phải từ 0 đến 100%, không thể là ${body.percent}%.`, { percent: body.percent });
        if (body.onDate > today()) throw refused('DATE_IN_FUTURE', `Ngày ghi nhận tiến độ (${body.onDate}) chưa tới: hãy ghi nhận khối lượng đã đạt đến hôm nay.`);
        const v = { on_date: body.onDate, percent: body.percent, note: body.note ?? null };
        const entryId = await repo.insertProgress(trx, segmentId, v, actor.userId);
        return { entityType: 'project_progress', entityId: entryId, before: { percent: s.progress === null ? null : Number(s.progress), on: s.progress_on }, after: { segmentId, ...v } };
      });
    },

    /** A segment entered by mistake, with its progress entries (kept in the audit entry); its photos stay with the project. */
    deleteSegment(actor: Actor, id: number, segmentId: number): Promise<ProjectDetail> {
      return change(actor, id, 'segment.delete', async (trx) => {
        const s = await repo.findSegment(trx, id, segmentId);
        if (!s) throw notFound('đoạn tuyến');
        const progress = await repo.deleteSegment(trx, segmentId);
        return {
          entityType: 'project_segment',
          entityId: segmentId,
          before: { name: s.name, length_km: Number(s.length_km), commune_unit_id: s.commune_unit_id, progress: progress.map((e) => ({ on_date: e.on_date, percent: Number(e.percent), note: e.note })) },
        };
      });
    },

    /** A progress entry entered by mistake: the segment's progress is then its latest remaining entry. */
    deleteProgress(actor: Actor, id: number, segmentId: number, entryId: number): Promise<ProjectDetail> {
      return change(actor, id, 'progress.delete', async (trx) => {
        if (!(await repo.findSegment(trx, id, segmentId))) throw notFound('đoạn tuyến');
        const gone = await repo.deleteProgress(trx, segmentId, entryId);
        if (!gone) throw notFound('số liệu tiến độ');
        return { entityType: 'project_progress', entityId: entryId, before: { segmentId, on_date: gone.on_date, percent: Number(gone.percent), note: gone.note } };
      });
    },

    // ---- capital disbursed ----

    addDisbursement(actor: Actor, id: number, body: DisbursementBody): Promise<ProjectDetail> {
      return change(actor, id, 'disbursement.create', async (trx, p) => {
        const quarter = body.quarter ?? null;
        const month = body.month ?? null;
        if (quarter !== null && month !== null && Math.ceil(month / 3) !== quarter) {
          throw refused('PERIOD_INVALID', `Tháng ${month} không thuộc quý ${quarter}. Chọn kỳ là năm, quý hoặc tháng.`);
        }
        const period = { year: body.year, quarter: month === null ? quarter : null, month };
        const existing = await repo.listDisbursements(trx, id);
        const kind = (d: { quarter: number | null; month: number | null }) => (d.month !== null ? 'month' : d.quarter !== null ? 'quarter' : 'year');
        if (await repo.periodTaken(trx, id, period)) {
          throw conflict('PERIOD_TAKEN', 'Kỳ này đã có số giải ngân. Hãy xóa số đã nhập rồi nhập lại nếu cần sửa.');
        }
        const other = existing.find((d) => d.year === body.year && kind(d) !== kind(period));
        if (other) {
          throw conflict('PERIOD_OVERLAP', `Năm ${body.year} đã được nhập giải ngân theo ${{ year: 'năm', quarter: 'quý', month: 'tháng' }[kind(other)]}: mỗi năm chỉ nhập theo một loại kỳ để không cộng trùng.`);
        }
        const disbursed = existing.reduce((s, d) => s + Number(d.amount), 0);
        const totalCapital = Number(p.total_capital);
        if (disbursed + body.amount > totalCapital) {
          throw refused(
            'DISBURSEMENT_ABOVE_CAPITAL',
            `Giải ngân lũy kế sẽ là ${vnd(disbursed + body.amount)}, vượt tổng mức đầu tư ${vnd(totalCapital)} của dự án. Số còn được giải ngân: ${vnd(totalCapital - disbursed)}.`,
            { totalCapital, disbursed, amount: body.amount, remaining: totalCapital - disbursed },
          );
        }
        const v = { ...period, amount: body.amount, note: body.note ?? null };
        const entryId = await repo.insertDisbursement(trx, id, v, actor.userId);
        return { entityType: 'project_disbursement', entityId: entryId, after: v };
      });
    },

    deleteDisbursement(actor: Actor, id: number, entryId: number): Promise<ProjectDetail> {
      return change(actor, id, 'disbursement.delete', async (trx) => {
        const gone = await repo.deleteDisbursement(trx, id, entryId);
        if (!gone) throw notFound('số giải ngân');
        return { entityType: 'project_disbursement', entityId: entryId, before: { year: gone.year, quarter: gone.quarter, month: gone.month, amount: Number(gone.amount), note: gone.note } };
      });
    },

    // ---- milestones ----

    addMilestone(actor: Actor, id: number, body: MilestoneBody): Promise<ProjectDetail> {
      return change(actor, id, 'milestone.create', async (trx) => {
        const v = { name: body.name.trim(), planned_on: body.plannedOn, actual_on: body.actualOn ?? null, note: body.note ?? null };
        const milestoneId = await repo.insertMilestone(trx, id, v);
        return { entityType: 'project_milestone', entityId: milestoneId, after: v };
      });
    },

    updateMilestone(actor: Actor, id: number, milestoneId: number, body: UpdateMilestone): Promise<ProjectDetail> {
      return change(actor, id, 'milestone.update', async (trx) => {
        const m = await repo.findMilestone(trx, id, milestoneId);
        if (!m) throw notFound('mốc tiến độ');
        const before = { name: m.name, planned_on: m.planned_on, actual_on: m.actual_on, note: m.note };
        const after = {
          name: body.name?.trim() ?? before.name,
          planned_on: body.plannedOn ?? before.planned_on,
          actual_on: body.actualOn === undefined ? before.actual_on : body.actualOn,
          note: body.note === undefined ? before.note : body.note,
        };
        await repo.updateMilestone(trx, milestoneId, after);
        return { entityType: 'project_milestone', entityId: milestoneId, before, after };
      });
    },

    deleteMilestone(actor: Actor, id: number, milestoneId: number): Promise<ProjectDetail> {
      return change(actor, id, 'milestone.delete', async (trx) => {
        const m = await repo.findMilestone(trx, id, milestoneId);
        if (!m) throw notFound('mốc tiến độ');
        await repo.deleteMilestone(trx, milestoneId);
        return { entityType: 'project_milestone', entityId: milestoneId, before: { name: m.name, planned_on: m.planned_on, actual_on: m.actual_on, note: m.note } };
      });
    },

    // ---- site clearance ----

    putClearance(actor: Actor, id: number, communeId: number, body: ClearanceBody): Promise<ProjectDetail> {
      return change(actor, id, 'clearance.update', async (trx, _p, units) => {
        const commune = unitInScope(actor, units, communeId, 'Xã/phường');
        if (body.agreedHouseholds > body.affectedHouseholds) {
          throw refused('AGREED_ABOVE_AFFECTED', `Số hộ đồng thuận (${body.agreedHouseholds}) không được lớn hơn số hộ bị ảnh hưởng (${body.affectedHouseholds}).`);
        }
        if (body.compensationPaid > body.compensationApproved) {
          throw refused(
            'PAID_ABOVE_APPROVED',
            `Số tiền bồi thường đã chi trả (${vnd(body.compensationPaid)}) không được lớn hơn phương án đã được phê duyệt (${vnd(body.compensationApproved)}).`,
          );
        }
        if (body.handedOverAreaM2 > body.affectedAreaM2) {
          throw refused(
            'HANDED_OVER_ABOVE_AFFECTED',
            `Diện tích đã bàn giao (${body.handedOverAreaM2.toLocaleString('vi-VN')} m²) không được lớn hơn diện tích bị thu hồi (${body.affectedAreaM2.toLocaleString('vi-VN')} m²).`,
          );
        }
        const before = (await repo.listClearances(trx, id)).find((c) => c.commune_unit_id === communeId);
        const v: repo.ClearanceValues = {
          affected_households: body.affectedHouseholds,
          affected_area_m2: body.affectedAreaM2,
          agreed_households: body.agreedHouseholds,
          compensation_approved: body.compensationApproved,
          compensation_paid: body.compensationPaid,
          handed_over_area_m2: body.handedOverAreaM2,
          note: body.note ?? null,
        };
        await repo.upsertClearance(trx, id, commune.id, v, actor.userId);
        return { entityType: 'project_clearance', entityId: `${id}:${commune.id}`, before: before ? toClearance(before) : undefined, after: { communeId: commune.id, ...v } };
      });
    },

    /** A commune's clearance figures entered on the wrong project or commune. */
    deleteClearance(actor: Actor, id: number, communeId: number): Promise<ProjectDetail> {
      return change(actor, id, 'clearance.delete', async (trx) => {
        const c = (await repo.listClearances(trx, id)).find((x) => x.commune_unit_id === communeId);
        if (!c) throw notFound('số liệu giải phóng mặt bằng của xã/phường này');
        await repo.deleteClearance(trx, c.id);
        return { entityType: 'project_clearance', entityId: `${id}:${communeId}`, before: toClearance(c) };
      });
    },

    /**
     * An obstacle entered by mistake, with its task cancelled (and the task's open sub-tasks) in the
     * same transaction. One whose task is completed was dealt with: it is kept (409).
     */
    deleteObstacle(actor: Actor, id: number, obstacleId: number): Promise<ProjectDetail> {
      return change(actor, id, 'obstacle.delete', async (trx) => {
        const o = await repo.findObstacle(trx, id, obstacleId);
        if (!o) throw notFound('vướng mắc');
        const taskStatus = o.task_id === null ? null : await tasks.cancelFromSource(trx, actor, Number(o.task_id), 'Vướng mắc được xóa khỏi dự án (ghi nhận nhầm).');
        if (taskStatus === 'completed') {
          throw conflict('OBSTACLE_TASK_COMPLETED', `Nhiệm vụ tháo gỡ ${o.task_code ?? ''} của vướng mắc này đã hoàn thành: vướng mắc được giữ lại làm hồ sơ, không xóa được.`);
        }
        await repo.deleteObstacle(trx, obstacleId);
        return {
          entityType: 'project_obstacle',
          entityId: obstacleId,
          before: { description: o.description, commune_unit_id: o.commune_unit_id, responsible_unit_id: o.responsible_unit_id, due_on: o.due_on, status: o.status, taskId: o.task_id === null ? null : Number(o.task_id), taskCode: o.task_code },
          after: { taskStatusBefore: taskStatus },
        };
      });
    },

    /** A site-clearance obstacle, issued at once as a task to its responsible unit (same transaction). */
    addObstacle(actor: Actor, id: number, body: ObstacleBody): Promise<ProjectDetail> {
      return change(actor, id, 'obstacle.create', async (trx, p, units) => {
        const commune = body.communeUnitId ? unitInScope(actor, units, body.communeUnitId, 'Xã/phường') : null;
        const responsible = unitInScope(actor, units, body.responsibleUnitId, 'Đơn vị chủ trì tháo gỡ');
        const description = body.description.trim();
        const v = { commune_unit_id: commune?.id ?? null, description, responsible_unit_id: responsible.id, due_on: body.dueOn };
        const obstacleId = await repo.insertObstacle(trx, id, v, actor.userId);
        const title = `Tháo gỡ vướng mắc GPMB dự án ${p.name}${commune ? ` (${commune.name})` : ''}: ${description}`;
        const task = await tasks.issueFromSource(trx, actor, {
          kind: 'obstacle',
          sourceKind: 'project',
          sourceId: obstacleId,
          sourceRef: p.code,
          issuerUnitId: p.managing_unit_id,
          leadUnitId: responsible.id,
          assigneeUserId: body.assigneeUserId ?? null,
          title: title.length > 1000 ? `${title.slice(0, 999)}…` : title,
          description,
          expectedResult: body.expectedResult?.trim() || DEFAULT_EXPECTED_RESULT,
          dueOn: body.dueOn,
        });
        await repo.setObstacleTask(trx, obstacleId, task);
        return { entityType: 'project_obstacle', entityId: obstacleId, after: { ...v, taskId: task.id, taskCode: task.code } };
      });
    },

    resolveObstacle(actor: Actor, id: number, obstacleId: number, resolution: string): Promise<ProjectDetail> {
      return change(actor, id, 'obstacle.resolve', async (trx) => {
        const o = await repo.findObstacle(trx, id, obstacleId);
        if (!o) throw notFound('vướng mắc');
        if (o.status === 'resolved') throw conflict('OBSTACLE_RESOLVED', 'Vướng mắc này đã được đóng trước đó.');
        await repo.resolveObstacle(trx, obstacleId, resolution.trim(), now());
        return { entityType: 'project_obstacle', entityId: obstacleId, before: { status: o.status }, after: { status: 'resolved', resolution: resolution.trim() } };
      });
    },
  };
}

export type ProjectEntries = ReturnType<typeof createProjectEntries>;
