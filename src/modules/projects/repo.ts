// The only place with the projects module's SQL (raw `sql`: the figures are lateral aggregates
// that read better as SQL). Numerics come back as strings, as node-postgres returns them.

import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import { containsPattern } from '../../platform/text/fold.js';

// ---- projects ----

export interface ProjectRow {
  id: number;
  code: string;
  name: string;
  investor: string;
  managing_unit_id: number;
  unit_code: string;
  unit_name: string;
  unit_path: string;
  location: unknown;
  total_length_km: string | null;
  total_capital: string;
  capital_sources: { source: string; amount: number }[];
  status: string;
  start_on: string | null;
  end_on: string | null;
  description: string | null;
  created_at: Date;
  updated_at: Date;
  // figures
  disbursed: string;
  segments_length_km: string;
  physical_progress: string | null;
  affected_area_m2: string;
  handed_over_area_m2: string;
  affected_households: string;
  agreed_households: string;
  /** The units the project's entries name (segments' and clearances' communes, obstacles' communes and responsible units). */
  involved_paths: string[];
}

/**
 * Which projects: those whose managing unit lies under one of `paths`, or one of whose entries
 * names a unit under them (a commune sees the projects that cross it); null: every project.
 */
export interface ProjectFilter {
  paths: string[] | null;
  id?: number;
  status?: string;
  q?: string;
}

function whereOf(f: ProjectFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (f.paths) {
    const under = (column: RawBuilder<unknown>) => sql.join((f.paths ?? []).map((p) => sql`${column} LIKE ${`${p}%`}`), sql` OR `);
    parts.push(f.paths.length ? sql`(${under(sql`u.path`)} OR EXISTS (SELECT 1 FROM unnest(${INVOLVED_PATHS}) AS i(path) WHERE ${under(sql`i.path`)}))` : sql`false`);
  }
  if (f.id !== undefined) parts.push(sql`p.id = ${f.id}`);
  if (f.status) parts.push(sql`p.status = ${f.status}`);
  if (f.q) parts.push(sql`p.search LIKE ${containsPattern(f.q)}`);
  return sql.join(parts, sql` AND `);
}

/** The paths of the units a project's entries name. */
const INVOLVED_PATHS = sql`ARRAY(
  SELECT o.path FROM org_units o WHERE o.id IN (
    SELECT commune_unit_id FROM project_segments WHERE project_id = p.id
    UNION SELECT commune_unit_id FROM project_clearances WHERE project_id = p.id
    UNION SELECT commune_unit_id FROM project_obstacles WHERE project_id = p.id
    UNION SELECT responsible_unit_id FROM project_obstacles WHERE project_id = p.id))`;

/** Projects with their figures (a segment counts with its latest progress entry, 0 before any). */
const PROJECT_SELECT = (where: RawBuilder<unknown>) => sql`
  SELECT p.id, p.code, p.name, p.investor, p.managing_unit_id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path,
    p.location, p.total_length_km, p.total_capital, p.capital_sources, p.status, p.start_on, p.end_on, p.description,
    p.created_at, p.updated_at, ${INVOLVED_PATHS} AS involved_paths,
    coalesce(d.disbursed, 0) AS disbursed,
    coalesce(s.length_km, 0) AS segments_length_km,
    CASE WHEN s.length_km > 0 THEN round(s.weighted / s.length_km, 2) END AS physical_progress,
    coalesce(c.affected, 0) AS affected_area_m2, coalesce(c.handed, 0) AS handed_over_area_m2,
    coalesce(c.households, 0) AS affected_households, coalesce(c.agreed, 0) AS agreed_households,
    CASE WHEN p.total_capital > 0 THEN coalesce(d.disbursed, 0) / p.total_capital END AS disbursement_ratio,
    CASE WHEN c.affected > 0 THEN c.handed / c.affected END AS clearance_ratio
  FROM projects p
  JOIN org_units u ON u.id = p.managing_unit_id
  LEFT JOIN LATERAL (SELECT sum(amount) AS disbursed FROM project_disbursements WHERE project_id = p.id) d ON true
  LEFT JOIN LATERAL (
    SELECT sum(g.length_km) AS length_km, sum(g.length_km * coalesce(e.percent, 0)) AS weighted
    FROM project_segments g
    LEFT JOIN LATERAL (SELECT percent FROM project_progress_entries WHERE segment_id = g.id ORDER BY on_date DESC, id DESC LIMIT 1) e ON true
    WHERE g.project_id = p.id) s ON true
  LEFT JOIN LATERAL (
    SELECT sum(affected_area_m2) AS affected, sum(handed_over_area_m2) AS handed, sum(affected_households) AS households, sum(agreed_households) AS agreed
    FROM project_clearances WHERE project_id = p.id) c ON true
  WHERE ${where}`;

