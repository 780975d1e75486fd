// Open311's SQL. GET requests reads each report from its own row (migration 005): the 1,000 newest
// of a category come from one index scan. For XML the rows come back to be written here; for JSON
// PostgreSQL writes each request, so that the server neither reads ~17,000 fields nor builds
// ~650 KB of JSON per answer (test/integration/open311-list.test.ts keeps the two writers
// byte-identical). With the JSON kept between answers (json-cache.ts), an answer reads the reports'
// ids and versions and has PostgreSQL write only the requests not kept.

import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../../db/kysely.js';

/** A report as Open311 shows it: its own columns (names come from the categories and units in memory). */
export interface Open311Row {
  code: string;
  category_id: number;
  unit_id: number | null;
  status: string;
  description: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  answer: string | null;
  rejection_reason: string | null;
  rejection_text: string | null;
  merged_into_code: string | null;
  /** Seconds since 1970, rounded down: Open311 datetimes have no fraction. */
  received_s: number;
  updated_s: number;
  deadline_s: number | null;
  public_photo_key: string | null;
}

/** The newest first, then the latest id: the order of the category indexes (migration 005). */
const NEWEST_FIRST = sql`r.received_at DESC NULLS LAST, r.id DESC`;

/**
 * Open311 GET requests: the newest reports matching `where` (over `r`), in the order of the
 * category indexes, with only what the answer shows: one table, read in index order. Times come
 * as numbers, which cost less to send and to read than timestamps.
 */
export async function listOpen311Reports(q: Queryable, where: RawBuilder<unknown>, limit: number): Promise<Open311Row[]> {
  const { rows } = await sql<Open311Row>`
    SELECT r.code, r.category_id, r.unit_id, r.status, r.description, r.address, r.lat, r.lng, r.answer,
      r.rejection_reason, r.rejection_text,
      CASE WHEN r.merged_into IS NOT NULL THEN (SELECT m.code FROM feedback_reports m WHERE m.id = r.merged_into) END AS merged_into_code,
      floor(date_part('epoch', r.received_at)) AS received_s, floor(date_part('epoch', r.updated_at)) AS updated_s,
      floor(date_part('epoch', r.deadline)) AS deadline_s, r.public_photo_key
    FROM feedback_reports r
    WHERE ${where}
    ORDER BY ${NEWEST_FIRST}
    LIMIT ${limit}`.execute(q);
  return rows;
}

/**
 * The words and forms of a JSON answer, from the TypeScript writer's own constants (the service
 * passes them), so that the SQL below has none of its own.
 */
export interface Open311JsonWords {
  /** The Open311 status of each state (`open`, `closed`); a state without one is `open`. */
  status: Readonly<Record<string, string>>;
  /** The label of each state that status_notes starts with; a state without one is written as it is. */
  stateLabels: Readonly<Record<string, string>>;
  rejectionReasonLabels: Readonly<Record<string, string>>;
  /** Between the label and what follows it (`Đã xử lý: …`). */
  afterLabel: string;
  /** Between a refusal's reason and its text. */
  betweenNotes: string;
  /** Before the code of the report a merged one joined. */
  mergedInto: string;
  /** The states in which the photo is shown. */
  photoStates: readonly string[];
  /** media_url up to the photo's key: the base URL and the public photo path. */
  mediaUrlPrefix: string;
  /** Datetimes are written at this offset from UTC, in minutes, followed by `offsetText` (`+07:00`). */
  offsetMinutes: number;
  offsetText: string;
}

export interface Open311JsonAnswer {
  /**
   * The answer's UTF-8 bytes, `[…]`: the text JSON.stringify makes of the same service requests
   * (format.ts's writer then escapes `<`, `>`, `&`, U+2028 and U+2029 too). Null when a row holds
   * what PostgreSQL would spell differently from JavaScript: a coordinate below 1e-4 in magnitude
   * (PostgreSQL writes 1e-05, JavaScript 0.00001), a datetime outside the years 1000–9998, or any
   * coordinate under an extra_float_digits that does not write the shortest exact digits. The
   * caller then writes the answer itself.
   */
  json: Buffer | null;
  /** The service requests in it. */
  count: number;
}

/** What String.prototype.trim removes: ECMAScript's WhiteSpace and LineTerminator (repo.test.ts checks it). */
export const JS_TRIMMED = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** A coordinate as JSON.stringify writes it, for the values `exactCoordinate` admits (-0 + 0 is 0). */
const jsonCoordinate = (x: RawBuilder<unknown>) => sql`coalesce((${x} + 0)::text, 'null')`;
/** PostgreSQL writes the shortest exact digits too, in plain form from 1e-4 to 1e15 (JavaScript from 1e-6 to 1e21). */
const exactCoordinate = (x: RawBuilder<unknown>) => sql`(${x} IS NULL OR ${x} = 0 OR (abs(${x}) >= 1e-4 AND abs(${x}) < 1e15))`;
/** Years the writers spell alike (four digits), with a day to spare for the offset. */
const exactDatetime = (at: RawBuilder<unknown>) => sql`${at} BETWEEN '1000-01-02 00:00:00+00' AND '9998-12-30 00:00:00+00'`;

