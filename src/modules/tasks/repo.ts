// The only place with the tasks module's SQL. Raw `sql` over the shared Kysely instance, as in
// the feedback module: the task tables are the module's own, and their queries (scope by unit
// ids, timeliness as of an instant, the roll-up) read better as SQL than as a builder chain.

import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';

export interface TaskRow {
  id: number;
  code: string;
  kind: string;
  title: string | null;
  description: string | null;
  expected_result: string | null;
  authority: string | null;
  issuer_unit_id: number;
  lead_unit_id: number | null;
  support_unit_ids: number[];
  assignee_user_id: number | null;
  assignee_name: string | null;
  assignee_username: string | null;
  due_on: string | null;
  original_due_on: string | null;
  due_changed_at: Date[];
  due_before: string[];
  parent_id: number | null;
  weight: number;
  source_kind: string | null;
  source_ref: string | null;
  source_id: number | null;
  status: string;
  progress: number;
  rolled_progress: number;
  issued_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  child_count: number;
}

const SELECT_TASKS = sql`
  SELECT t.id::int AS id, t.code, t.kind, t.title, t.description, t.expected_result, t.authority, t.issuer_unit_id,
    t.lead_unit_id, t.support_unit_ids, t.assignee_user_id, u.full_name AS assignee_name, u.username AS assignee_username,
    t.due_on, t.original_due_on, t.due_changed_at, t.due_before::text[] AS due_before, t.parent_id::int AS parent_id,
    t.weight::float8 AS weight, t.source_kind, t.source_ref, t.source_id::float8 AS source_id, t.status, t.progress,
    t.rolled_progress::float8 AS rolled_progress, t.issued_at, t.completed_at, t.cancelled_at, t.version, t.created_at,
    t.updated_at, (SELECT count(*)::int FROM tasks c WHERE c.parent_id = t.id) AS child_count
  FROM tasks t LEFT JOIN users u ON u.id = t.assignee_user_id`;

/** The SQL twin of rules/timeliness.ts's timelinessAt for the row `t`. */
export const timelinessSql = (at: Date) =>
  sql`task_timeliness(t.issued_at, t.completed_at, t.cancelled_at, t.due_on, t.due_changed_at, t.due_before, ${at}::timestamptz)`;

export async function findTask(q: Queryable, id: number, forUpdate = false): Promise<TaskRow | undefined> {
  // Locks the row first: two concurrent changes of one task queue here, the second reads the first's version.
  if (forUpdate) await sql`SELECT 1 FROM tasks WHERE id = ${id} FOR UPDATE`.execute(q);
  return (await sql<TaskRow>`${SELECT_TASKS} WHERE t.id = ${id}`.execute(q)).rows[0];
}

