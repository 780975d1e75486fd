// The only place with the feedback module's SQL. Raw `sql` over the shared Kysely instance: the
// feedback tables are the module's own and its queries (scope by path, distance, similarity,
// medians) read better as SQL than as a builder chain.

import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { Queryable } from '../../db/kysely.js';
import { containsPattern } from '../../platform/text/fold.js';
import type { Attribute } from './schemas.js';

// ---- categories ----

export interface CategoryRow extends CategoryValues {
  id: number;
  created_at: Date;
  updated_at: Date;
}

export async function listCategories(
  q: Queryable,
  f: { active?: boolean; q?: string; sort: string; limit: number; offset: number },
): Promise<{ rows: CategoryRow[]; total: number }> {
  const where = sql.join(
    [
      sql`true`,
      ...(f.active === undefined ? [] : [sql`active = ${f.active}`]),
      ...(f.q ? [sql`vn_fold(code || ' ' || name || ' ' || group_name) LIKE ${containsPattern(f.q)}`] : []),
    ],
    sql` AND `,
  );
  const rows = await sql<CategoryRow & { total: string }>`
    SELECT *, count(*) OVER () AS total FROM feedback_categories WHERE ${where}
    ORDER BY ${sql.raw(f.sort)}, id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(q);
  return { rows: rows.rows, total: Number(rows.rows[0]?.total ?? 0) };
}

/** Every category, active or not (a few dozen): what the in-memory category cache holds. */
export async function allCategories(q: Queryable): Promise<CategoryRow[]> {
  return (await sql<CategoryRow>`SELECT * FROM feedback_categories ORDER BY id`.execute(q)).rows;
}

export async function findCategory(q: Queryable, by: { id: number } | { code: string }): Promise<CategoryRow | undefined> {
  const where = 'id' in by ? sql`id = ${by.id}` : sql`lower(code) = lower(${by.code})`;
  return (await sql<CategoryRow>`SELECT * FROM feedback_categories WHERE ${where}`.execute(q)).rows[0];
}

/** Categories by id, active or not. */
export async function findCategories(q: Queryable, ids: readonly number[]): Promise<CategoryRow[]> {
  if (ids.length === 0) return [];
  return (await sql<CategoryRow>`SELECT * FROM feedback_categories WHERE id IN (${sql.join(ids)})`.execute(q)).rows;
}

export interface CategoryValues {
  code: string;
  name: string;
  description: string;
  group_name: string;
  attributes: Attribute[];
  unit_kind: string;
  deadline_days: number;
  active: boolean;
}

export async function insertCategory(q: Queryable, v: CategoryValues): Promise<CategoryRow> {
  const { rows } = await sql<CategoryRow>`
    INSERT INTO feedback_categories (code, name, description, group_name, attributes, unit_kind, deadline_days, active)
    VALUES (${v.code}, ${v.name}, ${v.description}, ${v.group_name}, ${JSON.stringify(v.attributes)}::jsonb, ${v.unit_kind}, ${v.deadline_days}, ${v.active})
    RETURNING *`.execute(q);
  return rows[0];
}

export async function updateCategory(q: Queryable, id: number, v: CategoryValues): Promise<CategoryRow> {
  const { rows } = await sql<CategoryRow>`
    UPDATE feedback_categories SET code = ${v.code}, name = ${v.name}, description = ${v.description}, group_name = ${v.group_name},
      attributes = ${JSON.stringify(v.attributes)}::jsonb, unit_kind = ${v.unit_kind}, deadline_days = ${v.deadline_days},
      active = ${v.active}, updated_at = now()
    WHERE id = ${id} RETURNING *`.execute(q);
  return rows[0];
}

// ---- reports ----

export interface ReportRow {
  id: number;
  code: string;
  category_id: number;
  category_code: string;
  category_name: string;
  deadline_days: number;
  description: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  area_unit_id: number | null;
  area_unit_name: string | null;
  area_path: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  anonymous: boolean;
  reporter_token_hash: string | null;
  status: string;
  urgent: boolean;
  suggested_unit_id: number | null;
  unit_id: number | null;
  unit_name: string | null;
  unit_path: string | null;
  received_at: Date;
  verified_at: Date | null;
  deadline: Date | null;
  original_deadline: Date | null;
  overdue_at: Date | null;
  resolved_at: Date | null;
  /** Working hours from verification to resolution, stored at resolution (null while unresolved). */
  handling_hours: number | null;
  closed_at: Date | null;
  answer: string | null;
  rejection_reason: string | null;
  rejection_text: string | null;
  rating: string | null;
  rating_comment: string | null;
  rated_at: Date | null;
  merged_into: number | null;
  merged_into_code: string | null;
  source: string;
  attributes: Record<string, unknown>;
  photo_count: number;
  pending_extension_id: number | null;
  pending_proposed_deadline: Date | null;
  pending_reason: string | null;
  pending_requested_at: Date | null;
}

const SELECT_REPORTS = sql`
  SELECT r.id, r.code, r.category_id, c.code AS category_code, c.name AS category_name, c.deadline_days,
    r.description, r.address, r.lat, r.lng, r.area_unit_id, au.name AS area_unit_name, au.path AS area_path,
    r.reporter_name, r.reporter_phone, r.reporter_email, r.anonymous, r.reporter_token_hash, r.status, r.urgent,
    r.suggested_unit_id, r.unit_id, hu.name AS unit_name, hu.path AS unit_path, r.received_at, r.verified_at,
    r.deadline, r.original_deadline, r.overdue_at, r.resolved_at, r.handling_hours, r.closed_at, r.answer, r.rejection_reason,
    r.rejection_text, r.rating, r.rating_comment, r.rated_at, r.merged_into, m.code AS merged_into_code, r.source,
    r.attributes,
    (SELECT count(*)::int FROM feedback_photos p WHERE p.report_id = r.id AND p.kind = 'report') AS photo_count,
    x.id AS pending_extension_id, x.proposed_deadline AS pending_proposed_deadline, x.reason AS pending_reason,
    x.requested_at AS pending_requested_at
  FROM feedback_reports r
  JOIN feedback_categories c ON c.id = r.category_id
  LEFT JOIN org_units au ON au.id = r.area_unit_id
  LEFT JOIN org_units hu ON hu.id = r.unit_id
  LEFT JOIN feedback_reports m ON m.id = r.merged_into
  LEFT JOIN feedback_extensions x ON x.report_id = r.id AND x.decision IS NULL`;

export async function findReport(q: Queryable, by: { id: number } | { code: string }, forUpdate = false): Promise<ReportRow | undefined> {
  const where = 'id' in by ? sql`r.id = ${by.id}` : sql`r.code = ${by.code}`;
  if (forUpdate) await sql`SELECT 1 FROM feedback_reports r WHERE ${where} FOR UPDATE`.execute(q);
  return (await sql<ReportRow>`${SELECT_REPORTS} WHERE ${where}`.execute(q)).rows[0];
}

/** Which reports a staff member reaches: by the area of the place, or by the handling unit. */
export interface ReportScope {
  /** Path prefixes of units whose area the actor watches (operators, leaders, administrators). */
  areaPaths: string[];
  /** Path prefixes of units whose handling the actor does (every staff role). */
  unitPaths: string[];
  /** Sees reports that have no area (an address without coordinates): operators of a whole locality. */
  noArea: boolean;
}

export function scopeCondition(scope: ReportScope): RawBuilder<unknown> {
  const parts = [
    ...scope.areaPaths.map((p) => sql`au.path LIKE ${`${p}%`}`),
    ...scope.unitPaths.map((p) => sql`hu.path LIKE ${`${p}%`}`),
    ...(scope.noArea ? [sql`r.area_unit_id IS NULL`] : []),
  ];
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

export interface ReportFilters {
  statuses?: string[];
  categoryId?: number;
  unitPath?: string;
  areaPath?: string;
  from?: Date;
  to?: Date;
  q?: string;
  urgent?: boolean;
  deadlineBefore?: Date;
  deadlineAfter?: Date;
  pendingExtension?: boolean;
  sentBack?: boolean;
}

export function filterCondition(f: ReportFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (f.statuses?.length) parts.push(sql`r.status IN (${sql.join(f.statuses)})`);
  if (f.categoryId) parts.push(sql`r.category_id = ${f.categoryId}`);
  if (f.unitPath) parts.push(sql`hu.path LIKE ${`${f.unitPath}%`}`);
  if (f.areaPath) parts.push(sql`au.path LIKE ${`${f.areaPath}%`}`);
  if (f.from) parts.push(sql`r.received_at >= ${f.from}`);
  if (f.to) parts.push(sql`r.received_at < ${f.to}`);
  if (f.q) parts.push(sql`r.search LIKE ${containsPattern(f.q)}`);
  if (f.urgent !== undefined) parts.push(sql`r.urgent = ${f.urgent}`);
  if (f.deadlineBefore) parts.push(sql`r.deadline <= ${f.deadlineBefore}`);
  if (f.deadlineAfter) parts.push(sql`r.deadline >= ${f.deadlineAfter}`);
  return sql.join(parts, sql` AND `);
}

/** One page of reports in the given order, without their total (which costs a pass over every match). */
export async function listReportsPage(
  q: Queryable,
  where: RawBuilder<unknown>,
  order: { column: string; direction: 'asc' | 'desc' },
  page: { limit: number; offset: number },
): Promise<ReportRow[]> {
  const { rows } = await sql<ReportRow>`
    SELECT s.* FROM (${SELECT_REPORTS} WHERE ${where}) s
    ORDER BY ${sql.raw(order.column)} ${sql.raw(order.direction)} NULLS LAST, id DESC
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(q);
  return rows;
}

