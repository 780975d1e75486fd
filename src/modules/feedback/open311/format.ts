// The Open311 GeoReport v2 documents, in XML (the mandatory format) and JSON. JSON mirrors the
// XML with every list as a bare array; element names and their order follow the specification
// (wiki.open311.org/GeoReport_v2). The input shapes use the specification's field names so that a
// presenter maps a report onto them once and these functions only write.

import type { Open311Error } from './errors.js';
import { element, list, writeXmlDocument, type XmlElement, type XmlScalar } from './xml.js';

export type Open311Format = 'json' | 'xml';

/** The specification's content types; XML is `text/xml`, as in its examples. */
export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface Open311Body {
  contentType: string;
  body: string;
}

/** Vietnam has kept UTC+7 without daylight saving since 1975 (see ../deadline.ts). */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;

/** W3C/ISO 8601 with the offset the specification requires, to the second: 2026-11-26T21:05:00+07:00. */
export function formatOpen311Datetime(at: Date, offsetMinutes = VIETNAM_OFFSET_MINUTES): string {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Cannot format an invalid Date');
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
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

/** Escapes what could end a <script> block or be sniffed as HTML, and the JS line separators. */
function writeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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

function requestJson(r: Open311ServiceRequest) {
  return {
    service_request_id: r.service_request_id,
    status: r.status,
    status_notes: r.status_notes,
    service_name: r.service_name,
    service_code: r.service_code,
    description: r.description,
    agency_responsible: r.agency_responsible,
    service_notice: r.service_notice,
    requested_datetime: formatOpen311Datetime(r.requested_datetime),
    updated_datetime: datetime(r.updated_datetime),
    expected_datetime: datetime(r.expected_datetime),
    address: r.address,
    address_id: r.address_id,
    zipcode: r.zipcode,
    lat: r.lat,
    long: r.long,
    media_url: r.media_url,
  };
}

/** `service_requests › request` for GET requests and GET requests/{id}. */
export function formatServiceRequests(format: Open311Format, requests: readonly Open311ServiceRequest[]): Open311Body {
  return body(
    format,
    () => list('service_requests', 'request', requests, (r) => fields(Object.entries(requestJson(r)))),
    () => requests.map(requestJson),
  );
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