export const PROJECT_SORTS = {
  code: 'lower(code)',
  name: 'name',
  status: 'status',
  startOn: 'start_on',
  endOn: 'end_on',
  totalCapital: 'total_capital',
  disbursementRate: 'disbursement_ratio',
  physicalProgress: 'physical_progress',
  clearanceRate: 'clearance_ratio',
  updatedAt: 'updated_at',
} as const;

export async function listProjects(
  q: Queryable,
  f: ProjectFilter & { sort: { column: string; direction: 'asc' | 'desc' }; limit: number; offset: number },
): Promise<{ rows: ProjectRow[]; total: number }> {
  const { rows } = await sql<ProjectRow & { total: string }>`
    SELECT x.*, count(*) OVER () AS total FROM (${PROJECT_SELECT(whereOf(f))}) x
    ORDER BY ${sql.raw(f.sort.column)} ${sql.raw(f.sort.direction)} NULLS LAST, id
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(q);
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export async function findProject(q: Queryable, id: number): Promise<ProjectRow | undefined> {
  return (await sql<ProjectRow>`${PROJECT_SELECT(whereOf({ paths: null, id }))}`.execute(q)).rows[0];
}

/** The project row alone, locked until the transaction ends: writes to one project queue here. */
export async function lockProject(q: Queryable, id: number): Promise<{ id: number; total_capital: string; managing_unit_id: number } | undefined> {
  return (await sql<{ id: number; total_capital: string; managing_unit_id: number }>`
    SELECT id, total_capital, managing_unit_id FROM projects WHERE id = ${id} FOR UPDATE`.execute(q)).rows[0];
}

export async function codeTaken(q: Queryable, code: string, exceptId?: number): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM projects WHERE lower(code) = lower(${code}) AND id IS DISTINCT FROM ${exceptId ?? null}`.execute(q);
  return rows.length > 0;
}

export interface ProjectValues {
  code: string;
  name: string;
  investor: string;
  managing_unit_id: number;
  location: unknown;
  total_length_km: number | null;
  total_capital: number;
  capital_sources: { source: string; amount: number }[];
  status: string;
  start_on: string | null;
  end_on: string | null;
  description: string | null;
}

