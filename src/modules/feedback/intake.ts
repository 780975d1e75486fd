// The citizens' side: submitting a report, following it by its code, rating and reopening it,
// and the public list and map. Personal data never leaves through here.

import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type pg from 'pg';
import { type Db, inTransaction } from '../../db/kysely.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Bus } from '../../platform/bus/bus.js';
import { AppError, badRequest, notFound, validationFailed } from '../../platform/errors/errors.js';
import type { FileStore } from '../../platform/files/store.js';
import { type ListResult, pageOf, sortOf } from '../../platform/http/list.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { containsPattern } from '../../platform/text/fold.js';
import { TRACKING_CODE, hashToken, phoneDigits, reporterToken, sameHash, trackingCode } from './codes.js';
import { endOfBusinessDay } from './deadline.js';
import { transition } from './lifecycle.js';
import { preparePhotos } from './photos.js';
import { actionLabel, jsonDetails, lifecycleOf, publicPhotoUrl } from './present.js';
import * as repo from './repo.js';
import { locate } from './routing.js';
import { MAX_DESCRIPTION, type PublicListItem, type PublicListQuery, type PublicReport } from './schemas.js';
import type { CategoryCache } from './category-cache.js';
import type { FeedbackService } from './service.js';
import { createSubmissionWriter, type Stored } from './submission-writer.js';
import { STATE_LABELS, type FeedbackState, type Rating } from './states.js';

/** The public sees a report once an operator verified it, unless it was refused or merged. */
export const PUBLIC_STATES = ['verified', 'assigned', 'in_progress', 'resolved', 'closed'] as const;

export interface Submission {
  category: string;
  description: string;
  lat: number;
  lng: number;
  address: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  anonymous: boolean;
  attributes: Record<string, unknown>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The form's text fields, checked and typed; every problem at once. */
export function parseSubmission(fields: Record<string, string>): Submission {
  const problems: { field: string; message: string }[] = [];
  const text = (name: string, max: number) => {
    const value = (fields[name] ?? '').trim();
    if (value.length > max) problems.push({ field: name, message: `"${name}" không được dài quá ${max} ký tự` });
    return value === '' ? null : value;
  };
  const number = (name: string, min: number, max: number) => {
    const raw = (fields[name] ?? '').trim();
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) return null;
    if (value < min || value > max) throw badRequest('COORDINATES_OUT_OF_RANGE', 'Tọa độ không hợp lệ: vĩ độ phải từ -90 đến 90, kinh độ từ -180 đến 180.');
    return value;
  };
  const description = fields.description ?? '';
  if (description.length > MAX_DESCRIPTION) {
    throw badRequest('DESCRIPTION_TOO_LONG', `Nội dung phản ánh dài ${description.length.toLocaleString('vi-VN')} ký tự; tối đa là 4.000 ký tự.`);
  }
  if (description.trim() === '') problems.push({ field: 'description', message: 'thiếu nội dung phản ánh "description"' });
  const category = (fields.category ?? '').trim();
  if (category === '') problems.push({ field: 'category', message: 'thiếu lĩnh vực "category"' });
  const lat = number('lat', -90, 90);
  const lng = number('lng', -180, 180);
  const email = text('email', 200);
  if (email && !EMAIL.test(email)) problems.push({ field: 'email', message: '"email" không đúng định dạng' });
  const phone = text('phone', 30);
  if (phone && !/^\+?[\d\s.()-]{8,20}$/.test(phone)) problems.push({ field: 'phone', message: '"phone" không đúng định dạng số điện thoại' });
  let attributes: Record<string, unknown> = {};
  if (fields.attributes) {
    try {
      const parsed: unknown = JSON.parse(fields.attributes);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      attributes = parsed as Record<string, unknown>;
    } catch {
      problems.push({ field: 'attributes', message: '"attributes" phải là một đối tượng JSON' });
    }
  }
  const unknown = Object.keys(fields).filter((k) => !['category', 'description', 'lat', 'lng', 'address', 'name', 'phone', 'email', 'anonymous', 'attributes'].includes(k));
  for (const field of unknown) problems.push({ field, message: `trường "${field}" không được chấp nhận` });
  const submission = {
    category,
    description,
    lat: lat as number,
    lng: lng as number,
    address: text('address', 500),
    name: text('name', 200),
    phone,
    email,
    anonymous: !/^(false|0|no)$/i.test(fields.anonymous ?? 'true'),
    attributes,
  };
  if (problems.length) throw validationFailed(problems);
  if (lat === null || lng === null) throw badRequest('LOCATION_REQUIRED', 'Vui lòng chọn vị trí trên bản đồ hoặc dùng vị trí của điện thoại.');
  return submission;
}