export async function findTasks(q: Queryable, ids: readonly number[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return (await sql<TaskRow>`${SELECT_TASKS} WHERE t.id = ANY(${ids.map(String)}::bigint[]) ORDER BY t.id`.execute(q)).rows;
}

export async function childrenOf(q: Queryable, parentId: number): Promise<TaskRow[]> {
  return (await sql<TaskRow>`${SELECT_TASKS} WHERE t.parent_id = ${parentId} ORDER BY t.id`.execute(q)).rows;
}

/** The sub-tasks at every depth below a task that are still open (not completed, not cancelled), parents first. */
export async function openDescendants(q: Queryable, id: number): Promise<TaskRow[]> {
  const { rows } = await sql<{ id: string; depth: number }>`
    WITH RECURSIVE below AS (
      SELECT c.id, c.status, 1 AS depth FROM tasks c WHERE c.parent_id = ${id}
      UNION ALL
      SELECT c.id, c.status, b.depth + 1 FROM tasks c JOIN below b ON c.parent_id = b.id
    )
    SELECT id::text AS id, depth FROM below WHERE status NOT IN ('completed', 'cancelled') ORDER BY depth, id`.execute(q);
  const found = new Map((await findTasks(q, rows.map((r) => Number(r.id)))).map((t) => [t.id, t]));
  return rows.map((r) => found.get(Number(r.id))).filter((t): t is TaskRow => t !== undefined);
}

export async function bySource(q: Queryable, sourceKind: string, sourceIds: readonly number[]): Promise<TaskRow[]> {
  if (sourceIds.length === 0) return [];
  return (
    await sql<TaskRow>`${SELECT_TASKS} WHERE t.source_kind = ${sourceKind} AND t.source_id = ANY(${sourceIds.map(String)}::bigint[])
      AND t.status <> 'cancelled' ORDER BY t.id`.execute(q)
  ).rows;
}

export interface TaskListFilter {
  /** The visibility condition of the actor (see queries.ts), already built. */
  visible: RawBuilder<unknown>;
  conditions: RawBuilder<unknown>[];
  orderBy: string;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
  /**
   * Set when the rows are filtered only by lead unit (null: any) and status (null: any), and the
   * actor sees them all: the total is then read from task_status_counts (migration 015), not counted.
   */
  countedBy?: { leadUnitIds: number[] | null; statuses: string[] | null };
}

export async function listTasks(q: Queryable, f: TaskListFilter): Promise<{ rows: TaskRow[]; total: number }> {
  const where = sql.join([f.visible, ...f.conditions], sql` AND `);
  const nulls = f.direction === 'asc' ? sql`NULLS LAST` : sql`NULLS FIRST`;
  const order = sql`${sql.raw(f.orderBy)} ${sql.raw(f.direction)} ${nulls}, t.id ${sql.raw(f.direction)}`;
  if (f.countedBy) {
    const c = f.countedBy;
    const { rows } = await sql<TaskRow>`
      WITH page AS (SELECT t.id FROM tasks t WHERE ${where} ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset})
      ${SELECT_TASKS}, page p WHERE t.id = p.id ORDER BY ${order}`.execute(q);
    const counted = await sql<{ n: string }>`SELECT coalesce(sum(n), 0) AS n FROM task_status_counts
      WHERE ${c.leadUnitIds === null ? sql`true` : sql`lead_unit_id = ANY(${c.leadUnitIds}::int[])`}
        AND ${c.statuses === null ? sql`true` : sql`status = ANY(${c.statuses}::text[])`}`.execute(q);
    return { rows, total: Number(counted.rows[0].n) };
  }
  // The page first (through the indexes), the joins for its rows only.
  const { rows } = await sql<TaskRow & { total: string }>`
    WITH page AS (
      SELECT t.id, count(*) OVER () AS total, row_number() OVER (ORDER BY ${order}) AS n
      FROM tasks t WHERE ${where} ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset})
    SELECT x.*, p.total FROM page p CROSS JOIN LATERAL (${SELECT_TASKS} WHERE t.id = p.id) x ORDER BY p.n`.execute(q);
  if (rows.length > 0 || f.offset === 0) return { rows, total: Number(rows[0]?.total ?? 0) };
  const counted = await sql<{ n: string }>`SELECT count(*) AS n FROM tasks t WHERE ${where}`.execute(q);
  return { rows, total: Number(counted.rows[0].n) };
}

export interface NewTask {
  kind: string;
  title: string | null;
  description: string | null;
  expected_result: string | null;
  authority: string | null;
  issuer_unit_id: number;
  lead_unit_id: number | null;
  support_unit_ids: number[];
  assignee_user_id: number | null;
  due_on: string | null;
  parent_id: number | null;
  weight: number;
  source_kind: string | null;
  source_ref: string | null;
  source_id: number | null;
  created_by: number | null;
  at: Date;
}

/** A draft with the next code of the year it is created in (Vietnam's calendar year). */
export async function insertTask(q: Queryable, t: NewTask, year: number): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO tasks (code, kind, title, description, expected_result, authority, issuer_unit_id, lead_unit_id, support_unit_ids,
      assignee_user_id, due_on, parent_id, weight, source_kind, source_ref, source_id, created_by, created_at, updated_at)
    VALUES ('NV-' || ${year}::int || '-' || lpad(nextval('task_code_seq')::text, 6, '0'), ${t.kind}, ${t.title}, ${t.description},
      ${t.expected_result}, ${t.authority}, ${t.issuer_unit_id}, ${t.lead_unit_id}, ${t.support_unit_ids}::int[], ${t.assignee_user_id},
      ${t.due_on}::date, ${t.parent_id}, ${t.weight}, ${t.source_kind}, ${t.source_ref}, ${t.source_id}, ${t.created_by}, ${t.at}, ${t.at})
    RETURNING id::int`.execute(q);
  return rows[0].id;
}

/** Columns a change may set; every change bumps the version and updated_at. */
export interface TaskChanges {
  title?: string | null;
  description?: string | null;
  expected_result?: string | null;
  authority?: string | null;
  lead_unit_id?: number | null;
  support_unit_ids?: number[];
  assignee_user_id?: number | null;
  due_on?: string | null;
  original_due_on?: string | null;
  weight?: number;
  source_kind?: string | null;
  source_ref?: string | null;
  source_id?: number | null;
  status?: string;
  progress?: number;
  rolled_progress?: number;
  issued_at?: Date | null;
  issued_by?: number | null;
  completed_at?: Date | null;
  accepted_by?: number | null;
  cancelled_at?: Date | null;
}

const CASTS: Partial<Record<keyof TaskChanges, string>> = { support_unit_ids: 'int[]', due_on: 'date', original_due_on: 'date' };

export async function updateTask(q: Queryable, id: number, changes: TaskChanges, at: Date, extension?: { changedAt: Date; before: string }): Promise<void> {
  const sets = Object.entries(changes)
    .filter(([, v]) => v !== undefined)
    .map(([column, value]) => {
      const cast = CASTS[column as keyof TaskChanges];
      return cast ? sql`${sql.ref(column)} = ${value}::${sql.raw(cast)}` : sql`${sql.ref(column)} = ${value}`;
    });
  if (extension) {
    sets.push(sql`due_changed_at = due_changed_at || ${extension.changedAt}::timestamptz`);
    sets.push(sql`due_before = due_before || ${extension.before}::date`);
  }
  sets.push(sql`version = version + 1`, sql`updated_at = ${at}`);
  await sql`UPDATE tasks SET ${sql.join(sets)} WHERE id = ${id}`.execute(q);
}

// ---- history ----

export async function insertEvent(q: Queryable, e: { taskId: number; at: Date; actorUserId: number | null; type: string; data?: unknown }): Promise<void> {
  await sql`INSERT INTO task_events (task_id, at, actor_user_id, type, data)
    VALUES (${e.taskId}, ${e.at}, ${e.actorUserId}, ${e.type}, ${JSON.stringify(e.data ?? {})}::jsonb)`.execute(q);
}

export interface EventRow {
  id: number;
  at: Date;
  actor_user_id: number | null;
  actor_name: string | null;
  type: string;
  data: Record<string, unknown>;
}

export async function listEvents(q: Queryable, taskId: number): Promise<EventRow[]> {
  return (
    await sql<EventRow>`SELECT e.id::int AS id, e.at, e.actor_user_id, u.full_name AS actor_name, e.type, e.data
      FROM task_events e LEFT JOIN users u ON u.id = e.actor_user_id WHERE e.task_id = ${taskId} ORDER BY e.at, e.id`.execute(q)
  ).rows;
}

// ---- reports ----

export interface ReportRow {
  id: number;
  percent: number;
  text: string;
  reported_on: string;
  reason: string | null;
  files: { id: number; name: string; size: number; contentType: string }[];
  reported_by: number | null;
  reporter_name: string | null;
  created_at: Date;
}

export async function insertReport(
  q: Queryable,
  r: { taskId: number; percent: number; text: string; reportedOn: string; reason: string | null; reportedBy: number | null; at: Date },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO task_reports (task_id, percent, text, reported_on, reason, reported_by, created_at)
    VALUES (${r.taskId}, ${r.percent}, ${r.text}, ${r.reportedOn}::date, ${r.reason}, ${r.reportedBy}, ${r.at}) RETURNING id::int`.execute(q);
  return rows[0].id;
}