export async function insertProject(q: Queryable, v: ProjectValues, userId: number | null): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO projects (code, name, investor, managing_unit_id, location, total_length_km, total_capital, capital_sources, status, start_on, end_on, description, created_by)
    VALUES (${v.code}, ${v.name}, ${v.investor}, ${v.managing_unit_id}, ${v.location === null ? null : JSON.stringify(v.location)}::jsonb, ${v.total_length_km},
      ${v.total_capital}, ${JSON.stringify(v.capital_sources)}::jsonb, ${v.status}, ${v.start_on}, ${v.end_on}, ${v.description}, ${userId})
    RETURNING id`.execute(q);
  return rows[0].id;
}

export async function updateProject(q: Queryable, id: number, v: ProjectValues): Promise<void> {
  await sql`
    UPDATE projects SET code = ${v.code}, name = ${v.name}, investor = ${v.investor}, managing_unit_id = ${v.managing_unit_id},
      location = ${v.location === null ? null : JSON.stringify(v.location)}::jsonb, total_length_km = ${v.total_length_km}, total_capital = ${v.total_capital},
      capital_sources = ${JSON.stringify(v.capital_sources)}::jsonb, status = ${v.status}, start_on = ${v.start_on}, end_on = ${v.end_on},
      description = ${v.description}, updated_at = now()
    WHERE id = ${id}`.execute(q);
}

/** What has been entered on a project (a project with entries is not deleted, it is closed). */
export async function entryCounts(q: Queryable, id: number): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, string>>`
    SELECT (SELECT count(*) FROM project_segments WHERE project_id = ${id}) AS segments,
      (SELECT count(*) FROM project_disbursements WHERE project_id = ${id}) AS disbursements,
      (SELECT count(*) FROM project_milestones WHERE project_id = ${id}) AS milestones,
      (SELECT count(*) FROM project_clearances WHERE project_id = ${id}) AS clearances,
      (SELECT count(*) FROM project_obstacles WHERE project_id = ${id}) AS obstacles,
      (SELECT count(*) FROM project_photos WHERE project_id = ${id}) AS photos`.execute(q);
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

export async function deleteProject(q: Queryable, id: number): Promise<void> {
  await sql`DELETE FROM projects WHERE id = ${id}`.execute(q);
}

export async function touchProject(q: Queryable, id: number): Promise<void> {
  await sql`UPDATE projects SET updated_at = now() WHERE id = ${id}`.execute(q);
}

// ---- segments and progress ----

export interface SegmentRow {
  id: number;
  project_id: number;
  name: string;
  length_km: string;
  commune_unit_id: number | null;
  commune_code: string | null;
  commune_name: string | null;
  investor: string | null;
  position: number;
  progress: string | null;
  progress_on: string | null;
}

export async function listSegments(q: Queryable, projectId: number): Promise<SegmentRow[]> {
  return (
    await sql<SegmentRow>`
      SELECT g.id, g.project_id, g.name, g.length_km, g.commune_unit_id, u.code AS commune_code, u.name AS commune_name, g.investor, g.position,
        e.percent AS progress, e.on_date AS progress_on
      FROM project_segments g
      LEFT JOIN org_units u ON u.id = g.commune_unit_id
      LEFT JOIN LATERAL (SELECT percent, on_date FROM project_progress_entries WHERE segment_id = g.id ORDER BY on_date DESC, id DESC LIMIT 1) e ON true
      WHERE g.project_id = ${projectId} ORDER BY g.position, g.id`.execute(q)
  ).rows;
}

export async function findSegment(q: Queryable, projectId: number, segmentId: number): Promise<SegmentRow | undefined> {
  return (await listSegments(q, projectId)).find((s) => s.id === segmentId);
}

export interface SegmentValues {
  name: string;
  length_km: number;
  commune_unit_id: number | null;
  investor: string | null;
  position: number;
}

export async function insertSegment(q: Queryable, projectId: number, v: SegmentValues): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO project_segments (project_id, name, length_km, commune_unit_id, investor, position)
    VALUES (${projectId}, ${v.name}, ${v.length_km}, ${v.commune_unit_id}, ${v.investor}, ${v.position}) RETURNING id`.execute(q);
  return rows[0].id;
}

export async function updateSegment(q: Queryable, id: number, v: SegmentValues): Promise<void> {
  await sql`
    UPDATE project_segments SET name = ${v.name}, length_km = ${v.length_km}, commune_unit_id = ${v.commune_unit_id}, investor = ${v.investor},
      position = ${v.position}, updated_at = now() WHERE id = ${id}`.execute(q);
}

/** A segment with its progress entries; its photos stay with the project, no longer placed on it. */
export async function deleteSegment(q: Queryable, id: number): Promise<ProgressRow[]> {
  const { rows } = await sql<ProgressRow>`
    DELETE FROM project_progress_entries WHERE segment_id = ${id} RETURNING id, segment_id, on_date, percent, note, created_at`.execute(q);
  await sql`UPDATE project_photos SET segment_id = NULL WHERE segment_id = ${id}`.execute(q);
  await sql`DELETE FROM project_segments WHERE id = ${id}`.execute(q);
  return rows;
}