export async function listReports(
  q: Queryable,
  where: RawBuilder<unknown>,
  order: { column: string; direction: 'asc' | 'desc' },
  page: { limit: number; offset: number },
): Promise<{ rows: ReportRow[]; total: number }> {
  const { rows } = await sql<ReportRow & { total: string }>`
    SELECT s.*, count(*) OVER () AS total FROM (${SELECT_REPORTS} WHERE ${where}) s
    ORDER BY ${sql.raw(order.column)} ${sql.raw(order.direction)} NULLS LAST, id DESC
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(q);
  if (rows.length === 0 && page.offset > 0) {
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${SELECT_REPORTS} WHERE ${where}) s`.execute(q);
    return { rows: [], total: count.rows[0].n };
  }
  return { rows, total: rows.length ? Number(rows[0].total) : 0 };
}

export interface NewReport {
  code: string;
  category_id: number;
  description: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  area_unit_id: number | null;
  suggested_unit_id: number | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  anonymous: boolean;
  reporter_token_hash: string | null;
  source: 'web' | 'open311' | 'operator';
  attributes: Record<string, unknown>;
}

/** Statement names by text: each text gets its own name, the same in every connection. */
const statementNames = new Map<string, string>();

/**
 * Runs `query` as a named prepared statement on `pool` (the pool under the Kysely instance `db`):
 * PostgreSQL parses and plans it once per connection instead of on every call. For the hottest
 * write only; Kysely sends every statement unnamed.
 */