export interface ReportFileRow {
  file_key: string;
  name: string;
  size: number;
  content_type: string;
}

export async function insertReportFiles(q: Queryable, reportId: number, files: ReportFileRow[], at: Date): Promise<void> {
  for (const f of files) {
    await sql`INSERT INTO task_report_files (report_id, file_key, name, size, content_type, created_at)
      VALUES (${reportId}, ${f.file_key}, ${f.name}, ${f.size}, ${f.content_type}, ${at})`.execute(q);
  }
}

/** A report's file, when the report belongs to the task. */
export async function findReportFile(q: Queryable, taskId: number, reportId: number, fileId: number): Promise<ReportFileRow | null> {
  const { rows } = await sql<ReportFileRow>`SELECT f.file_key, f.name, f.size, f.content_type
    FROM task_report_files f JOIN task_reports r ON r.id = f.report_id
    WHERE f.id = ${fileId} AND f.report_id = ${reportId} AND r.task_id = ${taskId}`.execute(q);
  return rows[0] ?? null;
}

export async function listReports(q: Queryable, taskId: number): Promise<ReportRow[]> {
  return (
    await sql<ReportRow>`SELECT r.id::int AS id, r.percent, r.text, r.reported_on, r.reason, r.reported_by,
      COALESCE((SELECT json_agg(json_build_object('id', f.id::int, 'name', f.name, 'size', f.size, 'contentType', f.content_type) ORDER BY f.id)
                FROM task_report_files f WHERE f.report_id = r.id), '[]') AS files, u.full_name AS reporter_name, r.created_at
      FROM task_reports r LEFT JOIN users u ON u.id = r.reported_by WHERE r.task_id = ${taskId} ORDER BY r.created_at, r.id`.execute(q)
  ).rows;
}