export async function deleteProgress(q: Queryable, segmentId: number, id: number): Promise<ProgressRow | undefined> {
  return (
    await sql<ProgressRow>`
      DELETE FROM project_progress_entries WHERE segment_id = ${segmentId} AND id = ${id} RETURNING id, segment_id, on_date, percent, note, created_at`.execute(q)
  ).rows[0];
}

export interface ProgressRow {
  id: number;
  segment_id: number;
  on_date: string;
  percent: string;
  note: string | null;
  created_at: Date;
}

export async function listProgress(q: Queryable, projectId: number): Promise<ProgressRow[]> {
  return (
    await sql<ProgressRow>`
      SELECT e.id, e.segment_id, e.on_date, e.percent, e.note, e.created_at FROM project_progress_entries e
      JOIN project_segments g ON g.id = e.segment_id WHERE g.project_id = ${projectId} ORDER BY e.on_date, e.id`.execute(q)
  ).rows;
}

export async function insertProgress(q: Queryable, segmentId: number, v: { on_date: string; percent: number; note: string | null }, userId: number | null): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO project_progress_entries (segment_id, on_date, percent, note, created_by)
    VALUES (${segmentId}, ${v.on_date}, ${v.percent}, ${v.note}, ${userId}) RETURNING id`.execute(q);
  return rows[0].id;
}

// ---- disbursements ----

export interface DisbursementRow {
  id: number;
  project_id: number;
  year: number;
  quarter: number | null;
  month: number | null;
  amount: string;
  note: string | null;
  created_at: Date;
}

/** In time order: a year's own entry, then its quarters and months by when they end. */
export async function listDisbursements(q: Queryable, projectId: number): Promise<DisbursementRow[]> {
  return (
    await sql<DisbursementRow>`
      SELECT id, project_id, year, quarter, month, amount, note, created_at FROM project_disbursements WHERE project_id = ${projectId}
      ORDER BY year, coalesce(month, quarter * 3, 0), id`.execute(q)
  ).rows;
}

export async function disbursedTotal(q: Queryable, projectId: number): Promise<number> {
  const { rows } = await sql<{ total: string }>`SELECT coalesce(sum(amount), 0) AS total FROM project_disbursements WHERE project_id = ${projectId}`.execute(q);
  return Number(rows[0].total);
}

export async function periodTaken(q: Queryable, projectId: number, p: { year: number; quarter: number | null; month: number | null }): Promise<boolean> {
  const { rows } = await sql`
    SELECT 1 FROM project_disbursements WHERE project_id = ${projectId} AND year = ${p.year}
      AND coalesce(quarter, 0) = ${p.quarter ?? 0} AND coalesce(month, 0) = ${p.month ?? 0}`.execute(q);
  return rows.length > 0;
}

export async function insertDisbursement(
  q: Queryable,
  projectId: number,
  v: { year: number; quarter: number | null; month: number | null; amount: number; note: string | null },
  userId: number | null,
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO project_disbursements (project_id, year, quarter, month, amount, note, created_by)
    VALUES (${projectId}, ${v.year}, ${v.quarter}, ${v.month}, ${v.amount}, ${v.note}, ${userId}) RETURNING id`.execute(q);
  return rows[0].id;
}

export async function deleteDisbursement(q: Queryable, projectId: number, id: number): Promise<DisbursementRow | undefined> {
  return (
    await sql<DisbursementRow>`
      DELETE FROM project_disbursements WHERE project_id = ${projectId} AND id = ${id}
      RETURNING id, project_id, year, quarter, month, amount, note, created_at`.execute(q)
  ).rows[0];
}

// ---- milestones ----

export interface MilestoneRow {
  id: number;
  project_id: number;
  name: string;
  planned_on: string;
  actual_on: string | null;
  note: string | null;
}

export async function listMilestones(q: Queryable, projectId: number): Promise<MilestoneRow[]> {
  return (
    await sql<MilestoneRow>`SELECT id, project_id, name, planned_on, actual_on, note FROM project_milestones WHERE project_id = ${projectId} ORDER BY planned_on, id`.execute(q)
  ).rows;
}

export async function findMilestone(q: Queryable, projectId: number, id: number): Promise<MilestoneRow | undefined> {
  return (await sql<MilestoneRow>`SELECT id, project_id, name, planned_on, actual_on, note FROM project_milestones WHERE project_id = ${projectId} AND id = ${id}`.execute(q)).rows[0];
}

