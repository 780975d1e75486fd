// The request parameters of Open311 GeoReport v2, read and checked the way the specification
// answers: 403 for a missing api_key, 404 for an unknown resource, 400 for everything else wrong,
// every problem listed at once. Input is a parsed query string or form body (a record whose
// repeated keys are arrays, as Fastify gives them, or URLSearchParams); an empty value counts as
// absent.

import { daysInMonth, parseIsoDate } from '../../../platform/calendar/isoDate.js';
import {
  missingApiKey,
  type Open311Problem,
  open311Failure,
  problem,
  quoted,
  unknownRequest,
  unknownResource,
  unknownService,
  unknownToken,
} from './errors.js';
import { formatOpen311Datetime, type Open311Format, type Open311ServiceDefinition, VIETNAM_OFFSET_MINUTES } from './format.js';

export type Open311Input = URLSearchParams | Readonly<Record<string, unknown>>;

export const MAX_DESCRIPTION_LENGTH = 4000;
/** The specification's longest span for GET requests, and its default window. */
export const MAX_DATE_SPAN_DAYS = 90;
/** The specification's cap on one GET requests answer; a longer id list could not be answered. */
export const MAX_REQUEST_IDS = 1000;
const MAX_ATTRIBUTES = 100;

const DAY_MS = 86_400_000;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

// ── Reading raw values ─────────────────────────────────────────────────────────────────────────

const bad = (code: string, vi: string, en: string, parameter?: string) => problem(400, code, vi, en, parameter);

/** Code points, as people count characters; NFC first, so a decomposed "ổ" is one. */
function charCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is one code point; a lone surrogate counts as one, as Array.from does.
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** C0 controls and DEL; tab and line breaks too unless the field is multi-line. */
function hasControlCharacter(text: string, multiline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7f || (c < 0x20 && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d)))) return true;
  }
  return false;
}

/** All values of every key, in order. `attribute` as nested by a qs-style parser is flattened back. */
function collect(input: Open311Input): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const add = (key: string, value: string) => {
    const existing = values.get(key);
    if (existing) existing.push(value);
    else values.set(key, [value]);
  };
  if (input instanceof URLSearchParams) {
    for (const [key, value] of input) add(key, value);
    return values;
  }
  const addAny = (key: string, value: unknown) => {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') add(key, item);
      else if (typeof item === 'number' || typeof item === 'boolean') add(key, String(item));
      else if (item !== null && item !== undefined) {
        throw open311Failure([bad('OPEN311_INVALID_PARAMETER', `Tham số ${quoted(key)} không hợp lệ.`, `Parameter ${quoted(key)} is malformed.`, key)]);
      }
    }
  };
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (key === 'attribute' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const code of Object.keys(value)) {
        const inner = (value as Record<string, unknown>)[code];
        addAny(Array.isArray(inner) ? `attribute[${code}][]` : `attribute[${code}]`, inner);
      }
    } else addAny(key, value);
  }
  return values;
}

interface TextRule {
  max: number;
  multiline?: boolean;
  pattern?: RegExp;
  /** What a valid value looks like, for the message: Vietnamese, English. */
  expected?: [string, string];
}

