// The Open311 GeoReport v2 documents, in XML (the mandatory format) and JSON. JSON mirrors the
// XML with every list as a bare array; element names and their order follow the specification
// (wiki.open311.org/GeoReport_v2). The input shapes use the specification's field names so that a
// presenter maps a report onto them once and these functions only write.

import type { Open311Error } from './errors.js';
import { element, list, writeTextElement, writeXmlDocument, XML_DECLARATION, type XmlElement, type XmlScalar } from './xml.js';

export type Open311Format = 'json' | 'xml';

/** The specification's content types; XML is `text/xml`, as in its examples. */
export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface Open311Body {
  contentType: string;
  /** Text, or its UTF-8 bytes (the long lists of service requests). */
  body: string | Buffer;
}

/** Vietnam has kept UTC+7 without daylight saving since 1975 (see ../deadline.ts). */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;

/** 00 … 99. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/** `+07:00`: the offset as ISO 8601 writes it. */
function offsetText(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(abs / 60)]}:${TWO_DIGITS[abs % 60]}`;
}

/** `+07:00`, written after every datetime. */
export const VIETNAM_OFFSET_TEXT = offsetText(VIETNAM_OFFSET_MINUTES);
/** The times toISOString writes with a four-digit year: 0000-01-01T00:00:00Z up to the end of 9999. */
const YEAR_0_MS = -62_167_219_200_000;
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * `2026-11-26T21:05:00` of a time in years 0–9999 (UTC), as toISOString writes it less the
 * fraction, without a Date: an answer writes three of them per request, so a few thousand.
 * Days to the civil date by H. Hinnant's algorithm (proleptic Gregorian, eras of 400 years).
 */
function isoSecondsText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const inDay = seconds - days * 86_400;
  const z = days + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(inDay / 3600);
  const minutes = Math.floor(inDay / 60) - hours * 60;
  const secs = inDay - Math.floor(inDay / 60) * 60;
  const y = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${y}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[secs]}`;
}

/** W3C/ISO 8601 with the offset the specification requires, to the second: 2026-11-26T21:05:00+07:00. */
export function formatOpen311Datetime(at: Date, offsetMinutes = VIETNAM_OFFSET_MINUTES): string {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Cannot format an invalid Date');
  const local = ms + offsetMinutes * 60_000;
  const text = local >= YEAR_0_MS && local < YEAR_10000_MS ? isoSecondsText(local) : new Date(local).toISOString().slice(0, 19);
  return text + (offsetMinutes === VIETNAM_OFFSET_MINUTES ? VIETNAM_OFFSET_TEXT : offsetText(offsetMinutes));
}

// ── Input shapes ───────────────────────────────────────────────────────────────────────────────

export const GEOREPORT_V2_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

export interface Open311Endpoint {
  /** Defaults to GEOREPORT_V2_SPECIFICATION. */
  specification?: string;
  url: string;
  changeset: Date;
  type: 'production' | 'test';
  /** MIME types, e.g. `text/xml`, `application/json`. */
  formats: readonly string[];
}

export interface Open311Discovery {
  changeset: Date;
  contact: string;
  key_service: string;
  endpoints: readonly Open311Endpoint[];
}

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string | null;
  /** True when the service has attributes (a service definition worth fetching). */
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  /** Written comma-separated. */
  keywords: readonly string[];
  group: string | null;
}

export const OPEN311_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type Open311Datatype = (typeof OPEN311_DATATYPES)[number];

export interface Open311AttributeValue {
  key: string;
  name: string;
}

export interface Open311Attribute {
  /** False for an informational attribute the client shows but does not answer. */
  variable: boolean;
  code: string;
  datatype: Open311Datatype;
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  /** The choices of a singlevaluelist or multivaluelist; not written for other datatypes. */
  values?: readonly Open311AttributeValue[];
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: readonly Open311Attribute[];
}

export interface Open311ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: Date;
  updated_datetime: Date | null;
  expected_datetime: Date | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** The answer to POST requests: the id of a request created at once, or a token to look it up later. */
export type Open311CreatedRequest = (
  | { service_request_id: string; token?: undefined }
  | { token: string; service_request_id?: undefined }
) & {
  service_notice: string | null;
  account_id: string | null;
};

export interface Open311Token {
  /** Null while the request behind the token has not been created yet. */
  service_request_id: string | null;
  token: string;
}

// ── Writing ────────────────────────────────────────────────────────────────────────────────────

