// The only place with the breakthrough module's SQL: the lists (registrations), their items and
// their history. Raw `sql` over the shared Kysely instance, as the other modules write it.

import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { RegistrationStatus, ReviewResult } from './schemas.js';

export interface RegistrationRow {
  id: number;
  unit_id: number;
  year: number;
  status: RegistrationStatus;
  round: number;
  submitted_at: Date | null;
  submitted_by: number | null;
  reviewer_unit_id: number | null;
  reviewed_at: Date | null;
  reviewed_by: number | null;
  return_comments: string | null;
  approved_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** Joined: the registering unit's path and the number of items. */
  unit_path: string;
  item_count: number;
}

const REGISTRATION_COLUMNS = sql`r.id::int AS id, r.unit_id, r.year, r.status, r.round, r.submitted_at, r.submitted_by, r.reviewer_unit_id,
  r.reviewed_at, r.reviewed_by, r.return_comments, r.approved_at, r.version, r.created_at, r.updated_at, u.path AS unit_path,
  (SELECT count(*)::int FROM breakthrough_items i WHERE i.registration_id = r.id) AS item_count`;

export async function findRegistration(q: Queryable, id: number, opts: { forUpdate?: boolean } = {}): Promise<RegistrationRow | undefined> {
  const lock = opts.forUpdate ? sql`FOR UPDATE OF r` : sql``;
  const { rows } = await sql<RegistrationRow>`
    SELECT ${REGISTRATION_COLUMNS} FROM breakthrough_registrations r JOIN org_units u ON u.id = r.unit_id WHERE r.id = ${id} ${lock}`.execute(q);
  return rows[0];
}

/**
 * Lists whose unit lies under one of `paths` (a unit subtree), of `year` and `status` when given.
 * `strictlyBelow`: only units below the paths' own units (the lists those units are superior of).
 */
export async function listRegistrations(
  q: Queryable,
  f: { paths: string[]; strictlyBelow?: boolean; year?: number; statuses?: RegistrationStatus[] },
): Promise<RegistrationRow[]> {
  if (f.paths.length === 0) return [];
  const under = sql.join(
    f.paths.map((p) => (f.strictlyBelow ? sql`(u.path LIKE ${`${p}%`} AND u.path <> ${p})` : sql`u.path LIKE ${`${p}%`}`)),
    sql` OR `,
  );
  const conditions = [sql`(${under})`];
  if (f.year !== undefined) conditions.push(sql`r.year = ${f.year}`);
  if (f.statuses?.length) conditions.push(sql`r.status IN (${sql.join(f.statuses)})`);
  const { rows } = await sql<RegistrationRow>`
    SELECT ${REGISTRATION_COLUMNS} FROM breakthrough_registrations r JOIN org_units u ON u.id = r.unit_id
    WHERE ${sql.join(conditions, sql` AND `)} ORDER BY r.year DESC, u.level, u.name, r.id`.execute(q);
  return rows;
}

export async function insertRegistration(q: Queryable, v: { unitId: number; year: number; createdBy: number | null; at: Date }): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO breakthrough_registrations (unit_id, year, created_by, created_at, updated_at) VALUES (${v.unitId}, ${v.year}, ${v.createdBy}, ${v.at}, ${v.at})
    ON CONFLICT (unit_id, year) DO NOTHING RETURNING id::int AS id`.execute(q);
  return rows[0]?.id ?? 0;
}

export interface RegistrationChange {
  status?: RegistrationStatus;
  round?: number;
  submittedAt?: Date;
  submittedBy?: number | null;
  reviewerUnitId?: number;
  reviewedAt?: Date;
  reviewedBy?: number | null;
  returnComments?: string | null;
  approvedAt?: Date | null;
}

/** Applies `change` and bumps the version, only if the list is still at `version`; false otherwise. */
export async function updateRegistration(q: Queryable, id: number, version: number, change: RegistrationChange, at: Date): Promise<boolean> {
  const sets = [sql`version = version + 1`, sql`updated_at = ${at}`];
  const columns: [keyof RegistrationChange, string][] = [
    ['status', 'status'],
    ['round', 'round'],
    ['submittedAt', 'submitted_at'],
    ['submittedBy', 'submitted_by'],
    ['reviewerUnitId', 'reviewer_unit_id'],
    ['reviewedAt', 'reviewed_at'],
    ['reviewedBy', 'reviewed_by'],
    ['returnComments', 'return_comments'],
    ['approvedAt', 'approved_at'],
  ];
  for (const [key, column] of columns) if (change[key] !== undefined) sets.push(sql`${sql.ref(column)} = ${change[key]}`);
  const { rows } = await sql`UPDATE breakthrough_registrations SET ${sql.join(sets)} WHERE id = ${id} AND version = ${version} RETURNING id`.execute(q);
  return rows.length === 1;
}

// ---- items ----

export interface ItemRow {
  id: number;
  registration_id: number;
  position: number;
  title: string | null;
  description: string | null;
  target_value: string | null;
  target_unit: string | null;
  lead_unit_id: number | null;
  assignee_user_id: number | null;
  assignee_name: string | null;
  due_on: string | null;
  expected_result: string | null;
  authority: string | null;
  task_id: number | null;
  review_result: ReviewResult | null;
  achieved_value: string | null;
  review_note: string | null;
  reviewed_at: Date | null;
  reviewed_by: number | null;
  reviewed_by_name: string | null;
}

/** The items of these lists, in their order. */
export async function listItems(q: Queryable, registrationIds: readonly number[]): Promise<ItemRow[]> {
  if (registrationIds.length === 0) return [];
  const { rows } = await sql<ItemRow>`
    SELECT i.id::int AS id, i.registration_id::int AS registration_id, i.position, i.title, i.description, i.target_value::text AS target_value,
      i.target_unit, i.lead_unit_id, i.assignee_user_id, a.full_name AS assignee_name, i.due_on, i.expected_result, i.authority,
      i.task_id::int AS task_id, i.review_result, i.achieved_value::text AS achieved_value, i.review_note, i.reviewed_at, i.reviewed_by,
      rv.full_name AS reviewed_by_name
    FROM breakthrough_items i
    LEFT JOIN users a ON a.id = i.assignee_user_id
    LEFT JOIN users rv ON rv.id = i.reviewed_by
    WHERE i.registration_id IN (${sql.join(registrationIds)})
    ORDER BY i.registration_id, i.position`.execute(q);
  return rows;
}

export interface ItemValues {
  title: string | null;
  description: string | null;
  targetValue: number | null;
  targetUnit: string | null;
  leadUnitId: number | null;
  assigneeUserId: number | null;
  dueOn: string | null;
  expectedResult: string | null;
  authority: string | null;
}

export async function insertItem(q: Queryable, registrationId: number, v: ItemValues): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO breakthrough_items (registration_id, position, title, description, target_value, target_unit, lead_unit_id, assignee_user_id,
      due_on, expected_result, authority)
    VALUES (${registrationId}, (SELECT coalesce(max(position), 0) + 1 FROM breakthrough_items WHERE registration_id = ${registrationId}),
      ${v.title}, ${v.description}, ${v.targetValue}, ${v.targetUnit}, ${v.leadUnitId}, ${v.assigneeUserId}, ${v.dueOn}, ${v.expectedResult}, ${v.authority})
    RETURNING id::int AS id`.execute(q);
  return rows[0].id;
}