/** Reads parameters one by one, collecting every problem so the client learns all of them at once. */
function paramReader(input: Open311Input) {
  const values = collect(input);
  const problems: Open311Problem[] = [];

  const clean = (name: string, value: string, rule: TextRule): string | null => {
    const text = value.normalize('NFC').trim();
    if (hasControlCharacter(text, rule.multiline ?? false)) {
      problems.push(bad('OPEN311_CONTROL_CHARACTER', `${name} chứa ký tự điều khiển không hợp lệ.`, `${name} contains control characters.`, name));
      return null;
    }
    if (charCount(text) > rule.max) {
      problems.push(
        bad('OPEN311_TOO_LONG', `${name} dài quá ${rule.max} ký tự.`, `${name} is longer than ${rule.max} characters.`, name),
      );
      return null;
    }
    if (rule.pattern && !rule.pattern.test(text)) {
      const [vi, en] = rule.expected ?? ['', ''];
      problems.push(
        bad('OPEN311_INVALID_FORMAT', `${name} không đúng định dạng${vi ? `: ${vi}` : ''}.`, `${name} is malformed${en ? `: ${en}` : ''}.`, name),
      );
      return null;
    }
    return text;
  };

  /** A parameter that may appear once; null when absent or empty. */
  function one(name: string, rule: TextRule): string | null {
    const given = (values.get(name) ?? []).filter((v) => v.trim() !== '');
    if (given.length === 0) return null;
    if (given.length > 1) {
      problems.push(bad('OPEN311_REPEATED_PARAMETER', `${name} chỉ được gửi một lần.`, `${name} may be given only once.`, name));
      return null;
    }
    return clean(name, given[0], rule);
  }

  /** A comma-separated list (repeated keys are joined too); empty items are dropped, duplicates removed. */
  function commaList(name: string, rule: TextRule): string[] {
    const items = (values.get(name) ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
    const out: string[] = [];
    for (const item of items) {
      const text = clean(name, item, rule);
      if (text !== null && !out.includes(text)) out.push(text);
    }
    return out;
  }

  /** True when the parameter came with a non-empty value, valid or not. */
  const given = (name: string) => (values.get(name) ?? []).some((v) => v.trim() !== '');

  return { values, problems, one, commaList, given };
}

// ── Formats and paths ──────────────────────────────────────────────────────────────────────────

/** `services.json` → services, json. Any other extension is a resource that does not exist (404). */
export function splitFormat(file: string): { name: string; format: Open311Format } {
  const match = /^(.+)\.(xml|json)$/i.exec(file);
  if (!match) throw unknownResource(file);
  return { name: match[1], format: match[2].toLowerCase() as Open311Format };
}

/** The id in `services/{code}.fmt`, `requests/{id}.fmt` or `tokens/{token}.fmt`; one that cannot exist is a 404. */
export function parseResourcePath(file: string, kind: 'service' | 'request' | 'token'): { id: string; format: Open311Format } {
  const { name, format } = splitFormat(file);
  if (!IDENTIFIER.test(name)) {
    throw kind === 'service' ? unknownService(name) : kind === 'request' ? unknownRequest(name) : unknownToken(name);
  }
  return { id: name, format };
}

/** `jurisdiction_id`: an org unit's code or domain; null when absent or empty. */
export function parseJurisdictionId(input: Open311Input): string | null {
  const reader = paramReader(input);
  const id = reader.one('jurisdiction_id', { max: 100 });
  if (reader.problems.length > 0) throw open311Failure(reader.problems);
  return id;
}

// ── Datetimes ──────────────────────────────────────────────────────────────────────────────────

const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A W3C datetime with its offset (`2026-11-26T09:30:00+07:00`, `…Z`), or a bare date taken as
 * that day in Vietnam: its first instant, or its last when `endOfDay`. Null when malformed. A
 * space before the offset is read as the `+` that an unencoded query string turned into one.
 */
export function parseOpen311Datetime(text: string, endOfDay = false): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    try {
      const day = parseIsoDate(text) + (endOfDay ? 1 : 0);
      return new Date(day * DAY_MS - VIETNAM_OFFSET_MINUTES * 60_000 - (endOfDay ? 1 : 0));
    } catch {
      return null;
    }
  }
  const match = W3C_DATETIME.exec(text.replace(/ (\d{2}:\d{2})$/, '+$1'));
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = Number(match[6] ?? 0);
  const ms = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  const zone = match[8].toUpperCase();
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) > 14 * 60 || Number(zone.slice(4, 6)) > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  // Date.UTC maps years 0–99 onto 1900–1999; no Open311 date is that old.
  return year < 1000 ? null : new Date(utc);
}

// ── GET requests ───────────────────────────────────────────────────────────────────────────────

export type Open311RequestStatus = 'open' | 'closed';

export type RequestsQuery =
  /** `service_request_id` was given: it overrides every other filter. */
  | { by: 'id'; jurisdictionId: string | null; serviceRequestIds: string[] }
  | {
      by: 'filter';
      jurisdictionId: string | null;
      /** Empty: every service. */
      serviceCodes: string[];
      /** requested_datetime from `start` to `end`, both included. */
      start: Date;
      end: Date;
      /** Empty: both. */
      statuses: Open311RequestStatus[];
    };

const ID_RULE: TextRule = { max: 100, pattern: IDENTIFIER, expected: ['chữ, số, . _ : -', 'letters, digits, . _ : -'] };

