// Open311 GeoReport v2 over the feedback module: categories are the services, reports the service
// requests. A request posted here goes through the same intake as the public form (source
// 'open311'), so it lands in the operators' queue like any other; reading one back maps the
// internal lifecycle onto the specification's fields. Personal data never leaves through here.

import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../../db/kysely.js';
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { OrgUnitDirectory, Snapshot, UnitEntry } from '../../../platform/orgunits/directory.js';
import { TRACKING_CODE } from '../codes.js';
import { type FeedbackIntake, PUBLIC_STATES } from '../intake.js';
import { MAX_PHOTO_BYTES } from '../photos.js';
import { publicPhotoUrl } from '../present.js';
import * as repo from '../repo.js';
import { type FeedbackState, OPEN311_STATUS, REJECTION_REASON_LABELS, type RejectionReason, STATE_LABELS } from '../states.js';
import { invalidApiKey, type Open311Problem, open311Failure, problem, unknownJurisdiction, unknownRequest, unknownService, unknownToken } from './errors.js';
import {
  formatJsonText,
  formatServiceRequests,
  type Open311Body,
  type Open311CreatedRequest,
  type Open311Format,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311ServiceRequest,
  type Open311Token,
  VIETNAM_OFFSET_MINUTES,
  VIETNAM_OFFSET_TEXT,
} from './format.js';
import { type MediaFetchOptions, fetchMediaUrl } from './media.js';
import { checkAttributes, type Open311Input, type Open311RequestStatus, parseNewServiceRequest, type RequestsQuery } from './params.js';
import type { Open311JsonCache } from './json-cache.js';
import {
  joinJsonArray,
  listOpen311Json,
  listOpen311Reports,
  listOpen311Versions,
  type Open311JsonAnswer,
  type Open311JsonWords,
  type Open311Row,
  writeOpen311Json,
} from './repo.js';

/** The specification's cap on one GET requests answer. */
export const MAX_REQUESTS_PER_ANSWER = 1000;
/** A photo host that has not answered in this time is given up on (the request is refused, nothing stored). */
export const MEDIA_TIMEOUT_MS = 10_000;

export interface Open311Deps {
  db: Db;
  directory: OrgUnitDirectory;
  intake: FeedbackIntake;
  /** Checks the `api_key` field: an API key created by an administrator (`/api/v1/api-keys`). */
  auth: { fromApiKey(key: string, ip: string): Promise<Actor | null> };
  /** OPEN311_MEDIA_HOSTS: the only hosts a media_url is fetched from; empty refuses every media_url. */
  mediaHosts: readonly string[];
  /** Overrides of the media fetch (tests: a local photo server). */
  media?: Partial<Omit<MediaFetchOptions, 'allowedHosts'>>;
  /** The service requests' JSON kept between answers; without it PostgreSQL writes every JSON answer whole. */
  jsonCache?: Open311JsonCache;
}

/**
 * Which reports a GET requests list shows: those the public list shows (verified or later, not
 * refused or merged). A report asked for by its id is answered in any state, as its public page is.
 */
const LISTED_STATES: readonly FeedbackState[] = PUBLIC_STATES;

const OPEN311_STATES = (status: Open311RequestStatus) => LISTED_STATES.filter((s) => OPEN311_STATUS[s] === status);

const bad = (code: string, vi: string, en: string, parameter?: string): Open311Problem => problem(400, code, vi, en, parameter);

// status_notes: the state's label, then what the citizen should read of the answer, refusal or merge.
const AFTER_LABEL = ': ';
const BETWEEN_NOTES = ' — ';
const MERGED_INTO = 'trùng với phản ánh ';