// ---- extensions ----

export interface ExtensionRow {
  id: number;
  task_id: number;
  requested_due_on: string;
  previous_due_on: string;
  reason: string;
  status: string;
  requested_by: number | null;
  requester_name: string | null;
  requested_at: Date;
  decided_by: number | null;
  decider_name: string | null;
  decided_at: Date | null;
  note: string | null;
}

const SELECT_EXTENSIONS = sql`
  SELECT x.id::int AS id, x.task_id::int AS task_id, x.requested_due_on, x.previous_due_on, x.reason, x.status, x.requested_by,
    ru.full_name AS requester_name, x.requested_at, x.decided_by, du.full_name AS decider_name, x.decided_at, x.note
  FROM task_extensions x LEFT JOIN users ru ON ru.id = x.requested_by LEFT JOIN users du ON du.id = x.decided_by`;

export async function insertExtension(
  q: Queryable,
  x: { taskId: number; requestedDueOn: string; previousDueOn: string; reason: string; requestedBy: number | null; at: Date },
): Promise<ExtensionRow> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO task_extensions (task_id, requested_due_on, previous_due_on, reason, requested_by, requested_at)
    VALUES (${x.taskId}, ${x.requestedDueOn}::date, ${x.previousDueOn}::date, ${x.reason}, ${x.requestedBy}, ${x.at}) RETURNING id::int`.execute(q);
  return (await findExtension(q, x.taskId, rows[0].id)) as ExtensionRow;
}

export async function findExtension(q: Queryable, taskId: number, id: number): Promise<ExtensionRow | undefined> {
  return (await sql<ExtensionRow>`${SELECT_EXTENSIONS} WHERE x.task_id = ${taskId} AND x.id = ${id}`.execute(q)).rows[0];
}

export async function pendingExtension(q: Queryable, taskId: number): Promise<ExtensionRow | undefined> {
  return (await sql<ExtensionRow>`${SELECT_EXTENSIONS} WHERE x.task_id = ${taskId} AND x.status = 'pending'`.execute(q)).rows[0];
}

export async function listExtensions(q: Queryable, taskId: number): Promise<ExtensionRow[]> {
  return (await sql<ExtensionRow>`${SELECT_EXTENSIONS} WHERE x.task_id = ${taskId} ORDER BY x.requested_at, x.id`.execute(q)).rows;
}

export async function decideExtension(q: Queryable, id: number, d: { status: 'approved' | 'refused'; decidedBy: number | null; note: string | null; at: Date }) {
  await sql`UPDATE task_extensions SET status = ${d.status}, decided_by = ${d.decidedBy}, decided_at = ${d.at}, note = ${d.note} WHERE id = ${id}`.execute(q);
}

// ---- comments and watchers ----

export interface CommentRow {
  id: number;
  author_user_id: number | null;
  author_name: string | null;
  text: string;
  created_at: Date;
}

export async function insertComment(q: Queryable, c: { taskId: number; authorUserId: number | null; text: string; at: Date }): Promise<CommentRow> {
  const { rows } = await sql<CommentRow>`
    WITH c AS (INSERT INTO task_comments (task_id, author_user_id, text, created_at) VALUES (${c.taskId}, ${c.authorUserId}, ${c.text}, ${c.at})
      RETURNING id, author_user_id, text, created_at)
    SELECT c.id::int AS id, c.author_user_id, u.full_name AS author_name, c.text, c.created_at FROM c LEFT JOIN users u ON u.id = c.author_user_id`.execute(q);
  return rows[0];
}

export async function listComments(q: Queryable, taskId: number): Promise<CommentRow[]> {
  return (
    await sql<CommentRow>`SELECT c.id::int AS id, c.author_user_id, u.full_name AS author_name, c.text, c.created_at
      FROM task_comments c LEFT JOIN users u ON u.id = c.author_user_id WHERE c.task_id = ${taskId} ORDER BY c.created_at, c.id`.execute(q)
  ).rows;
}

/** True when the watch was added (false: already watching). */
export async function addWatcher(q: Queryable, taskId: number, userId: number, at: Date): Promise<boolean> {
  const { rows } = await sql`INSERT INTO task_watchers (task_id, user_id, created_at) VALUES (${taskId}, ${userId}, ${at})
    ON CONFLICT DO NOTHING RETURNING user_id`.execute(q);
  return rows.length > 0;
}

export async function removeWatcher(q: Queryable, taskId: number, userId: number): Promise<boolean> {
  const { rows } = await sql`DELETE FROM task_watchers WHERE task_id = ${taskId} AND user_id = ${userId} RETURNING user_id`.execute(q);
  return rows.length > 0;
}

export async function listWatchers(q: Queryable, taskId: number): Promise<{ id: number; full_name: string }[]> {
  return (
    await sql<{ id: number; full_name: string }>`SELECT u.id, u.full_name FROM task_watchers w JOIN users u ON u.id = w.user_id
      WHERE w.task_id = ${taskId} ORDER BY w.created_at, u.id`.execute(q)
  ).rows;
}

export async function isWatching(q: Queryable, taskId: number, userId: number): Promise<boolean> {
  return (await sql`SELECT 1 FROM task_watchers WHERE task_id = ${taskId} AND user_id = ${userId}`.execute(q)).rows.length > 0;
}

// ---- units and calendar, read inside a caller's transaction ----

export async function unitsByIds(q: Queryable, ids: readonly number[]) {
  const { rows } = await sql<{ id: number; code: string; name: string; path: string; active: boolean }>`
    SELECT id, code, name, path, active FROM org_units WHERE id = ANY(${[...new Set(ids)]}::int[])`.execute(q);
  return new Map(rows.map((r) => [r.id, r]));
}

export async function calendarExceptions(q: Queryable): Promise<{ date: string; kind: 'off' | 'work'; name: string }[]> {
  return (await sql<{ date: string; kind: 'off' | 'work'; name: string }>`SELECT date, kind, name FROM calendar_exceptions ORDER BY date`.execute(q)).rows;
}

// ---- people ----

export interface UserRef {
  id: number;
  full_name: string;
  username: string;
  org_unit_id: number;
  active: boolean;
}

export async function findUser(q: Queryable, id: number): Promise<UserRef | undefined> {
  return (await sql<UserRef>`SELECT id, full_name, username, org_unit_id, active FROM users WHERE id = ${id}`.execute(q)).rows[0];
}

/** Active users holding `role` on the unit itself (its leaders, not the leaders above it). */
export async function usersWithRoleOn(q: Queryable, unitId: number, role: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT DISTINCT u.id FROM users u JOIN user_grants g ON g.user_id = u.id
    WHERE u.active AND g.role = ${role} AND g.org_unit_id = ${unitId} ORDER BY u.id`.execute(q);
  return rows.map((r) => r.id);
}