// The parts of a request's JSON, over the names listOpen311Json's query gives its rows.
const datetime = (at: RawBuilder<unknown>) => sql`to_char((${at} AT TIME ZONE 'UTC') + w.offset_by, 'YYYY-MM-DD"T"HH24:MI:SS')`;
const text = (value: RawBuilder<unknown>) => sql`coalesce(to_json(${value})::text, 'null')`;
const label = sql`coalesce(w.state_labels ->> r.status, r.status)`;
const refusal = sql`concat_ws(w.between_notes, w.reason_labels ->> r.rejection_reason, nullif(btrim(r.rejection_text, w.trimmed), ''))`;
const statusNotes = sql`CASE
    WHEN r.status = 'rejected' AND ${refusal} <> '' THEN concat(${label}, w.after_label, ${refusal})
    WHEN r.status = 'merged' AND m.code <> '' THEN concat(${label}, w.after_label, w.merged_into, m.code)
    WHEN r.status IN ('resolved', 'closed') AND r.answer <> '' THEN concat(${label}, w.after_label, r.answer)
    ELSE ${label} END`;
const mediaUrl = sql`CASE WHEN r.status = ANY (w.photo_states) THEN w.media_url_prefix || r.public_photo_key END`;
/** One service request's JSON, over `r` (the report), `c`, `u`, `m` (its category, unit, merge target) and `w` (the words). */
const REQUEST_JSON = sql`concat('{"service_request_id":', to_json(r.code),
  ',"status":"', coalesce(w.status ->> r.status, 'open'),
  '","status_notes":', to_json(${statusNotes}),
  ',"service_name":', to_json(c.name),
  ',"service_code":', to_json(c.code),
  ',"description":', to_json(r.description),
  ',"agency_responsible":', ${text(sql`u.name`)},
  ',"service_notice":null,"requested_datetime":"', ${datetime(sql`r.received_at`)}, w.offset_text,
  '","updated_datetime":"', ${datetime(sql`r.updated_at`)}, w.offset_text,
  '","expected_datetime":', coalesce('"' || ${datetime(sql`r.deadline`)} || w.offset_text || '"', 'null'),
  ',"address":', ${text(sql`r.address`)},
  ',"address_id":null,"zipcode":null,"lat":', ${jsonCoordinate(sql`r.lat`)},
  ',"long":', ${jsonCoordinate(sql`r.lng`)},
  ',"media_url":', ${text(mediaUrl)}, '}')`;
/** Whether the writers spell the request alike (see Open311JsonAnswer). */
const EXACT = sql`w.shortest_floats AND ${exactCoordinate(sql`r.lat`)} AND ${exactCoordinate(sql`r.lng`)}
  AND ${exactDatetime(sql`r.received_at`)} AND ${exactDatetime(sql`r.updated_at`)} AND (r.deadline IS NULL OR ${exactDatetime(sql`r.deadline`)})`;

/** The words as the query's `w`, beside `r`. */
const wordsTable = (words: Open311JsonWords) => sql`
    SELECT ${JSON.stringify(words.status)}::jsonb AS status, ${JSON.stringify(words.stateLabels)}::jsonb AS state_labels,
      ${JSON.stringify(words.rejectionReasonLabels)}::jsonb AS reason_labels, ${words.afterLabel}::text AS after_label,
      ${words.betweenNotes}::text AS between_notes, ${words.mergedInto}::text AS merged_into, ${JS_TRIMMED}::text AS trimmed,
      ${[...words.photoStates]}::text[] AS photo_states, ${words.mediaUrlPrefix}::text AS media_url_prefix,
      make_interval(mins => ${words.offsetMinutes}::int) AS offset_by, ${words.offsetText}::text AS offset_text,
      current_setting('extra_float_digits')::int > 0 AS shortest_floats`;

/** The columns REQUEST_JSON and EXACT read of a report, and its version (see listOpen311Versions). */
const REPORT_COLUMNS = sql`r.id, r.row_version::text AS version, r.code, r.category_id, r.unit_id, r.status, r.description, r.address, r.lat, r.lng,
  r.answer, r.rejection_reason, r.rejection_text, r.merged_into, r.received_at, r.updated_at, r.deadline, r.public_photo_key`;

/**
 * Each report `reports` selects (REPORT_COLUMNS of `feedback_reports r`) written by PostgreSQL,
 * newest first: its id, version and JSON as base64 (null where the writers would differ, see
 * Open311JsonAnswer). Each service request in the fields and order of format.ts's writer, strings
 * escaped by to_json as JSON.stringify escapes them (`"`, `\`, control characters); category and
 * unit names read from their tables. Base64, because `pg` would decode ~650 KB of UTF-8 into
 * strings only for the server to encode them again.
 */