export async function insertMilestone(q: Queryable, projectId: number, v: { name: string; planned_on: string; actual_on: string | null; note: string | null }): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO project_milestones (project_id, name, planned_on, actual_on, note)
    VALUES (${projectId}, ${v.name}, ${v.planned_on}, ${v.actual_on}, ${v.note}) RETURNING id`.execute(q);
  return rows[0].id;
}

export async function deleteMilestone(q: Queryable, id: number): Promise<void> {
  await sql`DELETE FROM project_milestones WHERE id = ${id}`.execute(q);
}

export async function updateMilestone(q: Queryable, id: number, v: { name: string; planned_on: string; actual_on: string | null; note: string | null }): Promise<void> {
  await sql`UPDATE project_milestones SET name = ${v.name}, planned_on = ${v.planned_on}, actual_on = ${v.actual_on}, note = ${v.note}, updated_at = now() WHERE id = ${id}`.execute(q);
}

// ---- site clearance ----

export interface ClearanceRow {
  id: number;
  project_id: number;
  commune_unit_id: number;
  commune_code: string;
  commune_name: string;
  affected_households: number;
  affected_area_m2: string;
  agreed_households: number;
  compensation_approved: string;
  compensation_paid: string;
  handed_over_area_m2: string;
  note: string | null;
  updated_at: Date;
}

export async function listClearances(q: Queryable, projectId: number): Promise<ClearanceRow[]> {
  return (
    await sql<ClearanceRow>`
      SELECT c.id, c.project_id, c.commune_unit_id, u.code AS commune_code, u.name AS commune_name, c.affected_households, c.affected_area_m2,
        c.agreed_households, c.compensation_approved, c.compensation_paid, c.handed_over_area_m2, c.note, c.updated_at
      FROM project_clearances c JOIN org_units u ON u.id = c.commune_unit_id
      WHERE c.project_id = ${projectId} ORDER BY u.name, c.id`.execute(q)
  ).rows;
}

export interface ClearanceValues {
  affected_households: number;
  affected_area_m2: number;
  agreed_households: number;
  compensation_approved: number;
  compensation_paid: number;
  handed_over_area_m2: number;
  note: string | null;
}

export async function deleteClearance(q: Queryable, id: number): Promise<void> {
  await sql`DELETE FROM project_clearances WHERE id = ${id}`.execute(q);
}

export async function upsertClearance(q: Queryable, projectId: number, communeId: number, v: ClearanceValues, userId: number | null): Promise<void> {
  await sql`
    INSERT INTO project_clearances (project_id, commune_unit_id, affected_households, affected_area_m2, agreed_households,
      compensation_approved, compensation_paid, handed_over_area_m2, note, updated_by)
    VALUES (${projectId}, ${communeId}, ${v.affected_households}, ${v.affected_area_m2}, ${v.agreed_households},
      ${v.compensation_approved}, ${v.compensation_paid}, ${v.handed_over_area_m2}, ${v.note}, ${userId})
    ON CONFLICT (project_id, commune_unit_id) DO UPDATE SET
      affected_households = EXCLUDED.affected_households, affected_area_m2 = EXCLUDED.affected_area_m2,
      agreed_households = EXCLUDED.agreed_households, compensation_approved = EXCLUDED.compensation_approved,
      compensation_paid = EXCLUDED.compensation_paid, handed_over_area_m2 = EXCLUDED.handed_over_area_m2,
      note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()`.execute(q);
}

// ---- obstacles ----

export interface ObstacleRow {
  id: number;
  project_id: number;
  commune_unit_id: number | null;
  commune_code: string | null;
  commune_name: string | null;
  description: string;
  responsible_unit_id: number;
  responsible_code: string;
  responsible_name: string;
  due_on: string;
  status: string;
  resolved_at: Date | null;
  resolution: string | null;
  task_id: string | null;
  task_code: string | null;
  created_at: Date;
}

const OBSTACLE_SELECT = sql`
  SELECT o.id, o.project_id, o.commune_unit_id, c.code AS commune_code, c.name AS commune_name, o.description,
    o.responsible_unit_id, r.code AS responsible_code, r.name AS responsible_name, o.due_on, o.status, o.resolved_at, o.resolution,
    o.task_id, o.task_code, o.created_at
  FROM project_obstacles o
  JOIN org_units r ON r.id = o.responsible_unit_id
  LEFT JOIN org_units c ON c.id = o.commune_unit_id`;

export async function listObstacles(q: Queryable, projectId: number): Promise<ObstacleRow[]> {
  return (await sql<ObstacleRow>`${OBSTACLE_SELECT} WHERE o.project_id = ${projectId} ORDER BY o.status, o.due_on, o.id`.execute(q)).rows;
}

export async function findObstacle(q: Queryable, projectId: number, id: number): Promise<ObstacleRow | undefined> {
  return (await sql<ObstacleRow>`${OBSTACLE_SELECT} WHERE o.project_id = ${projectId} AND o.id = ${id}`.execute(q)).rows[0];
}

/** The open obstacles of these projects: the province view asks their tasks whether they are overdue. */
export async function openObstacles(q: Queryable, projectIds: number[]): Promise<{ id: number; project_id: number; due_on: string }[]> {
  if (projectIds.length === 0) return [];
  return (
    await sql<{ id: number; project_id: number; due_on: string }>`
      SELECT id, project_id, due_on FROM project_obstacles WHERE status = 'open' AND project_id IN (${sql.join(projectIds)})`.execute(q)
  ).rows;
}

export async function insertObstacle(
  q: Queryable,
  projectId: number,
  v: { commune_unit_id: number | null; description: string; responsible_unit_id: number; due_on: string },
  userId: number | null,
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO project_obstacles (project_id, commune_unit_id, description, responsible_unit_id, due_on, created_by)
    VALUES (${projectId}, ${v.commune_unit_id}, ${v.description}, ${v.responsible_unit_id}, ${v.due_on}, ${userId}) RETURNING id`.execute(q);
  return rows[0].id;
}