/**
 * The filters of GET requests. Without dates the window is the last 90 days up to `now`; with one
 * date it is the 90 days after start_date or before end_date; with both the span may not exceed
 * 90 days.
 */
export function parseRequestsQuery(input: Open311Input, now: Date): RequestsQuery {
  const reader = paramReader(input);
  const jurisdictionId = reader.one('jurisdiction_id', { max: 100 });
  const ids = reader.commaList('service_request_id', ID_RULE);
  if (ids.length > MAX_REQUEST_IDS) {
    reader.problems.push(
      bad('OPEN311_TOO_MANY_IDS', `Chỉ được hỏi tối đa ${MAX_REQUEST_IDS} mã phản ánh một lần.`, `At most ${MAX_REQUEST_IDS} service_request_id at once.`, 'service_request_id'),
    );
  }
  if (ids.length > 0 || reader.problems.length > 0) {
    if (reader.problems.length > 0) throw open311Failure(reader.problems);
    return { by: 'id', jurisdictionId, serviceRequestIds: ids };
  }

  const serviceCodes = reader.commaList('service_code', { max: 100 });
  const statuses: Open311RequestStatus[] = [];
  for (const status of reader.commaList('status', { max: 40 })) {
    const s = status.toLowerCase();
    if (s === 'open' || s === 'closed') {
      if (!statuses.includes(s)) statuses.push(s);
    } else {
      reader.problems.push(
        bad('OPEN311_INVALID_STATUS', `status ${quoted(status)} không hợp lệ; chỉ nhận open hoặc closed.`, `Unknown status ${quoted(status)}; use open or closed.`, 'status'),
      );
    }
  }
  const date = (name: 'start_date' | 'end_date') => {
    const text = reader.one(name, { max: 40 });
    if (text === null) return null;
    const at = parseOpen311Datetime(text, name === 'end_date');
    if (!at) {
      reader.problems.push(
        bad(
          'OPEN311_INVALID_DATETIME',
          `${name} phải là thời điểm có múi giờ, ví dụ 2026-11-26T09:30:00+07:00.`,
          `${name} must be a W3C datetime with an offset, e.g. 2026-11-26T09:30:00+07:00.`,
          name,
        ),
      );
    }
    return at;
  };
  const startGiven = date('start_date');
  const endGiven = date('end_date');
  const span = MAX_DATE_SPAN_DAYS * DAY_MS;
  const end = endGiven ?? (startGiven ? new Date(startGiven.getTime() + span) : now);
  const start = startGiven ?? new Date(end.getTime() - span);
  if (startGiven && endGiven) {
    if (end < start) {
      reader.problems.push(bad('OPEN311_DATE_RANGE_REVERSED', 'end_date phải sau start_date.', 'end_date must not be before start_date.', 'end_date'));
    } else if (end.getTime() - start.getTime() > span) {
      reader.problems.push(
        bad(
          'OPEN311_DATE_SPAN_TOO_LONG',
          `Khoảng từ start_date đến end_date không được quá ${MAX_DATE_SPAN_DAYS} ngày.`,
          `start_date to end_date may not span more than ${MAX_DATE_SPAN_DAYS} days.`,
          'end_date',
        ),
      );
    }
  }
  if (reader.problems.length > 0) throw open311Failure(reader.problems);
  return { by: 'filter', jurisdictionId, serviceCodes, start, end, statuses };
}

// ── POST requests ──────────────────────────────────────────────────────────────────────────────

export interface NewServiceRequest {
  apiKey: string;
  jurisdictionId: string | null;
  serviceCode: string;
  /** WGS 84. At least one of location, addressString and addressId is present. */
  location: { lat: number; long: number } | null;
  addressString: string | null;
  addressId: string | null;
  /** `attribute[CODE]` and `attribute[CODE][]`, every value in order; check with checkAttributes. */
  attributes: ReadonlyMap<string, readonly string[]>;
  email: string | null;
  deviceId: string | null;
  accountId: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  description: string | null;
  mediaUrl: string | null;
}

const COORDINATE = /^[+-]?\d{1,3}(?:\.\d{1,15})?$/;
const ATTRIBUTE_KEY = /^attribute\[([^[\]]{1,100})\](\[\])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{6,30}$/;