/** The words and forms of the JSON answer that PostgreSQL writes: the constants `serviceRequestOf` uses. */
export function open311JsonWords(baseUrl: string): Open311JsonWords {
  return {
    status: OPEN311_STATUS,
    stateLabels: STATE_LABELS,
    rejectionReasonLabels: REJECTION_REASON_LABELS,
    afterLabel: AFTER_LABEL,
    betweenNotes: BETWEEN_NOTES,
    mergedInto: MERGED_INTO,
    photoStates: PUBLIC_STATES,
    mediaUrlPrefix: `${baseUrl}${publicPhotoUrl('')}`,
    offsetMinutes: VIETNAM_OFFSET_MINUTES,
    offsetText: VIETNAM_OFFSET_TEXT,
  };
}

export function createOpen311Service(deps: Open311Deps) {
  const { db, directory, intake, auth } = deps;

  /**
   * `jurisdiction_id` is the code of the locality's root org unit (e.g. `HD`), compared without
   * regard to case; absent means the whole installation. Anything else is a 404.
   */
  async function jurisdiction(id: string | null): Promise<UnitEntry | null> {
    if (id === null) return null;
    const snapshot = await directory.snapshot();
    const wanted = id.toLowerCase();
    const root = snapshot.byPath.find((u) => u.parentId === null && u.active && u.code.toLowerCase() === wanted);
    if (!root) throw unknownJurisdiction(id);
    return root;
  }

  function definitionOf(category: repo.CategoryRow): Open311ServiceDefinition {
    return {
      service_code: category.code,
      attributes: category.attributes.map((a) => ({
        variable: a.variable ?? true,
        code: a.code,
        datatype: a.datatype,
        required: a.required ?? false,
        datatype_description: a.datatypeDescription ?? null,
        order: a.order,
        description: a.description,
        ...(a.values ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
      })),
    };
  }

  async function activeCategory(code: string): Promise<repo.CategoryRow> {
    const category = code === '' ? undefined : await repo.findCategory(db, { code });
    if (!category?.active) throw unknownService(code);
    return category;
  }

  /** The photo behind a media_url: only from an allowed host, never from a private address. */
  async function fetchPhoto(url: string): Promise<Buffer> {
    if (deps.mediaHosts.length === 0) {
      throw open311Failure([
        bad(
          'OPEN311_MEDIA_URL_NOT_ACCEPTED',
          'Máy chủ này không nhận ảnh qua media_url: quản trị viên chưa cho phép máy chủ ảnh nào (OPEN311_MEDIA_HOSTS).',
          'This server accepts no media_url: no photo host has been allowed by an administrator.',
          'media_url',
        ),
      ]);
    }
    const fetched = await fetchMediaUrl(url, {
      maxBytes: MAX_PHOTO_BYTES,
      timeoutMs: MEDIA_TIMEOUT_MS,
      ...deps.media,
      allowedHosts: deps.mediaHosts,
    });
    return fetched.data;
  }

  /** The latest public word on a report: its state in Vietnamese, then the answer, refusal or merge. */
  function statusNotes(r: Open311Row): string {
    const label = STATE_LABELS[r.status as FeedbackState] ?? r.status;
    if (r.status === 'rejected') {
      const reason = r.rejection_reason ? REJECTION_REASON_LABELS[r.rejection_reason as RejectionReason] : null;
      const note = [reason, r.rejection_text?.trim() || null].filter(Boolean).join(BETWEEN_NOTES);
      return note ? `${label}${AFTER_LABEL}${note}` : label;
    }
    if (r.status === 'merged' && r.merged_into_code) return `${label}${AFTER_LABEL}${MERGED_INTO}${r.merged_into_code}`;
    if ((r.status === 'resolved' || r.status === 'closed') && r.answer) return `${label}${AFTER_LABEL}${r.answer}`;
    return label;
  }

  /** One row as the answer shows it; the photo only once the report is public. */
  function serviceRequestOf(r: Open311Row, category: repo.CategoryRow, unit: UnitEntry | undefined, baseUrl: string): Open311ServiceRequest {
    const photoShown = r.public_photo_key !== null && (PUBLIC_STATES as readonly string[]).includes(r.status);
    return {
      service_request_id: r.code,
      status: OPEN311_STATUS[r.status as FeedbackState] ?? 'open',
      status_notes: statusNotes(r),
      service_name: category.name,
      service_code: category.code,
      description: r.description,
      agency_responsible: unit?.name ?? null,
      service_notice: null,
      requested_datetime: new Date(r.received_s * 1000),
      updated_datetime: new Date(r.updated_s * 1000),
      expected_datetime: r.deadline_s === null ? null : new Date(r.deadline_s * 1000),
      address: r.address,
      address_id: null,
      zipcode: null,
      lat: r.lat,
      long: r.lng,
      media_url: photoShown ? `${baseUrl}${publicPhotoUrl(r.public_photo_key as string)}` : null,
    };
  }

  const codesOf = (ids: readonly string[]) => [...new Set(ids.map((id) => id.toUpperCase()).filter((id) => TRACKING_CODE.test(id)))];

  /** The rows' categories: those the request named, the others from the database. */
  async function categoriesOf(rows: readonly Open311Row[], named: readonly repo.CategoryRow[]): Promise<Map<number, repo.CategoryRow>> {
    const byId = new Map(named.map((c) => [c.id, c]));
    const missing = [...new Set(rows.map((r) => r.category_id))].filter((id) => !byId.has(id));
    for (const c of await repo.findCategories(db, missing)) byId.set(c.id, c);
    return byId;
  }

  /** The units in memory; read again when a row names a unit they do not know yet. */
  async function unitsOf(rows: readonly Open311Row[]): Promise<Snapshot> {
    const snapshot = await directory.snapshot();
    if (rows.every((r) => r.unit_id === null || snapshot.byId.has(r.unit_id))) return snapshot;
    directory.invalidate();
    return directory.snapshot();
  }

  /** The categories with these codes (active or not), from the intake's memory: no query per request. */
  async function categoriesNamed(codes: readonly string[]): Promise<repo.CategoryRow[]> {
    const found = await Promise.all([...new Set(codes.map((c) => c.toLowerCase()))].map((c) => intake.category(c)));
    return found.filter((c) => c !== undefined);
  }

  /**
   * Which reports a GET requests answers: by ids (any state), or by service, period and status
   * (reports the public list shows); as a condition over `r`, or null when none can match.
   */
  async function selectionOf(query: RequestsQuery): Promise<{ where: RawBuilder<unknown>; named: readonly repo.CategoryRow[] } | null> {
    const root = await jurisdiction(query.jurisdictionId);
    // Within the jurisdiction: the place's area unit is in its subtree (a report without one is not).
    const parts: RawBuilder<unknown>[] = root ? [sql`r.area_unit_id IN (SELECT u.id FROM org_units u WHERE u.path LIKE ${`${root.path}%`})`] : [];
    if (query.by === 'id') {
      const codes = codesOf(query.serviceRequestIds);
      if (codes.length === 0) return null;
      return { where: sql.join([...parts, sql`r.code IN (${sql.join(codes)})`], sql` AND `), named: [] };
    }
    const states = query.statuses.length === 0 ? LISTED_STATES : query.statuses.flatMap(OPEN311_STATES);
    parts.push(sql`r.status IN (${sql.join([...states])})`);
    const named = await categoriesNamed(query.serviceCodes);
    if (query.serviceCodes.length > 0) {
      // Filter on the report's own column (the index's first key), not on the category's code.
      if (named.length === 0) return null;
      parts.push(sql`r.category_id IN (${sql.join(named.map((c) => c.id))})`);
    }
    parts.push(sql`r.received_at >= ${query.start}`, sql`r.received_at <= ${query.end}`);
    return { where: sql.join(parts, sql` AND `), named };
  }

  /**
   * GET requests, each mapped here: for XML, and for JSON when PostgreSQL cannot write it exactly.
   * Open311 answers have no total: without it the category index stops after the first 1,000.
   */
  async function requests(query: RequestsQuery, baseUrl: string): Promise<Open311ServiceRequest[]> {
    const selection = await selectionOf(query);
    if (!selection) return [];
    const rows = await listOpen311Reports(db, selection.where, MAX_REQUESTS_PER_ANSWER);
    const [categories, units] = await Promise.all([categoriesOf(rows, selection.named), unitsOf(rows)]);
    return rows.map((r) => serviceRequestOf(r, categories.get(r.category_id) as repo.CategoryRow, r.unit_id === null ? undefined : units.byId.get(r.unit_id), baseUrl));
  }

  /**
   * The JSON answer from the service requests kept in memory, PostgreSQL writing only those not
   * kept at their current version. Null when the cache is off, or when a report changed or went
   * between the two statements or is one PostgreSQL would spell differently: listOpen311Json then
   * writes the answer whole, all of it as of one moment.
   */
  async function cachedJson(where: RawBuilder<unknown>, words: Open311JsonWords): Promise<Open311JsonAnswer | null> {
    const lookup = await deps.jsonCache?.begin(words.mediaUrlPrefix);
    if (!lookup) return null;
    const listing = await listOpen311Versions(db, where, MAX_REQUESTS_PER_ANSWER);
    const listed = listing.reports;
    const same = lookup.answer(listing.text, listed.length);
    if (same) return { json: same, count: listed.length };
    const parts = listed.map((r) => lookup.get(r.id, r.version) ?? null);
    const missing = listed.filter((_, i) => parts[i] === null).map((r) => r.id);
    let whole = true;
    if (missing.length > 0) {
      const written = new Map((await writeOpen311Json(db, missing, words)).map((w) => [w.id, w]));
      for (const [i, r] of listed.entries()) {
        if (parts[i] !== null) continue;
        const w = written.get(r.id);
        // Kept under the version PostgreSQL wrote, also when this answer cannot use it: the next one will.
        const json = w?.json ? lookup.keep(w.id, w.version, w.json) : null;
        if (json && w?.version === r.version) parts[i] = json;
        else whole = false;
      }
    }
    if (!whole) return null;
    const json = joinJsonArray(parts) as Buffer;
    lookup.keepAnswer(listing.text, json);
    return { json, count: listed.length };
  }

  /**
   * GET requests as a document. JSON is written by PostgreSQL, the same text as
   * formatServiceRequests writes (the server only joins it and passes it on); XML, and a JSON
   * answer with a row PostgreSQL would spell differently, are written here.
   */
  async function requestsAnswer(format: Open311Format, query: RequestsQuery, baseUrl: string): Promise<{ answer: Open311Body; count: number }> {
    if (format === 'json') {
      const selection = await selectionOf(query);
      if (!selection) return { answer: formatServiceRequests(format, []), count: 0 };
      const words = open311JsonWords(baseUrl);
      const written = (await cachedJson(selection.where, words)) ?? (await listOpen311Json(db, selection.where, MAX_REQUESTS_PER_ANSWER, words));
      if (written.json) return { answer: formatJsonText(written.json), count: written.count };
    }
    const found = await requests(query, baseUrl);
    return { answer: formatServiceRequests(format, found), count: found.length };
  }

  return {
    jurisdiction,
    requests,
    requestsAnswer,

    async services(jurisdictionId: string | null): Promise<Open311Service[]> {
      await jurisdiction(jurisdictionId);
      const { rows } = await repo.listCategories(db, { active: true, sort: 'group_name, name', limit: 1000, offset: 0 });
      return rows.map((c) => ({
        service_code: c.code,
        service_name: c.name,
        description: c.description || null,
        metadata: c.attributes.length > 0,
        // A request becomes a report at once: its id is in the answer to POST requests.
        type: 'realtime',
        keywords: [],
        group: c.group_name || null,
      }));
    },

    async definition(serviceCode: string, jurisdictionId: string | null): Promise<Open311ServiceDefinition> {
      await jurisdiction(jurisdictionId);
      return definitionOf(await activeCategory(serviceCode));
    },

    /**
     * POST requests. Every check comes first — api_key, jurisdiction, service, attributes,
     * location, description, the media fetch — then the intake stores the report and its photo in
     * one statement; a refusal anywhere stores nothing.
     */
    async submit(input: Open311Input, ip: string, baseUrl: string): Promise<Open311CreatedRequest> {
      const request = parseNewServiceRequest(input);
      const actor = await auth.fromApiKey(request.apiKey, ip);
      if (!actor) throw invalidApiKey();
      await jurisdiction(request.jurisdictionId);
      // From the intake's memory: every request reads its category, which rarely changes.
      const category = await intake.category(request.serviceCode);
      if (!category?.active) throw unknownService(request.serviceCode);
      const attributes = checkAttributes(definitionOf(category), request.attributes);
      const problems: Open311Problem[] = [];
      if (!request.location) {
        problems.push(
          bad(
            'OPEN311_COORDINATES_REQUIRED',
            'Cần gửi lat và long: máy chủ này không tra được vị trí từ address_string hay address_id.',
            'lat and long are required: this server cannot locate address_string or address_id.',
            'lat',
          ),
        );
      }
      if (request.description === null) {
        problems.push(bad('OPEN311_DESCRIPTION_REQUIRED', 'Thiếu nội dung phản ánh (description).', 'description is required.', 'description'));
      }
      if (problems.length > 0 || !request.location || request.description === null) throw open311Failure(problems);

      const photos = request.mediaUrl ? [await fetchPhoto(request.mediaUrl)] : [];
      const name = [request.lastName, request.firstName].filter((p): p is string => p !== null).join(' ');
      const fields: Record<string, string> = {
        category: category.code,
        description: request.description,
        lat: String(request.location.lat),
        lng: String(request.location.long),
        anonymous: 'true',
        attributes: JSON.stringify(attributes),
        ...(request.addressString ? { address: request.addressString } : {}),
        ...(name ? { name } : {}),
        ...(request.phone ? { phone: request.phone } : {}),
        ...(request.email ? { email: request.email } : {}),
      };
      let created: { code: string; trackingUrl: string };
      try {
        created = await intake.submit(fields, photos, ip, { source: 'open311' });
      } catch (err) {
        // The only file is the media_url's photo: a refused image is a bad parameter in Open311 terms.
        if (err instanceof AppError && (err.status === 413 || err.status === 415)) {
          throw open311Failure([{ status: 400, code: err.code, description: err.message, parameter: 'media_url' }]);
        }
        throw err;
      }
      const trackingUrl = created.trackingUrl.startsWith('/') ? `${baseUrl}${created.trackingUrl}` : created.trackingUrl;
      return {
        service_request_id: created.code,
        service_notice: `Đã tiếp nhận phản ánh ${created.code}; theo dõi tại ${trackingUrl} / Received as ${created.code}; follow it at ${trackingUrl}`,
        account_id: request.accountId,
      };
    },

    /** GET requests/{id}: one report by its tracking code, in any state. */
    async request(serviceRequestId: string, jurisdictionId: string | null, format: Open311Format, baseUrl: string): Promise<Open311Body> {
      const { answer, count } = await requestsAnswer(format, { by: 'id', jurisdictionId, serviceRequestIds: [serviceRequestId] }, baseUrl);
      if (count === 0) throw unknownRequest(serviceRequestId);
      return answer;
    },

    /**
     * GET tokens/{token}. Requests are created at once, so the token is the service_request_id
     * itself (the tracking code): a client that kept a token gets its id straight back.
     */
    async token(token: string): Promise<Open311Token> {
      const code = token.toUpperCase();
      const row = TRACKING_CODE.test(code) ? await repo.findReport(db, { code }) : undefined;
      if (!row) throw unknownToken(token);
      return { service_request_id: row.code, token };
    },
  };
}

export type Open311ServiceApi = ReturnType<typeof createOpen311Service>;