export async function deleteObstacle(q: Queryable, id: number): Promise<void> {
  await sql`DELETE FROM project_obstacles WHERE id = ${id}`.execute(q);
}

export async function setObstacleTask(q: Queryable, id: number, task: { id: number; code: string }): Promise<void> {
  await sql`UPDATE project_obstacles SET task_id = ${task.id}, task_code = ${task.code}, updated_at = now() WHERE id = ${id}`.execute(q);
}

export async function resolveObstacle(q: Queryable, id: number, resolution: string, at: Date): Promise<void> {
  await sql`UPDATE project_obstacles SET status = 'resolved', resolved_at = ${at}, resolution = ${resolution}, updated_at = now() WHERE id = ${id}`.execute(q);
}

// ---- photos ----

export interface PhotoRow {
  id: number;
  project_id: number;
  segment_id: number | null;
  taken_on: string;
  caption: string | null;
  file_key: string;
  mime: string;
  size: number;
  width: number;
  height: number;
}

export async function listPhotos(q: Queryable, projectId: number): Promise<PhotoRow[]> {
  return (
    await sql<PhotoRow>`
      SELECT id, project_id, segment_id, taken_on, caption, file_key, mime, size, width, height FROM project_photos
      WHERE project_id = ${projectId} ORDER BY taken_on DESC, id`.execute(q)
  ).rows;
}

export async function findPhoto(q: Queryable, projectId: number, id: number): Promise<PhotoRow | undefined> {
  return (await listPhotos(q, projectId)).find((p) => p.id === id);
}

export async function insertPhoto(q: Queryable, v: Omit<PhotoRow, 'id'>, userId: number | null): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO project_photos (project_id, segment_id, taken_on, caption, file_key, mime, size, width, height, created_by)
    VALUES (${v.project_id}, ${v.segment_id}, ${v.taken_on}, ${v.caption}, ${v.file_key}, ${v.mime}, ${v.size}, ${v.width}, ${v.height}, ${userId})
    RETURNING id`.execute(q);
  return rows[0].id;
}