function coordinate(reader: ReturnType<typeof paramReader>, name: 'lat' | 'long', limit: number): number | null {
  const text = reader.one(name, { max: 20 });
  if (text === null) return null;
  const value = COORDINATE.test(text) ? Number(text) : Number.NaN;
  if (!(Math.abs(value) <= limit)) {
    reader.problems.push(
      bad(
        'OPEN311_INVALID_COORDINATE',
        `${name} phải là số thập phân từ -${limit} đến ${limit}.`,
        `${name} must be a decimal number from -${limit} to ${limit}.`,
        name,
      ),
    );
    return null;
  }
  return value;
}

function mediaUrl(reader: ReturnType<typeof paramReader>): string | null {
  const text = reader.one('media_url', { max: 2000 });
  if (text === null) return null;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    reader.problems.push(
      bad('OPEN311_INVALID_MEDIA_URL', 'media_url phải là địa chỉ http hoặc https.', 'media_url must be an http or https URL.', 'media_url'),
    );
    return null;
  }
  return text;
}

/**
 * The fields of POST requests. A missing api_key is answered first (403) and alone; whether the
 * key is valid, the service exists and the point lies in the locality is for the caller to check.
 */
export function parseNewServiceRequest(input: Open311Input): NewServiceRequest {
  const reader = paramReader(input);
  const apiKey = reader.one('api_key', { max: 200 });
  if (apiKey === null) throw missingApiKey();

  const serviceCode = reader.one('service_code', { max: 100 });
  if (!reader.given('service_code')) {
    reader.problems.push(bad('OPEN311_MISSING_PARAMETER', 'Thiếu service_code.', 'service_code is required.', 'service_code'));
  }
  const lat = coordinate(reader, 'lat', 90);
  const long = coordinate(reader, 'long', 180);
  const latGiven = reader.given('lat');
  const longGiven = reader.given('long');
  if (latGiven !== longGiven) {
    reader.problems.push(
      bad('OPEN311_INCOMPLETE_LOCATION', 'Cần gửi cả lat và long.', 'lat and long must be given together.', latGiven ? 'long' : 'lat'),
    );
  }
  const addressString = reader.one('address_string', { max: 500 });
  const addressId = reader.one('address_id', { max: 100 });
  if (!latGiven && !longGiven && !reader.given('address_string') && !reader.given('address_id')) {
    reader.problems.push(
      bad(
        'OPEN311_MISSING_LOCATION',
        'Cần vị trí: lat và long, hoặc address_string, hoặc address_id.',
        'A location is required: lat and long, or address_string, or address_id.',
        'lat',
      ),
    );
  }

  const attributes = new Map<string, string[]>();
  for (const [key, values] of reader.values) {
    if (!key.startsWith('attribute[')) continue;
    const match = ATTRIBUTE_KEY.exec(key);
    if (!match) {
      reader.problems.push(
        bad('OPEN311_INVALID_ATTRIBUTE', `Tham số ${quoted(key)} không đúng dạng attribute[MÃ].`, `Parameter ${quoted(key)} is not of the form attribute[CODE].`, key),
      );
      continue;
    }
    const list = attributes.get(match[1]) ?? [];
    for (const value of values) {
      const text = value.normalize('NFC').trim();
      if (text === '') continue;
      if (hasControlCharacter(text, true) || charCount(text) > MAX_DESCRIPTION_LENGTH) {
        reader.problems.push(
          bad('OPEN311_INVALID_ATTRIBUTE', `Giá trị của ${key} không hợp lệ.`, `The value of ${key} is invalid.`, key),
        );
      } else list.push(text);
    }
    if (list.length > 0) attributes.set(match[1], list);
  }
  if (attributes.size > MAX_ATTRIBUTES) {
    reader.problems.push(bad('OPEN311_TOO_MANY_ATTRIBUTES', 'Quá nhiều attribute.', 'Too many attributes.', 'attribute'));
  }

  const request: NewServiceRequest = {
    apiKey,
    jurisdictionId: reader.one('jurisdiction_id', { max: 100 }),
    serviceCode: serviceCode ?? '',
    location: lat !== null && long !== null ? { lat, long } : null,
    addressString,
    addressId,
    attributes,
    email: reader.one('email', { max: 254, pattern: EMAIL, expected: ['ví dụ ten@example.com', 'e.g. name@example.com'] }),
    deviceId: reader.one('device_id', { max: 200 }),
    accountId: reader.one('account_id', { max: 100 }),
    firstName: reader.one('first_name', { max: 100 }),
    lastName: reader.one('last_name', { max: 100 }),
    phone: reader.one('phone', { max: 30, pattern: PHONE, expected: ['ví dụ 0234 3822 123 hoặc +84 234 3822 123', 'e.g. +84 234 3822 123'] }),
    description: reader.one('description', { max: MAX_DESCRIPTION_LENGTH, multiline: true }),
    mediaUrl: mediaUrl(reader),
  };
  if (reader.problems.length > 0) throw open311Failure(reader.problems);
  return request;
}