export async function watchedTaskIds(q: Queryable, userId: number): Promise<number[]> {
  return (await sql<{ task_id: number }>`SELECT task_id::int AS task_id FROM task_watchers WHERE user_id = ${userId}`.execute(q)).rows.map((r) => r.task_id);
}

export async function watcherIds(q: Queryable, taskId: number): Promise<number[]> {
  return (await sql<{ user_id: number }>`SELECT user_id FROM task_watchers WHERE task_id = ${taskId} ORDER BY user_id`.execute(q)).rows.map((r) => r.user_id);
}

/** In-app notifications about a task, one per user (the same table the feedback module writes). */
export async function insertNotifications(q: Queryable, n: { userIds: number[]; unitId: number | null; kind: string; taskId: number; message: string; at: Date }) {
  if (n.userIds.length === 0) return;
  await sql`INSERT INTO notifications (user_id, org_unit_id, kind, task_id, message, created_at)
    SELECT u, ${n.unitId}::int, ${n.kind}, ${n.taskId}::bigint, ${n.message}, ${n.at}::timestamptz FROM unnest(${n.userIds}::int[]) AS u`.execute(q);
}

// ---- settings ----

export interface SettingsRow {
  six_clears: boolean;
  reminder_days_before: number;
}

export async function readSettings(q: Queryable): Promise<SettingsRow> {
  return (await sql<SettingsRow>`SELECT six_clears, reminder_days_before FROM task_settings`.execute(q)).rows[0];
}