/** What writeJson escapes beyond JSON.stringify: what could end a <script> block or be sniffed as HTML, and the JS line separators. */
const HTML_UNSAFE = ['<', '>', '&', '\u2028', '\u2029'];
const HTML_UNSAFE_PATTERN = new RegExp(`[${HTML_UNSAFE.join('')}]`, 'g');
const HTML_UNSAFE_UTF8 = HTML_UNSAFE.map((c) => Buffer.from(c));
const htmlSafe = (json: string) => json.replace(HTML_UNSAFE_PATTERN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function writeJson(value: unknown): string {
  return htmlSafe(JSON.stringify(value));
}

const datetime = (at: Date | null) => (at === null ? null : formatOpen311Datetime(at));

function body(format: Open311Format, xml: () => XmlElement, json: () => unknown): Open311Body {
  return {
    contentType: OPEN311_CONTENT_TYPES[format],
    body: format === 'xml' ? writeXmlDocument(xml()) : writeJson(json()),
  };
}

const fields = (entries: [string, XmlScalar | readonly XmlElement[]][]) => entries.map(([name, value]) => element(name, value));

export function formatDiscovery(format: Open311Format, discovery: Open311Discovery): Open311Body {
  const endpoint = (e: Open311Endpoint) => ({
    specification: e.specification ?? GEOREPORT_V2_SPECIFICATION,
    url: e.url,
    changeset: formatOpen311Datetime(e.changeset),
    type: e.type,
    formats: [...e.formats],
  });
  const json = () => ({
    changeset: formatOpen311Datetime(discovery.changeset),
    contact: discovery.contact,
    key_service: discovery.key_service,
    endpoints: discovery.endpoints.map(endpoint),
  });
  return body(
    format,
    () => {
      const d = json();
      return element('discovery', [
        ...fields([
          ['changeset', d.changeset],
          ['contact', d.contact],
          ['key_service', d.key_service],
        ]),
        list('endpoints', 'endpoint', d.endpoints, (e) => [
          ...fields([
            ['specification', e.specification],
            ['url', e.url],
            ['changeset', e.changeset],
            ['type', e.type],
          ]),
          list('formats', 'format', e.formats, (f) => f),
        ]),
      ]);
    },
    json,
  );
}

const serviceJson = (s: Open311Service) => ({
  service_code: s.service_code,
  service_name: s.service_name,
  description: s.description,
  metadata: s.metadata,
  type: s.type,
  keywords: s.keywords.join(', '),
  group: s.group,
});

export function formatServices(format: Open311Format, services: readonly Open311Service[]): Open311Body {
  return body(
    format,
    () => list('services', 'service', services, (s) => fields(Object.entries(serviceJson(s)))),
    () => services.map(serviceJson),
  );
}

const isList = (datatype: Open311Datatype) => datatype === 'singlevaluelist' || datatype === 'multivaluelist';

function attributeJson(a: Open311Attribute) {
  return {
    variable: a.variable,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: a.datatype_description,
    order: a.order,
    description: a.description,
    ...(isList(a.datatype) ? { values: (a.values ?? []).map((v) => ({ key: v.key, name: v.name })) } : {}),
  };
}

export function formatServiceDefinition(format: Open311Format, definition: Open311ServiceDefinition): Open311Body {
  const attributes = [...definition.attributes].sort((a, b) => a.order - b.order);
  return body(
    format,
    () =>
      element('service_definition', [
        element('service_code', definition.service_code),
        list('attributes', 'attribute', attributes, (a) => {
          const { values, ...scalars } = attributeJson(a);
          return [
            ...fields(Object.entries(scalars)),
            ...(values ? [list('values', 'value', values, (v) => fields([['key', v.key], ['name', v.name]]))] : []),
          ];
        }),
      ]),
    () => ({ service_code: definition.service_code, attributes: attributes.map(attributeJson) }),
  );
}

// ── GET requests: up to 1,000 requests per answer ─────────────────────────────────────────────
// Written straight to UTF-8, request after request: the same text `body()` would write from the
// same fields (format.test.ts compares the two), without an object or an element per field on
// the way, nor one string held together from tens of thousands of pieces. The fields are spelt
// out one by one, in the specification's order, once for JSON and once for XML.

/** What JSON.stringify or writeJson would change in a string. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;

const jsonText = (s: string | null) => (s === null ? 'null' : NEEDS_JSON_ESCAPE.test(s) ? writeJson(s) : `"${s}"`);
const jsonNumber = (n: number | null) => (n === null || !Number.isFinite(n) ? 'null' : String(n));
/** Datetimes and the status are ours: nothing in them to escape. */
const jsonDatetime = (at: Date | null) => (at === null ? 'null' : `"${formatOpen311Datetime(at)}"`);

function requestJsonText(r: Open311ServiceRequest): string {
  return (
    `{"service_request_id":${jsonText(r.service_request_id)}` +
    `,"status":"${r.status}"` +
    `,"status_notes":${jsonText(r.status_notes)}` +
    `,"service_name":${jsonText(r.service_name)}` +
    `,"service_code":${jsonText(r.service_code)}` +
    `,"description":${jsonText(r.description)}` +
    `,"agency_responsible":${jsonText(r.agency_responsible)}` +
    `,"service_notice":${jsonText(r.service_notice)}` +
    `,"requested_datetime":${jsonDatetime(r.requested_datetime)}` +
    `,"updated_datetime":${jsonDatetime(r.updated_datetime)}` +
    `,"expected_datetime":${jsonDatetime(r.expected_datetime)}` +
    `,"address":${jsonText(r.address)}` +
    `,"address_id":${jsonText(r.address_id)}` +
    `,"zipcode":${jsonText(r.zipcode)}` +
    `,"lat":${jsonNumber(r.lat)}` +
    `,"long":${jsonNumber(r.long)}` +
    `,"media_url":${jsonText(r.media_url)}}`
  );
}

function requestXmlText(r: Open311ServiceRequest): string {
  return (
    '<request>' +
    writeTextElement('service_request_id', r.service_request_id) +
    writeTextElement('status', r.status) +
    writeTextElement('status_notes', r.status_notes) +
    writeTextElement('service_name', r.service_name) +
    writeTextElement('service_code', r.service_code) +
    writeTextElement('description', r.description) +
    writeTextElement('agency_responsible', r.agency_responsible) +
    writeTextElement('service_notice', r.service_notice) +
    writeTextElement('requested_datetime', datetime(r.requested_datetime)) +
    writeTextElement('updated_datetime', datetime(r.updated_datetime)) +
    writeTextElement('expected_datetime', datetime(r.expected_datetime)) +
    writeTextElement('address', r.address) +
    writeTextElement('address_id', r.address_id) +
    writeTextElement('zipcode', r.zipcode) +
    writeTextElement('lat', r.lat) +
    writeTextElement('long', r.long) +
    writeTextElement('media_url', r.media_url) +
    '</request>'
  );
}

/**
 * A JSON answer written elsewhere (PostgreSQL's, see repo.ts) as JSON.stringify writes it, made
 * what writeJson makes of it. Those characters only occur inside strings, and rarely: a search of
 * the bytes usually finds none, and the answer goes out as it came.
 */
export function formatJsonText(utf8: Buffer): Open311Body {
  const unsafe = HTML_UNSAFE_UTF8.some((c) => utf8.includes(c));
  return { contentType: OPEN311_CONTENT_TYPES.json, body: unsafe ? Buffer.from(htmlSafe(utf8.toString())) : utf8 };
}

/** `service_requests › request` for GET requests and GET requests/{id}. */
export function formatServiceRequests(format: Open311Format, requests: readonly Open311ServiceRequest[]): Open311Body {
  const chunks: Buffer[] = [];
  if (format === 'json') {
    for (let i = 0; i < requests.length; i++) chunks.push(Buffer.from((i === 0 ? '[' : ',') + requestJsonText(requests[i])));
    chunks.push(Buffer.from(requests.length === 0 ? '[]' : ']'));
  } else if (requests.length === 0) {
    chunks.push(Buffer.from(`${XML_DECLARATION}\n<service_requests/>`));
  } else {
    chunks.push(Buffer.from(`${XML_DECLARATION}\n<service_requests>`));
    for (const r of requests) chunks.push(Buffer.from(requestXmlText(r)));
    chunks.push(Buffer.from('</service_requests>'));
  }
  return { contentType: OPEN311_CONTENT_TYPES[format], body: Buffer.concat(chunks) };
}

function createdJson(c: Open311CreatedRequest) {
  return {
    ...(c.service_request_id !== undefined ? { service_request_id: c.service_request_id } : { token: c.token }),
    service_notice: c.service_notice,
    account_id: c.account_id,
  };
}

/** The answer to POST requests. */
export function formatCreatedRequests(format: Open311Format, created: readonly Open311CreatedRequest[]): Open311Body {
  return body(
    format,
    () => list('service_requests', 'request', created, (c) => fields(Object.entries(createdJson(c)))),
    () => created.map(createdJson),
  );
}

/** The answer to GET tokens/{token}. */
export function formatTokens(format: Open311Format, tokens: readonly Open311Token[]): Open311Body {
  const json = (t: Open311Token) => ({ service_request_id: t.service_request_id, token: t.token });
  return body(
    format,
    () => list('service_requests', 'request', tokens, (t) => fields(Object.entries(json(t)))),
    () => tokens.map(json),
  );
}

/** `errors › error {code, description}`; JSON a bare array. */
export function formatErrors(format: Open311Format, errors: readonly Open311Error[]): Open311Body {
  const json = (e: Open311Error) => ({ code: e.code, description: e.description });
  return body(
    format,
    () => list('errors', 'error', errors, (e) => fields([['code', e.code], ['description', e.description]])),
    () => errors.map(json),
  );
}