async function runPrepared<R>(db: Queryable, pool: pg.Pool, prefix: string, query: RawBuilder<R>): Promise<R[]> {
  const { sql: text, parameters } = query.compile(db);
  let name = statementNames.get(text);
  if (!name) {
    name = `${prefix}_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  // Released as Kysely releases its connections: pool.query would drop the connection on any
  // error, and PGlite's single connection does not survive that.
  const client = await pool.connect();
  try {
    return (await client.query({ name, text, values: [...parameters] })).rows;
  } finally {
    client.release();
  }
}

/** A citizen's report as submitted: the row, its photos, its `submit` event's details. */
export interface NewSubmission {
  report: NewReport;
  photos: Omit<PhotoRow, 'id' | 'report_id'>[];
  details: Record<string, unknown>;
}

/**
 * New reports, each with its photos, its `submit` timeline event and its audit row, in one
 * statement (data-modifying CTEs): atomic without BEGIN/COMMIT, one round trip and one commit for
 * all of them, prepared once per connection (the values travel as arrays, so the text is the same
 * for any number). `audit` builds the audit insert over rows of `n` (a submission's place, from 1)
 * and `entity_id`; `notice` is the bus's expression for submission `n`, evaluated for each stored
 * report. A report whose tracking code is already taken is skipped, with everything of it (the
 * unique index decides): the answer, by code, holds only the stored ones.
 */
export async function insertSubmissions(
  q: { db: Queryable; pool: pg.Pool },
  submissions: readonly NewSubmission[],
  audit: (rows: RawBuilder<unknown>) => RawBuilder<unknown>,
  notice: (n: RawBuilder<unknown>) => RawBuilder<unknown> | null,
): Promise<Map<string, { id: number; received_at: Date }>> {
  const column = <T>(value: (s: NewSubmission) => T) => submissions.map(value);
  const r = (s: NewSubmission) => s.report;
  const notify = notice(sql`i.n`);
  const rows = await runPrepared(
    q.db,
    q.pool,
    'feedback_submit',
    sql<{ code: string; id: number; received_at: Date }>`
    WITH i AS (
      SELECT * FROM unnest(${column((s) => r(s).code)}::text[], ${column((s) => r(s).category_id)}::int[],
        ${column((s) => r(s).description)}::text[], ${column((s) => r(s).address)}::text[], ${column((s) => r(s).lat)}::float8[],
        ${column((s) => r(s).lng)}::float8[], ${column((s) => r(s).area_unit_id)}::int[], ${column((s) => r(s).suggested_unit_id)}::int[],
        ${column((s) => r(s).reporter_name)}::text[], ${column((s) => r(s).reporter_phone)}::text[], ${column((s) => r(s).reporter_email)}::text[],
        ${column((s) => r(s).anonymous)}::boolean[], ${column((s) => r(s).reporter_token_hash)}::text[], ${column((s) => r(s).source)}::text[],
        ${column((s) => JSON.stringify(r(s).attributes))}::jsonb[], ${column((s) => JSON.stringify(s.details))}::jsonb[],
        ${column((s) => JSON.stringify(s.photos))}::jsonb[]) WITH ORDINALITY
        AS i (code, category_id, description, address, lat, lng, area_unit_id, suggested_unit_id, reporter_name, reporter_phone,
          reporter_email, anonymous, reporter_token_hash, source, attributes, details, photos, n)),
    r AS (
      INSERT INTO feedback_reports (code, category_id, description, address, lat, lng, area_unit_id, suggested_unit_id,
        reporter_name, reporter_phone, reporter_email, anonymous, reporter_token_hash, source, attributes)
      SELECT code, category_id, description, address, lat, lng, area_unit_id, suggested_unit_id,
        reporter_name, reporter_phone, reporter_email, anonymous, reporter_token_hash, source, attributes
      FROM i ORDER BY n
      ON CONFLICT (code) DO NOTHING
      RETURNING id, code, received_at),
    e AS (
      INSERT INTO feedback_events (report_id, action, from_status, to_status, at, public, actor_role, user_id, unit_id, details)
      SELECT r.id, 'submit', NULL, 'received', r.received_at, true, 'reporter', NULL, NULL, i.details
      FROM r JOIN i USING (code)),
    p AS (
      INSERT INTO feedback_photos (report_id, file_key, mime, size, width, height, kind, verified)
      SELECT r.id, x.photo->>'file_key', x.photo->>'mime', (x.photo->>'size')::int, (x.photo->>'width')::int,
        (x.photo->>'height')::int, x.photo->>'kind', (x.photo->>'verified')::boolean
      FROM r JOIN i USING (code), jsonb_array_elements(i.photos) WITH ORDINALITY AS x (photo, k)
      ORDER BY i.n, x.k),
    a AS (${audit(sql`(SELECT i.n, r.id AS entity_id FROM r JOIN i USING (code))`)})
    SELECT r.code, r.id, r.received_at${notify ? sql`, ${notify} AS notified` : sql``}
    FROM r JOIN i USING (code)`,
  );
  return new Map(rows.map((row) => [row.code, { id: row.id, received_at: row.received_at }]));
}

export interface ReportChanges {
  status: string;
  unit_id: number | null;
  verified_at: Date | null;
  deadline: Date | null;
  original_deadline: Date | null;
  resolved_at: Date | null;
  /** Set when the report is resolved; omitted keeps the stored value. Cleared whenever resolved_at is. */
  handling_hours?: number | null;
  closed_at: Date | null;
  rating: string | null;
  rating_comment: string | null;
  rated_at: Date | null;
  merged_into: number | null;
  overdue_at: Date | null;
  urgent?: boolean;
  answer?: string | null;
  rejection_reason?: string | null;
  rejection_text?: string | null;
}

export async function updateReport(q: Queryable, id: number, c: ReportChanges): Promise<void> {
  await sql`
    UPDATE feedback_reports SET status = ${c.status}, unit_id = ${c.unit_id}, verified_at = ${c.verified_at},
      deadline = ${c.deadline}, original_deadline = ${c.original_deadline}, resolved_at = ${c.resolved_at},
      handling_hours = CASE WHEN ${c.resolved_at}::timestamptz IS NULL THEN NULL
        WHEN ${c.handling_hours !== undefined} THEN ${c.handling_hours ?? null}::float8 ELSE handling_hours END,
      closed_at = ${c.closed_at}, rating = ${c.rating}, rating_comment = ${c.rating_comment}, rated_at = ${c.rated_at},
      merged_into = ${c.merged_into}, overdue_at = ${c.overdue_at},
      urgent = coalesce(${c.urgent ?? null}::boolean, urgent),
      answer = CASE WHEN ${c.answer !== undefined} THEN ${c.answer ?? null} ELSE answer END,
      rejection_reason = CASE WHEN ${c.rejection_reason !== undefined} THEN ${c.rejection_reason ?? null} ELSE rejection_reason END,
      rejection_text = CASE WHEN ${c.rejection_text !== undefined} THEN ${c.rejection_text ?? null} ELSE rejection_text END,
      updated_at = now()
    WHERE id = ${id}`.execute(q);
}

// ---- timeline ----

export interface EventRow {
  id: string;
  report_id: number;
  action: string;
  from_status: string | null;
  to_status: string;
  at: Date;
  public: boolean;
  actor_role: string;
  user_id: number | null;
  unit_id: number | null;
  details: Record<string, unknown>;
}

/**
 * A timeline event; the report's updated_at moves up to the event's time, so that it alone tells
 * when the report last changed (Open311 updated_datetime). A submission's event needs no such
 * step: it has the time the report was created at (insertSubmission).
 */
export type NewEvent = Omit<EventRow, 'id' | 'details'> & { details: Record<string, unknown> };

export async function insertEvent(q: Queryable, e: NewEvent): Promise<void> {
  await insertEvents(q, [e]);
}

/** Timeline entries, in order; each report's updated_at follows its latest. */
export async function insertEvents(q: Queryable, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    WITH e AS (
      INSERT INTO feedback_events (report_id, action, from_status, to_status, at, public, actor_role, user_id, unit_id, details)
      SELECT x.report_id, x.action, x.from_status, x.to_status, x.at, x.public, x.actor_role, x.user_id, x.unit_id, x.details
      FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS x(report_id integer, action text, from_status text,
        to_status text, at timestamptz, public boolean, actor_role text, user_id integer, unit_id integer, details jsonb)
      RETURNING report_id, at),
    latest AS (SELECT report_id, max(at) AS at FROM e GROUP BY report_id)
    UPDATE feedback_reports r SET updated_at = l.at FROM latest l WHERE r.id = l.report_id AND r.updated_at < l.at`.execute(q);
}

export async function listEvents(q: Queryable, reportId: number, publicOnly: boolean): Promise<EventRow[]> {
  const onlyPublic = publicOnly ? sql`AND public` : sql``;
  return (await sql<EventRow>`SELECT * FROM feedback_events WHERE report_id = ${reportId} ${onlyPublic} ORDER BY id`.execute(q)).rows;
}

// ---- photos ----

export interface PhotoRow {
  id: number;
  report_id: number;
  file_key: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  kind: 'report' | 'answer';
  verified: boolean;
}

export async function insertPhotos(q: Queryable, reportId: number, photos: Omit<PhotoRow, 'id' | 'report_id'>[]): Promise<void> {
  for (const p of photos) {
    await sql`
      INSERT INTO feedback_photos (report_id, file_key, mime, size, width, height, kind, verified)
      VALUES (${reportId}, ${p.file_key}, ${p.mime}, ${p.size}, ${p.width}, ${p.height}, ${p.kind}, ${p.verified})`.execute(q);
  }
}

export async function listPhotos(q: Queryable, reportId: number, verifiedOnly = false): Promise<PhotoRow[]> {
  const only = verifiedOnly ? sql`AND verified` : sql``;
  return (await sql<PhotoRow>`SELECT * FROM feedback_photos WHERE report_id = ${reportId} ${only} ORDER BY id`.execute(q)).rows;
}

export async function setPhotoVerified(q: Queryable, reportId: number, photoId: number, verified: boolean): Promise<PhotoRow | undefined> {
  const { rows } = await sql<PhotoRow>`
    UPDATE feedback_photos SET verified = ${verified} WHERE id = ${photoId} AND report_id = ${reportId} RETURNING *`.execute(q);
  return rows[0];
}

/** True when a photo with this content is verified and belongs to a report the public may see. */
export async function isPublicPhoto(q: Queryable, key: string, publicStatuses: readonly string[]): Promise<{ mime: string } | undefined> {
  const { rows } = await sql<{ mime: string }>`
    SELECT p.mime FROM feedback_photos p JOIN feedback_reports r ON r.id = p.report_id
    WHERE p.file_key = ${key} AND p.verified AND r.status IN (${sql.join([...publicStatuses])}) LIMIT 1`.execute(q);
  return rows[0];
}

// ---- extensions ----

export async function insertExtension(
  q: Queryable,
  e: { reportId: number; unitId: number; proposedDeadline: Date; reason: string; requestedAt: Date; userId: number | null },
): Promise<void> {
  await sql`
    INSERT INTO feedback_extensions (report_id, unit_id, proposed_deadline, reason, requested_at, requested_by)
    VALUES (${e.reportId}, ${e.unitId}, ${e.proposedDeadline}, ${e.reason}, ${e.requestedAt}, ${e.userId})`.execute(q);
}

export async function decideExtension(
  q: Queryable,
  reportId: number,
  d: { decision: 'approve' | 'refuse'; reason: string | null; at: Date; userId: number | null },
): Promise<void> {
  await sql`
    UPDATE feedback_extensions SET decision = ${d.decision}, decision_reason = ${d.reason}, decided_at = ${d.at}, decided_by = ${d.userId}
    WHERE report_id = ${reportId} AND decision IS NULL`.execute(q);
}

/** Drops a pending request the lifecycle cleared (resolved or sent back meanwhile). */
export async function withdrawPendingExtension(q: Queryable, reportId: number, at: Date): Promise<void> {
  await sql`
    UPDATE feedback_extensions SET decision = 'refuse', decision_reason = 'withdrawn', decided_at = ${at}
    WHERE report_id = ${reportId} AND decision IS NULL`.execute(q);
}

// ---- duplicates ----

export interface DuplicateRow {
  id: number;
  code: string;
  status: string;
  description: string;
  lat: number | null;
  lng: number | null;
  similarity: number;
  received_at: Date;
}

/**
 * Open reports of the category inside the box around the point (served by the place index), or,
 * when there is no point, anywhere with a similar text (served by the trigram index); the caller
 * measures the distance and the similarity.
 */
export async function duplicateCandidates(
  q: Queryable,
  f: { categoryId: number; box: { minLat: number; maxLat: number; minLng: number; maxLng: number } | null; text: string; excludeId?: number; statuses: readonly string[] },
): Promise<DuplicateRow[]> {
  const exclude = f.excludeId ? sql`AND id <> ${f.excludeId}` : sql``;
  const where = f.box
    ? sql`lat BETWEEN ${f.box.minLat} AND ${f.box.maxLat} AND lng BETWEEN ${f.box.minLng} AND ${f.box.maxLng}`
    : sql`${f.text !== ''} AND search % vn_fold(${f.text})`;
  const { rows } = await sql<DuplicateRow>`
    SELECT id, code, status, description, lat, lng, similarity(search, vn_fold(${f.text}))::float8 AS similarity, received_at
    FROM feedback_reports
    WHERE category_id = ${f.categoryId} AND status IN (${sql.join([...f.statuses])}) ${exclude} AND ${where}
    ORDER BY received_at DESC LIMIT 200`.execute(q);
  return rows;
}

// ---- notifications ----

export interface NotificationRow {
  id: string;
  kind: string;
  report_id: number | null;
  report_code: string | null;
  task_id: number | null;
  task_code: string | null;
  message: string;
  created_at: Date;
  read_at: Date | null;
}

export async function insertNotification(
  q: Queryable,
  n: { userId: number | null; unitId: number | null; kind: string; reportId: number | null; message: string },
): Promise<void> {
  await sql`
    INSERT INTO notifications (user_id, org_unit_id, kind, report_id, message)
    VALUES (${n.userId}, ${n.unitId}, ${n.kind}, ${n.reportId}, ${n.message})`.execute(q);
}

/** Users holding `role` on the unit or one of its ancestors, active. */
export async function usersWithRoleOver(q: Queryable, unitPath: string, role: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT DISTINCT u.id FROM users u JOIN user_grants g ON g.user_id = u.id JOIN org_units o ON o.id = g.org_unit_id
    WHERE u.active AND g.role = ${role} AND ${unitPath} LIKE o.path || '%' ORDER BY u.id`.execute(q);
  return rows.map((r) => r.id);
}

function notificationWhere(userId: number, unitPaths: string[], unread: boolean) {
  const units = unitPaths.length
    ? sql`OR (n.user_id IS NULL AND (${sql.join(unitPaths.map((p) => sql`o.path LIKE ${`${p}%`}`), sql` OR `)}))`
    : sql``;
  return sql`(n.user_id = ${userId} ${units}) ${unread ? sql`AND n.read_at IS NULL` : sql``}`;
}

export async function listNotifications(
  q: Queryable,
  f: { userId: number; unitPaths: string[]; unread: boolean; limit: number; offset: number },
): Promise<{ rows: NotificationRow[]; total: number }> {
  const where = notificationWhere(f.userId, f.unitPaths, f.unread);
  const { rows } = await sql<NotificationRow & { total: string }>`
    SELECT n.id, n.kind, n.report_id, r.code AS report_code, n.task_id::int AS task_id, tk.code AS task_code, n.message, n.created_at, n.read_at,
      count(*) OVER () AS total
    FROM notifications n LEFT JOIN org_units o ON o.id = n.org_unit_id LEFT JOIN feedback_reports r ON r.id = n.report_id
      LEFT JOIN tasks tk ON tk.id = n.task_id
    WHERE ${where} ORDER BY n.created_at DESC, n.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(q);
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export async function markNotificationsRead(q: Queryable, f: { userId: number; unitPaths: string[]; id?: number }): Promise<number> {
  const one = f.id === undefined ? sql`` : sql`AND n.id = ${f.id}`;
  const { rows } = await sql<{ id: string }>`
    UPDATE notifications n SET read_at = now()
    WHERE n.read_at IS NULL ${one} AND n.id IN (
      SELECT n.id FROM notifications n LEFT JOIN org_units o ON o.id = n.org_unit_id WHERE ${notificationWhere(f.userId, f.unitPaths, false)})
    RETURNING n.id`.execute(q);
  return rows.length;
}

export async function notificationVisible(q: Queryable, f: { userId: number; unitPaths: string[]; id: number }): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    SELECT n.id FROM notifications n LEFT JOIN org_units o ON o.id = n.org_unit_id
    WHERE n.id = ${f.id} AND ${notificationWhere(f.userId, f.unitPaths, false)}`.execute(q);
  return rows.length > 0;
}