export async function writeSettings(q: Queryable, s: SettingsRow & { updatedBy: number | null }): Promise<void> {
  await sql`UPDATE task_settings SET six_clears = ${s.six_clears}, reminder_days_before = ${s.reminder_days_before},
    updated_by = ${s.updatedBy}, updated_at = now()`.execute(q);
}

// ---- scorecard ----

/**
 * Counts per lead unit and timeliness of the tasks issued by `end`, not completed before
 * `start`, not cancelled by `at`, judged as of `at`; lead units limited to `unitIds` (null: all).
 */
export async function scorecardCounts(
  q: Queryable,
  f: { unitIds: number[] | null; start: Date; end: Date; at: Date },
): Promise<{ lead_unit_id: number; timeliness: string | null; n: number }[]> {
  // Judged as of now, and no task changed after that instant (a test clock set back): from the kept counts.
  if (f.at.getTime() < f.end.getTime()) {
    const { rows } = await sql<{ current: boolean }>`SELECT coalesce(max(updated_at) <= ${f.at}, true) AS current FROM tasks`.execute(q);
    if (rows[0].current) return scorecardCountsNow(q, f);
  }
  const units = f.unitIds === null ? sql`t.lead_unit_id IS NOT NULL` : sql`t.lead_unit_id = ANY(${f.unitIds}::int[])`;
  const { rows } = await sql<{ lead_unit_id: number; timeliness: string | null; n: number }>`
    SELECT t.lead_unit_id, ${timelinessSql(f.at)} AS timeliness, count(*)::int AS n FROM tasks t
    WHERE ${units} AND t.issued_at <= ${f.end} AND (t.completed_at IS NULL OR t.completed_at >= ${f.start})
      AND (t.cancelled_at IS NULL OR t.cancelled_at > ${f.at})
    GROUP BY 1, 2`.execute(q);
  return rows;
}

/**
 * The same counts for a period judged as of now (`at` before its end), from the counts kept by
 * migration 015 instead of every task: the tasks completed since `start` (whole months from
 * task_completions_monthly, the days before the first of them from task_completions_daily) and those open now
 * (per lead unit from task_status_counts, overdue: deadline before today). It reads the rows as
 * they stand, so `at` must be now and no row changed after it.
 */