export async function updateItem(q: Queryable, id: number, v: ItemValues): Promise<void> {
  await sql`
    UPDATE breakthrough_items SET title = ${v.title}, description = ${v.description}, target_value = ${v.targetValue}, target_unit = ${v.targetUnit},
      lead_unit_id = ${v.leadUnitId}, assignee_user_id = ${v.assigneeUserId}, due_on = ${v.dueOn}, expected_result = ${v.expectedResult},
      authority = ${v.authority}, updated_at = now()
    WHERE id = ${id}`.execute(q);
}

/** Removes an item and closes the gap in the numbering (the unique position is checked at commit). */
export async function deleteItem(q: Queryable, registrationId: number, id: number): Promise<void> {
  await sql`DELETE FROM breakthrough_items WHERE id = ${id}`.execute(q);
  await sql`
    UPDATE breakthrough_items i SET position = n.position FROM (
      SELECT id, row_number() OVER (ORDER BY position)::smallint AS position FROM breakthrough_items WHERE registration_id = ${registrationId}
    ) n WHERE n.id = i.id AND i.position <> n.position`.execute(q);
}

export async function setItemTask(q: Queryable, id: number, taskId: number): Promise<void> {
  await sql`UPDATE breakthrough_items SET task_id = ${taskId}, updated_at = now() WHERE id = ${id}`.execute(q);
}

export async function setItemReview(
  q: Queryable,
  id: number,
  v: { result: ReviewResult; achievedValue: number | null; note: string | null; by: number | null; at: Date },
): Promise<void> {
  await sql`
    UPDATE breakthrough_items SET review_result = ${v.result}, achieved_value = ${v.achievedValue}, review_note = ${v.note},
      reviewed_at = ${v.at}, reviewed_by = ${v.by}, updated_at = now()
    WHERE id = ${id}`.execute(q);
}

// ---- history ----

export interface EventRow {
  type: string;
  at: Date;
  round: number;
  comments: string | null;
  actor_user_id: number | null;
  actor_name: string | null;
}

export async function insertEvent(
  q: Queryable,
  e: { registrationId: number; type: string; round: number; actorUserId: number | null; comments?: string | null; at: Date },
) {
  await sql`INSERT INTO breakthrough_events (registration_id, type, round, actor_user_id, comments, at)
    VALUES (${e.registrationId}, ${e.type}, ${e.round}, ${e.actorUserId}, ${e.comments ?? null}, ${e.at})`.execute(q);
}

export async function listEvents(q: Queryable, registrationId: number): Promise<EventRow[]> {
  const { rows } = await sql<EventRow>`
    SELECT e.type, e.at, e.round, e.comments, e.actor_user_id, us.full_name AS actor_name
    FROM breakthrough_events e LEFT JOIN users us ON us.id = e.actor_user_id
    WHERE e.registration_id = ${registrationId} ORDER BY e.at, e.id`.execute(q);
  return rows;
}

// ---- people ----

export interface PersonRow {
  id: number;
  full_name: string;
  active: boolean;
  unit_path: string;
}

/** Accounts by id with the path of their unit (to check an assignee works under the lead unit). */
export async function findPeople(q: Queryable, ids: readonly number[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<PersonRow>`
    SELECT us.id, us.full_name, us.active, ou.path AS unit_path FROM users us JOIN org_units ou ON ou.id = us.org_unit_id
    WHERE us.id IN (${sql.join(ids)})`.execute(q);
  return rows;
}