// ── Attributes against a service definition ────────────────────────────────────────────────────

/**
 * The attribute answers checked against the service's definition: required ones present, list
 * values among the keys, numbers and datetimes well-formed, one value unless multivaluelist.
 * Datetimes come back in +07:00; multivaluelist answers as arrays, the others as strings.
 */
export function checkAttributes(
  definition: Open311ServiceDefinition,
  given: ReadonlyMap<string, readonly string[]>,
): Record<string, string | string[]> {
  const problems: Open311Problem[] = [];
  const answers: [string, string | string[]][] = [];
  const variable = new Map(definition.attributes.filter((a) => a.variable).map((a) => [a.code, a]));
  for (const code of given.keys()) {
    if (!variable.has(code)) {
      problems.push(
        bad('OPEN311_ATTRIBUTE_UNKNOWN', `Loại phản ánh này không có attribute[${code}].`, `This service has no attribute[${code}].`, `attribute[${code}]`),
      );
    }
  }
  for (const attribute of variable.values()) {
    const name = `attribute[${attribute.code}]`;
    const values = given.get(attribute.code) ?? [];
    const invalid = (vi: string, en: string) => problems.push(bad('OPEN311_ATTRIBUTE_INVALID', `${name} ${vi}.`, `${name} ${en}.`, name));
    if (values.length === 0) {
      if (attribute.required) {
        problems.push(bad('OPEN311_ATTRIBUTE_REQUIRED', `Thiếu ${name} (${attribute.description}).`, `${name} is required (${attribute.description}).`, name));
      }
      continue;
    }
    if (attribute.datatype !== 'multivaluelist' && values.length > 1) {
      invalid('chỉ nhận một giá trị', 'takes a single value');
      continue;
    }
    const value = values[0];
    const keys = new Set((attribute.values ?? []).map((v) => v.key));
    switch (attribute.datatype) {
      case 'number':
        if (/^[+-]?\d+(?:\.\d+)?$/.test(value)) answers.push([attribute.code, value]);
        else invalid('phải là một số, ví dụ 12.5', 'must be a number, e.g. 12.5');
        break;
      case 'datetime': {
        const at = parseOpen311Datetime(value);
        if (at) answers.push([attribute.code, formatOpen311Datetime(at)]);
        else invalid('phải là thời điểm có múi giờ, ví dụ 2026-11-26T09:30:00+07:00', 'must be a datetime with an offset');
        break;
      }
      case 'string':
        if (charCount(value) <= 1000 && !hasControlCharacter(value, false)) answers.push([attribute.code, value]);
        else invalid('phải là một dòng chữ, tối đa 1000 ký tự', 'must be one line of at most 1000 characters');
        break;
      case 'text':
        answers.push([attribute.code, value]);
        break;
      case 'singlevaluelist':
        if (keys.has(value)) answers.push([attribute.code, value]);
        else invalid(`phải là một trong: ${[...keys].join(', ')}`, `must be one of: ${[...keys].join(', ')}`);
        break;
      case 'multivaluelist': {
        const unknown = values.filter((v) => !keys.has(v));
        if (unknown.length === 0) answers.push([attribute.code, [...new Set(values)]]);
        else invalid(`chỉ nhận các giá trị: ${[...keys].join(', ')}`, `accepts only: ${[...keys].join(', ')}`);
        break;
      }
    }
  }
  if (problems.length > 0) throw open311Failure(problems);
  return Object.fromEntries(answers);
}