async function scorecardCountsNow(
  q: Queryable,
  f: { unitIds: number[] | null; start: Date; at: Date },
): Promise<{ lead_unit_id: number; timeliness: string | null; n: number }[]> {
  const units = (column: string) =>
    f.unitIds === null ? sql`${sql.ref(column)} IS NOT NULL AND ${sql.ref(column)} <> 0` : sql`${sql.ref(column)} = ANY(${f.unitIds}::int[])`;
  const { rows } = await sql<{ lead_unit_id: number; timeliness: string | null; n: number }>`
    WITH b AS (
      SELECT (date_trunc('month', (${f.start}::timestamptz AT TIME ZONE INTERVAL '07:00') - interval '1 day') + interval '1 month')::date AS first_month,
        (${f.start}::timestamptz AT TIME ZONE INTERVAL '07:00')::date AS first_day, (${f.at}::timestamptz AT TIME ZONE INTERVAL '07:00')::date AS today
    ), done AS (
      SELECT c.lead_unit_id, sum(c.on_time) AS on_time, sum(c.late) AS late FROM task_completions_monthly c, b
      WHERE ${units('c.lead_unit_id')} AND c.month >= b.first_month GROUP BY 1
      UNION ALL
      SELECT c.lead_unit_id, sum(c.on_time), sum(c.late) FROM task_completions_daily c, b
      WHERE ${units('c.lead_unit_id')} AND c.day >= b.first_day AND c.day < b.first_month GROUP BY 1
    ), open AS (
      SELECT c.lead_unit_id, sum(c.n) AS n, 0 AS overdue FROM task_status_counts c
      WHERE ${units('c.lead_unit_id')} AND c.status IN ('in_progress', 'submitted') GROUP BY 1
      UNION ALL
      SELECT t.lead_unit_id, 0, count(*) FROM tasks t, b
      WHERE ${units('t.lead_unit_id')} AND t.status IN ('in_progress', 'submitted') AND t.due_on < b.today GROUP BY 1
    )
    SELECT lead_unit_id, 'completed_on_time' AS timeliness, sum(on_time)::int AS n FROM done GROUP BY 1 HAVING sum(on_time) > 0
    UNION ALL SELECT lead_unit_id, 'completed_late', sum(late)::int FROM done GROUP BY 1 HAVING sum(late) > 0
    UNION ALL SELECT lead_unit_id, 'in_progress_within', (sum(n) - sum(overdue))::int FROM open GROUP BY 1 HAVING sum(n) - sum(overdue) > 0
    UNION ALL SELECT lead_unit_id, 'in_progress_overdue', sum(overdue)::int FROM open GROUP BY 1 HAVING sum(overdue) > 0`.execute(q);
  return rows;
}

// ---- reminders ----

export interface ReminderRow {
  id: number;
  code: string;
  title: string | null;
  due_on: string;
  lead_unit_id: number | null;
  assignee_user_id: number | null;
}

/**
 * Records the reminders of `kind` for tasks in progress whose deadline is between `dueFrom` and
 * `dueTo`, keyed on `onDate` (null: the deadline itself), and returns the tasks it recorded: a
 * reminder already recorded (by this or another instance) is not returned again.
 */
export async function takeReminders(
  q: Queryable,
  f: { kind: 'due_soon' | 'overdue'; dueFrom: string | null; dueTo: string; onDate: string | null },
): Promise<ReminderRow[]> {
  const from = f.dueFrom === null ? sql`true` : sql`t.due_on >= ${f.dueFrom}::date`;
  const { rows } = await sql<ReminderRow>`
    WITH due AS (
      SELECT t.id, t.due_on FROM tasks t WHERE t.status = 'in_progress' AND t.due_on IS NOT NULL AND ${from} AND t.due_on <= ${f.dueTo}::date),
    taken AS (
      INSERT INTO task_reminders (task_id, kind, on_date)
      SELECT id, ${f.kind}, coalesce(${f.onDate}::date, due_on) FROM due ORDER BY id
      ON CONFLICT DO NOTHING RETURNING task_id)
    SELECT t.id::int AS id, t.code, t.title, t.due_on, t.lead_unit_id, t.assignee_user_id FROM tasks t JOIN taken ON taken.task_id = t.id ORDER BY t.id`.execute(q);
  return rows;
}