async function writeRequests(q: Queryable, reports: RawBuilder<unknown>, words: Open311JsonWords): Promise<WrittenRequest[]> {
  const { rows } = await sql<WrittenRequest>`
    WITH r AS (${reports}), w AS (${wordsTable(words)})
    SELECT r.id, r.version, CASE WHEN ${EXACT} THEN encode(convert_to(${REQUEST_JSON}, 'UTF8'), 'base64') END AS json
    FROM r
    CROSS JOIN w
    JOIN feedback_categories c ON c.id = r.category_id
    LEFT JOIN org_units u ON u.id = r.unit_id
    LEFT JOIN feedback_reports m ON m.id = r.merged_into
    ORDER BY ${NEWEST_FIRST}`.execute(q);
  return rows;
}

/** One service request PostgreSQL wrote: the report's id and version, the JSON's UTF-8 as base64. */
export interface WrittenRequest extends ReportVersion {
  json: string | null;
}

/**
 * The same answer as `listOpen311Reports` gives rows for, written by PostgreSQL (writeRequests),
 * joined here into one buffer. One aggregated value would cost PostgreSQL more (a growing ~650 KB
 * text, copied on every step of its way out).
 */
export async function listOpen311Json(q: Queryable, where: RawBuilder<unknown>, limit: number, words: Open311JsonWords): Promise<Open311JsonAnswer> {
  const rows = await writeRequests(q, sql`SELECT ${REPORT_COLUMNS} FROM feedback_reports r WHERE ${where} ORDER BY ${NEWEST_FIRST} LIMIT ${limit}`, words);
  return { json: joinJsonArray(rows.map((row) => row.json)), count: rows.length };
}

/** The reports with these ids, written by PostgreSQL as listOpen311Json writes them (newest first). */
export function writeOpen311Json(q: Queryable, ids: readonly number[], words: Open311JsonWords): Promise<WrittenRequest[]> {
  return writeRequests(q, sql`SELECT ${REPORT_COLUMNS} FROM feedback_reports r WHERE r.id = ANY (${[...ids]}::int[])`, words);
}

/**
 * A report's version: its row_version, the transaction that last wrote the row (migration 016),
 * which every write of the row changes. updated_at only moves forward (migration 005's trigger
 * keeps the later of the old and the new value) but is no version: a change stamped before the
 * latest event keeps it as it was, and some writes leave it alone (a photo's verification changes
 * public_photo_key through migration 005's triggers).
 */
export interface ReportVersion {
  id: number;
  version: string;
}

/**
 * The ids and versions of the reports listOpen311Json would write, in its order: read from the
 * listed indexes alone (migration 016) and sent as one text (`id version id version …`). A
 * thousand rows would cost the server ~1 ms more to read than the one value.
 */
export async function listOpen311Versions(q: Queryable, where: RawBuilder<unknown>, limit: number): Promise<Open311Listing> {
  const { rows } = await sql<{ listed: string | null }>`
    SELECT string_agg(r.id || ' ' || r.version, ' ' ORDER BY ${NEWEST_FIRST}) AS listed
    FROM (SELECT r.id, r.row_version AS version, r.received_at FROM feedback_reports r WHERE ${where} ORDER BY ${NEWEST_FIRST} LIMIT ${limit}) r`.execute(q);
  const text = rows[0]?.listed ?? '';
  const words = text === '' ? [] : text.split(' ');
  const reports: ReportVersion[] = [];
  for (let i = 0; i < words.length; i += 2) reports.push({ id: Number(words[i]), version: words[i + 1] });
  return { text, reports };
}

/** The reports an answer lists, in order, and that list as PostgreSQL sent it (the same text for the same answer). */
export interface Open311Listing {
  text: string;
  reports: ReportVersion[];
}

/** `[a,b,…]` of each element (its bytes, or base64 of them), or null when one is missing. */
export function joinJsonArray(elements: readonly (string | Buffer | null)[]): Buffer | null {
  let size = 2 + elements.length; // the brackets, and a comma between two
  for (const e of elements) {
    if (e === null) return null;
    // Base64: at least what it decodes to (PostgreSQL breaks it into lines).
    size += typeof e === 'string' ? Buffer.byteLength(e, 'base64') : e.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  out[at++] = 0x5b; // [
  for (const [i, e] of elements.entries()) {
    if (i > 0) out[at++] = 0x2c; // ,
    if (typeof e === 'string') at += out.write(e, at, 'base64');
    else {
      // set, not copy: Buffer#copy costs ~1 µs a call more, a millisecond per answer.
      out.set(e as Buffer, at);
      at += (e as Buffer).length;
    }
  }
  out[at++] = 0x5d; // ]
  return out.subarray(0, at);
}