export function createFeedbackIntake(deps: {
  db: Db;
  /** The pool under `db`: submissions are written as a prepared statement on it. */
  pool: pg.Pool;
  bus: Bus;
  directory: OrgUnitDirectory;
  categories: CategoryCache;
  files: FileStore;
  feedback: FeedbackService;
  publicBaseUrl?: string;
  now?: () => Date;
}) {
  const { db, pool, bus, directory, categories, files, feedback } = deps;
  const writer = createSubmissionWriter({ db, pool, bus });
  const now = deps.now ?? (() => new Date());

  async function publicRow(code: string) {
    const row = TRACKING_CODE.test(code) ? await repo.findReport(db, { code }) : undefined;
    if (!row) throw notFound('phản ánh với mã này');
    return row;
  }

  async function view(code: string): Promise<PublicReport> {
    const row = await publicRow(code);
    const shown = (PUBLIC_STATES as readonly string[]).includes(row.status);
    const [events, photos] = await Promise.all([repo.listEvents(db, row.id, true), repo.listPhotos(db, row.id, true)]);
    return {
      code: row.code,
      status: row.status,
      statusLabel: STATE_LABELS[row.status as FeedbackState],
      urgent: row.urgent,
      categoryCode: row.category_code,
      categoryName: row.category_name,
      description: row.description,
      address: row.address,
      lat: row.lat,
      lng: row.lng,
      reporterName: row.anonymous ? null : row.reporter_name,
      unitName: row.unit_name,
      receivedAt: row.received_at.toISOString(),
      deadline: row.deadline?.toISOString() ?? null,
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      closedAt: row.closed_at?.toISOString() ?? null,
      answer: row.answer,
      rejection: row.status === 'rejected' && row.rejection_reason ? { reason: row.rejection_reason, text: row.rejection_text ?? '' } : null,
      mergedIntoCode: row.merged_into_code,
      rating: row.rating,
      photos: shown ? photos.map((p) => ({ url: publicPhotoUrl(p.file_key), kind: p.kind, width: p.width, height: p.height })) : [],
      timeline: events.map((e) => ({ action: e.action, label: actionLabel(e.action), to: e.to_status, at: e.at.toISOString(), details: publicDetails(e.details) })),
    };
  }

  /** Who did it is internal: the public sees the unit's name, never people or ids. */
  function publicDetails(details: Record<string, unknown>): Record<string, unknown> {
    const { unitId: _u, targetId: _t, photos: _p, ...rest } = details;
    return rest;
  }

  /** The reporter proves themselves with the secret from submission or the phone or e-mail they gave. */
  function checkProof(row: repo.ReportRow, proof: { token?: string; contact?: string }) {
    const byToken = !!proof.token && !!row.reporter_token_hash && sameHash(hashToken(proof.token), row.reporter_token_hash);
    const contact = proof.contact?.trim() ?? '';
    const byEmail = !!contact && !!row.reporter_email && contact.toLowerCase() === row.reporter_email.toLowerCase();
    const byPhone = !!contact && !!row.reporter_phone && phoneDigits(contact).length >= 8 && phoneDigits(contact) === phoneDigits(row.reporter_phone);
    if (!byToken && !byEmail && !byPhone) {
      throw new AppError(403, 'REPORTER_PROOF_INVALID', 'Không xác nhận được người phản ánh: hãy nhập đúng mã bí mật nhận khi gửi, hoặc số điện thoại / e-mail đã khai.');
    }
  }

  async function reporterAct(code: string, proof: { token?: string; contact?: string }, kind: 'rate' | 'reopen', input: { rating?: Rating; comment?: string }) {
    const deadlines = await feedback.deadlinesNow();
    const at = now();
    const outcome = await inTransaction(db, async (trx) => {
      const found = await repo.findReport(trx, { code }, true);
      if (!found || !TRACKING_CODE.test(code)) throw notFound('phản ánh với mã này');
      checkProof(found, proof);
      const actor = { role: 'reporter' } as const;
      const steps = [];
      const first =
        kind === 'rate'
          ? transition(lifecycleOf(found), { type: 'rate', actor, rating: input.rating as Rating, comment: input.comment }, at)
          : transition(lifecycleOf(found), { type: 'reopen', actor, deadline: deadlines.handlingDeadline(at, found.deadline_days) }, at);
      steps.push(first);
      // A satisfied reporter ends the report at once; a dissatisfied one may still reopen it.
      if (kind === 'rate' && input.rating === 'satisfied') steps.push(transition(first.report, { type: 'close', actor: { role: 'system' } }, at));
      for (const [i, step] of steps.entries()) {
        const before = i === 0 ? lifecycleOf(found) : steps[i - 1].report;
        const r = step.report;
        await repo.updateReport(trx, found.id, {
          status: r.state,
          unit_id: r.unitId,
          verified_at: r.verifiedAt,
          deadline: r.deadline,
          original_deadline: r.originalDeadline,
          resolved_at: r.resolvedAt,
          closed_at: r.state === 'closed' ? at : null,
          rating: r.rating?.value ?? null,
          rating_comment: r.rating?.comment ?? null,
          rated_at: r.rating?.at ?? null,
          merged_into: r.mergedIntoId,
          overdue_at: step.event.action === 'reopen' ? null : found.overdue_at,
        });
        await repo.insertEvent(trx, {
          report_id: found.id,
          action: step.event.action,
          from_status: step.event.from,
          to_status: step.event.to,
          at,
          public: step.event.public,
          actor_role: step.event.actor.role,
          user_id: null,
          unit_id: null,
          details: jsonDetails(step.event.details),
        });
        await recordAudit(trx, null, {
          module: 'feedback',
          action: step.event.action,
          entityType: 'feedback_report',
          entityId: found.id,
          orgUnitId: r.unitId ?? found.area_unit_id,
          before: { status: before.state },
          after: { status: r.state, ...jsonDetails(step.event.details) },
        });
      }
      return { found, steps };
    });
    const target = feedback.busTarget(outcome.found);
    for (const step of outcome.steps) {
      bus.publish({ type: 'feedback.changed', ...target, payload: { id: outcome.found.id, code, action: step.event.action, status: step.event.to } });
    }
    return view(code);
  }

  return {
    /** A category by its code (without regard to case), active or not; from memory. */
    category: (code: string) => categories.find(code),

    async categories() {
      const { rows } = await repo.listCategories(db, { active: true, sort: 'group_name, name', limit: 1000, offset: 0 });
      return rows.map((c) => ({ code: c.code, name: c.name, description: c.description, group: c.group_name, attributes: c.attributes }));
    },

    /**
     * A citizen's report. Order matters: every check and every photo's re-encoding comes first,
     * then the files are stored, then the report and everything with it go in one statement.
     */
    async submit(
      fields: Record<string, string>,
      photoFiles: Buffer[],
      ip: string,
      options: { source?: 'web' | 'open311' } = {},
    ): Promise<{ code: string; trackingUrl: string; token: string }> {
      const input = parseSubmission(fields);
      const category = await categories.find(input.category);
      if (!category?.active) throw new AppError(404, 'CATEGORY_NOT_FOUND', `Không có lĩnh vực "${input.category}". Hãy chọn một lĩnh vực trong danh sách.`);
      const snapshot = await directory.snapshot();
      const { place, routing } = await locate(db, snapshot, input.lat, input.lng, category.unit_kind);
      if (!place.inLocality) throw badRequest('OUTSIDE_LOCALITY', 'Vị trí đã chọn nằm ngoài địa bàn tiếp nhận phản ánh. Hãy chọn lại vị trí trên bản đồ.');
      const photos = await preparePhotos(photoFiles, files, 'report');
      const secret = reporterToken();
      const areaId = place.area?.id ?? null;
      let code = '';
      let stored: Stored | undefined;
      // 40 random bits: a code already taken is rare; the unique index refuses it and another is drawn.
      for (let attempt = 0; !stored && attempt < 5; attempt++) {
        code = trackingCode();
        stored = await writer.write({
          report: {
            code,
            category_id: category.id,
            description: input.description,
            address: input.address,
            lat: input.lat,
            lng: input.lng,
            area_unit_id: areaId,
            suggested_unit_id: routing.unitId,
            reporter_name: input.name,
            reporter_phone: input.phone,
            reporter_email: input.email,
            anonymous: input.anonymous,
            reporter_token_hash: secret.hash,
            source: options.source ?? 'web',
            attributes: input.attributes,
          },
          photos,
          details: { photos: photos.length },
          audit: { orgUnitId: areaId, after: { code, categoryId: category.id, ip } },
          notice: { type: 'feedback.received', orgUnitId: areaId, orgUnitPath: place.area?.path ?? null, payload: { code, categoryId: category.id } },
        });
      }
      if (!stored) throw new Error('could not draw a free tracking code');
      const base = deps.publicBaseUrl ?? '';
      return { code, trackingUrl: `${base}/phan-anh/${code}`, token: secret.token };
    },

    view,
    rate: (code: string, body: { rating: Rating; comment?: string; token?: string; contact?: string }) =>
      reporterAct(code, body, 'rate', { rating: body.rating, comment: body.comment }),
    reopen: (code: string, body: { token?: string; contact?: string }) => reporterAct(code, body, 'reopen', {}),

    async list(query: PublicListQuery): Promise<ListResult<PublicListItem>> {
      const page = pageOf(query);
      const sort = sortOf(query.sort, { receivedAt: 'received_at', resolvedAt: 'resolved_at' }, { column: 'received_at', direction: 'desc' });
      const snapshot = await directory.snapshot();
      const unit = query.unitId ? snapshot.byId.get(query.unitId) : undefined;
      const statuses = query.status ? [query.status] : [...PUBLIC_STATES];
      const parts = [
        sql`r.status IN (${sql.join(statuses)})`,
        ...(query.categoryCode ? [sql`lower(c.code) = lower(${query.categoryCode})`] : []),
        ...(query.unitId ? [sql`hu.path LIKE ${`${unit?.path ?? '/none/'}%`}`] : []),
        ...(query.from ? [sql`r.received_at >= ${new Date(endOfBusinessDay(query.from).getTime() + 1 - 86_400_000)}`] : []),
        ...(query.to ? [sql`r.received_at <= ${endOfBusinessDay(query.to)}`] : []),
        ...(query.q ? [sql`r.search LIKE ${containsPattern(query.q)}`] : []),
      ];
      const { rows, total } = await repo.listReports(db, sql.join(parts, sql` AND `), sort, page);
      const firstPhotos = new Map<number, string>();
      if (rows.length) {
        const found = await sql<{ report_id: number; file_key: string }>`
          SELECT DISTINCT ON (report_id) report_id, file_key FROM feedback_photos
          WHERE verified AND report_id IN (${sql.join(rows.map((r) => r.id))}) ORDER BY report_id, id`.execute(db);
        for (const p of found.rows) firstPhotos.set(p.report_id, p.file_key);
      }
      return {
        total,
        items: rows.map((r) => ({
          code: r.code,
          status: r.status,
          categoryCode: r.category_code,
          categoryName: r.category_name,
          description: r.description.length > 200 ? `${r.description.slice(0, 199)}…` : r.description,
          address: r.address,
          lat: r.lat,
          lng: r.lng,
          unitName: r.unit_name,
          receivedAt: r.received_at.toISOString(),
          resolvedAt: r.resolved_at?.toISOString() ?? null,
          photoUrl: firstPhotos.has(r.id) ? publicPhotoUrl(firstPhotos.get(r.id) as string) : null,
        })),
      };
    },

    async photo(key: string): Promise<{ mime: string; stream: Readable }> {
      if (!/^[0-9a-f]{64}$/.test(key)) throw notFound('ảnh');
      const photo = await repo.isPublicPhoto(db, key, PUBLIC_STATES);
      const stream = photo ? await files.stream(key) : null;
      if (!photo || !stream) throw notFound('ảnh');
      return { mime: photo.mime, stream };
    },

    async duplicates(f: { category: string; lat: number; lng: number; text?: string }) {
      const category = await categories.find(f.category);
      if (!category) throw new AppError(404, 'CATEGORY_NOT_FOUND', `Không có lĩnh vực "${f.category}".`);
      const found = await feedback.duplicatesOf(db, { categoryId: category.id, lat: f.lat, lng: f.lng, text: f.text ?? '', radius: 100, statuses: ['verified', 'assigned', 'in_progress'] });
      return found.map((d) => ({ code: d.code, status: d.status, description: d.description, distanceMeters: d.distanceMeters }));
    },
  };
}

export type FeedbackIntake = ReturnType<typeof createFeedbackIntake>;
