// Database rows as the API shows them: numbers as numbers, rates in percent, the obstacles with
// the state of their tasks.

import { rate } from './figures.js';
import type * as repo from './repo.js';
import type { Clearance, Disbursement, Figures, Milestone, Obstacle, Photo, Project, ProgressEntry, Segment } from './schemas.js';

/** What the projects module reads of a task (a subset of the tasks module's Task). */
export interface TaskLink {
  id: number;
  code: string;
  status: string;
  timeliness: string | null;
  dueOn: string | null;
  progress: number;
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

/**
 * An obstacle's state: resolved when the managing unit closed it or its task was accepted;
 * overdue while open and past the deadline in force — the task's (extensions included) when it
 * has a live one, else the obstacle's own.
 */
export function obstacleState(o: { status: string; due_on: string }, task: TaskLink | undefined, today: string): { status: 'open' | 'resolved'; overdue: boolean } {
  if (o.status === 'resolved' || task?.status === 'completed') return { status: 'resolved', overdue: false };
  const live = task && task.status !== 'cancelled';
  return { status: 'open', overdue: live ? task.timeliness === 'in_progress_overdue' : o.due_on < today };
}

export function toFigures(r: repo.ProjectRow, obstacles: { open: number; overdue: number }): Figures {
  const totalCapital = Number(r.total_capital);
  const disbursed = Number(r.disbursed);
  const affected = Number(r.affected_area_m2);
  const handed = Number(r.handed_over_area_m2);
  return {
    disbursed,
    disbursementRate: rate(disbursed, totalCapital),
    segmentsLengthKm: Number(r.segments_length_km),
    physicalProgress: num(r.physical_progress),
    affectedAreaM2: affected,
    handedOverAreaM2: handed,
    clearanceRate: rate(handed, affected),
    affectedHouseholds: Number(r.affected_households),
    agreedHouseholds: Number(r.agreed_households),
    obstaclesOpen: obstacles.open,
    obstaclesOverdue: obstacles.overdue,
  };
}

export function toProject(r: repo.ProjectRow, obstacles: { open: number; overdue: number }, canEdit: boolean): Project {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    investor: r.investor,
    managingUnit: { id: r.managing_unit_id, code: r.unit_code, name: r.unit_name },
    location: r.location ?? null,
    totalLengthKm: num(r.total_length_km),
    totalCapital: Number(r.total_capital),
    capitalSources: r.capital_sources.map((s) => ({ source: s.source, amount: Number(s.amount) })),
    status: r.status,
    startOn: r.start_on,
    endOn: r.end_on,
    description: r.description,
    figures: toFigures(r, obstacles),
    can: { edit: canEdit },
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function toSegment(s: repo.SegmentRow, entries: repo.ProgressRow[]): Segment {
  return {
    id: s.id,
    name: s.name,
    lengthKm: Number(s.length_km),
    commune: s.commune_unit_id === null ? null : { id: s.commune_unit_id, code: s.commune_code ?? '', name: s.commune_name ?? '' },
    investor: s.investor,
    position: s.position,
    progress: Number(s.progress ?? 0),
    progressOn: s.progress_on,
    entries: entries.filter((e) => e.segment_id === s.id).map(toProgressEntry),
  };
}

const toProgressEntry = (e: repo.ProgressRow): ProgressEntry => ({ id: e.id, onDate: e.on_date, percent: Number(e.percent), note: e.note, createdAt: e.created_at.toISOString() });

export function toDisbursements(rows: repo.DisbursementRow[]): Disbursement[] {
  let cumulative = 0;
  return rows.map((d) => {
    cumulative += Number(d.amount);
    return { id: d.id, year: d.year, quarter: d.quarter, month: d.month, amount: Number(d.amount), cumulative, note: d.note, createdAt: d.created_at.toISOString() };
  });
}

export const toMilestone = (m: repo.MilestoneRow): Milestone => ({ id: m.id, name: m.name, plannedOn: m.planned_on, actualOn: m.actual_on, note: m.note });

export function toClearance(c: repo.ClearanceRow): Clearance {
  return {
    id: c.id,
    commune: { id: c.commune_unit_id, code: c.commune_code, name: c.commune_name },
    affectedHouseholds: c.affected_households,
    affectedAreaM2: Number(c.affected_area_m2),
    agreedHouseholds: c.agreed_households,
    compensationApproved: Number(c.compensation_approved),
    compensationPaid: Number(c.compensation_paid),
    handedOverAreaM2: Number(c.handed_over_area_m2),
    handedOverRate: rate(Number(c.handed_over_area_m2), Number(c.affected_area_m2)),
    note: c.note,
    updatedAt: c.updated_at.toISOString(),
  };
}

export function toObstacle(o: repo.ObstacleRow, task: TaskLink | undefined, today: string): Obstacle {
  const state = obstacleState(o, task, today);
  return {
    id: o.id,
    commune: o.commune_unit_id === null ? null : { id: o.commune_unit_id, code: o.commune_code ?? '', name: o.commune_name ?? '' },
    description: o.description,
    responsibleUnit: { id: o.responsible_unit_id, code: o.responsible_code, name: o.responsible_name },
    dueOn: task?.dueOn ?? o.due_on,
    status: state.status,
    overdue: state.overdue,
    resolvedAt: o.resolved_at?.toISOString() ?? null,
    resolution: o.resolution,
    task: task
      ? { id: Number(task.id), code: task.code, status: task.status, timeliness: task.timeliness, dueOn: task.dueOn, progress: Number(task.progress) }
      : o.task_id
        ? { id: Number(o.task_id), code: o.task_code ?? '', status: 'unknown', timeliness: null, dueOn: o.due_on, progress: 0 }
        : null,
    createdAt: o.created_at.toISOString(),
  };
}

export const toPhoto = (p: repo.PhotoRow): Photo => ({
  id: p.id,
  segmentId: p.segment_id,
  takenOn: p.taken_on,
  caption: p.caption,
  width: p.width,
  height: p.height,
  url: `/api/v1/projects/${p.project_id}/photos/${p.id}`,
});
