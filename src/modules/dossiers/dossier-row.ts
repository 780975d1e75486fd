// A dossier as the writer handles it: what a source says (DossierInput), the facts as stored
// (StoredFacts: codes resolved, the history merged), and the whole row with its derived columns
// and hash (DossierRow), in the one text form that COPY, the unnest batches and the hash share.

import { hash } from 'node:crypto';
import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import { businessDateOf, vietnamTimeText } from '../../platform/calendar/businessTime.js';
import { deriveDossier } from './derive.js';
import type { Rating } from './import/fields.js';
import type { SupplementRequest } from './rules/deadline.js';
import { DOSSIER_CHANNELS, type DossierChannel, type DossierEvent, ENDING_STATUSES, STATUS_LABELS, statusCode, statusFromCode } from './rules/statuses.js';

/** One dossier as a one-stop system states it, in a file row or a pushed batch item. */
export interface DossierInput {
  code: string;
  procedureCode: string;
  receivingUnitCode: string;
  channel: DossierChannel;
  receivedAt: Date;
  /** 'YYYY-MM-DD' (ngày hẹn trả), or null. */
  promisedReturnDate: string | null;
  handler: string | null;
  events: DossierEvent[];
  supplements: SupplementRequest[];
  /** null: not stated (the stored value, if any, stays). */
  fee: number | null;
  paidOnline: boolean | null;
  synced: boolean | null;
  digitised: boolean | null;
  electronicResult: boolean | null;
  reusedData: boolean | null;
  rating: Rating | null;
  complaint: boolean | null;
}

/** What is wrong with one dossier of a batch or a file: the field concerned, a stable code, a Vietnamese reason. */
export interface ItemProblem {
  field: string | null;
  code: string;
  message: string;
}

/** The facts as stored: codes resolved to ids, channel and statuses as the national codes. */
export interface StoredFacts {
  procedureId: number;
  unitId: number;
  channel: number;
  receivedAt: Date;
  promisedOn: string | null;
  handler: string | null;
  eventStatuses: number[];
  eventTimes: Date[];
  supplementAsked: Date[];
  supplementAnswered: (Date | null)[];
  fee: number | null;
  paidOnline: boolean | null;
  synced: boolean | null;
  digitised: boolean | null;
  electronicResult: boolean | null;
  reusedData: boolean | null;
  rating: string | null;
  /** null only in what arrives (not stated); a row stores false then. */
  complaint: boolean | null;
}

export interface DossierRow extends StoredFacts {
  code: string;
  status: number;
  statusAt: Date;
  endedAt: Date | null;
  endedStatus: number | null;
  dueOn: string | null;
  overdueFrom: Date | null;
  /** The columns' values as PostgreSQL reads them from text, in ROW_COLUMNS order (rowTexts), once. */
  texts: (string | null)[];
  /** The same values as one line of COPY's text format (tab-separated, \N for NULL), without the hash. */
  copyText: string;
  /** MD5 of `copyText`: equal hashes, nothing to write. */
  dataHash: string;
}

/** Clocks of the source systems drift: an instant up to a day ahead of ours is not "in the future". */
const FUTURE_SLACK_MS = 86_400_000;
export const MAX_EVENTS = 100;
export const MAX_SUPPLEMENTS = 20;
export const MAX_FEE = 1_000_000_000_000;


/** Dates that contradict each other or lie in the future; an input with any of them is not written. */
export function checkInput(input: DossierInput, now: Date): ItemProblem[] {
  const problems: ItemProblem[] = [];
  const latest = now.getTime() + FUTURE_SLACK_MS;
  const received = input.receivedAt.getTime();
  inFuture(problems, latest, 'receivedAt', input.receivedAt, 'Ngày tiếp nhận');
  if (input.promisedReturnDate !== null && input.promisedReturnDate < businessDateOf(input.receivedAt)) {
    problems.push({ field: 'promisedReturnDate', code: 'DATE_ORDER', message: `ngày hẹn trả (${input.promisedReturnDate}) trước ngày tiếp nhận (${vietnamTimeText(input.receivedAt)})` });
  }
  if (input.events.length > MAX_EVENTS) problems.push({ field: 'events', code: 'TOO_MANY_EVENTS', message: `quá ${MAX_EVENTS} mốc trạng thái trong một hồ sơ` });
  for (let i = 0; i < input.events.length; i++) {
    const event = input.events[i];
    inFuture(problems, latest, `events[${i}].at`, event.at, `Thời điểm trạng thái "${STATUS_LABELS[event.status]}"`);
    if (ENDING_STATUSES.has(event.status) && event.at.getTime() < received) {
      problems.push({
        field: `events[${i}].at`,
        code: 'DATE_ORDER',
        message: `hồ sơ "${STATUS_LABELS[event.status]}" lúc ${vietnamTimeText(event.at)}, trước khi được tiếp nhận (${vietnamTimeText(input.receivedAt)})`,
      });
    }
  }
  if (input.supplements.length > MAX_SUPPLEMENTS) problems.push({ field: 'supplements', code: 'TOO_MANY_SUPPLEMENTS', message: `quá ${MAX_SUPPLEMENTS} lần yêu cầu bổ sung` });
  for (let i = 0; i < input.supplements.length; i++) {
    const { askedAt, answeredAt } = input.supplements[i];
    inFuture(problems, latest, `supplements[${i}].askedAt`, askedAt, 'Ngày yêu cầu bổ sung');
    if (askedAt.getTime() < received) {
      problems.push({ field: `supplements[${i}].askedAt`, code: 'DATE_ORDER', message: `ngày yêu cầu bổ sung (${vietnamTimeText(askedAt)}) trước ngày tiếp nhận (${vietnamTimeText(input.receivedAt)})` });
    }
    if (answeredAt) {
      inFuture(problems, latest, `supplements[${i}].answeredAt`, answeredAt, 'Ngày công dân bổ sung');
      if (answeredAt.getTime() < askedAt.getTime()) {
        problems.push({ field: `supplements[${i}].answeredAt`, code: 'DATE_ORDER', message: `ngày công dân bổ sung (${vietnamTimeText(answeredAt)}) trước ngày yêu cầu bổ sung (${vietnamTimeText(askedAt)})` });
      }
    }
  }
  if (input.fee !== null && !(Number.isSafeInteger(input.fee) && input.fee >= 0 && input.fee <= MAX_FEE)) {
    problems.push({ field: 'fee', code: 'INVALID_FEE', message: `phí, lệ phí "${input.fee}" không phải số đồng hợp lệ` });
  }
  return problems;
}

// Module functions, not closures made per call: the checks run a million times a file.
function inFuture(problems: ItemProblem[], latest: number, field: string, at: Date, label: string) {
  if (at.getTime() > latest) problems.push({ field, code: 'DATE_IN_FUTURE', message: `${label} (${vietnamTimeText(at)}) ở tương lai` });
}

/** The input's facts, with its codes resolved; the same event or request twice is kept once. */
export function factsOf(input: DossierInput, procedureId: number, unitId: number): StoredFacts {
  const facts: StoredFacts = {
    procedureId,
    unitId,
    channel: DOSSIER_CHANNELS.indexOf(input.channel) + 1,
    receivedAt: input.receivedAt,
    promisedOn: input.promisedReturnDate,
    handler: input.handler,
    eventStatuses: [],
    eventTimes: [],
    supplementAsked: [],
    supplementAnswered: [],
    fee: input.fee,
    paidOnline: input.paidOnline,
    synced: input.synced,
    digitised: input.digitised,
    electronicResult: input.electronicResult,
    reusedData: input.reusedData,
    rating: input.rating,
    complaint: input.complaint,
  };
  addEvents(facts, input.events.map((e) => [statusCode(e.status), e.at]));
  addSupplements(facts, input.supplements.map((s) => [s.askedAt, s.answeredAt]));
  return facts;
}

/**
 * The stored facts with what arrives added: events and supplement requests are merged (none is
 * ever dropped; an answer fills a request asked at the same instant); what the source states
 * replaces what it stated before, and what it leaves out (null) stays. The promised date is the
 * first one given (rules/README.md: a date re-issued after a supplement would count the pause twice).
 * Facts that then contradict each other (an ending before the receipt) are a RangeError.
 */
export function mergeFacts(stored: StoredFacts, incoming: StoredFacts): StoredFacts {
  const merged: StoredFacts = {
    procedureId: incoming.procedureId,
    unitId: incoming.unitId,
    channel: incoming.channel,
    receivedAt: incoming.receivedAt,
    promisedOn: stored.promisedOn ?? incoming.promisedOn,
    handler: incoming.handler ?? stored.handler,
    eventStatuses: [...stored.eventStatuses],
    eventTimes: [...stored.eventTimes],
    supplementAsked: [...stored.supplementAsked],
    supplementAnswered: [...stored.supplementAnswered],
    fee: incoming.fee ?? stored.fee,
    paidOnline: incoming.paidOnline ?? stored.paidOnline,
    synced: incoming.synced ?? stored.synced,
    digitised: incoming.digitised ?? stored.digitised,
    electronicResult: incoming.electronicResult ?? stored.electronicResult,
    reusedData: incoming.reusedData ?? stored.reusedData,
    rating: incoming.rating ?? stored.rating,
    complaint: incoming.complaint ?? stored.complaint,
  };
  addEvents(merged, incoming.eventStatuses.map((s, i) => [s, incoming.eventTimes[i]]));
  addSupplements(merged, incoming.supplementAsked.map((a, i) => [a, incoming.supplementAnswered[i]]));
  // Each item is checked alone (checkInput); merged, a later receipt may follow an ending stored
  // before. A RangeError, as the rules' refusals: the caller reports it against the item.
  const received = merged.receivedAt.getTime();
  for (let i = 0; i < merged.eventStatuses.length; i++) {
    if (ENDING_STATUSES.has(statusFromCode(merged.eventStatuses[i])) && merged.eventTimes[i].getTime() < received) {
      throw new RangeError(`An ending (${merged.eventTimes[i].toISOString()}) before the receipt (${merged.receivedAt.toISOString()})`);
    }
  }
  return merged;
}

function addEvents(facts: StoredFacts, events: [number, Date][]) {
  for (const [status, at] of events) {
    const t = at.getTime();
    let seen = false;
    for (let i = 0; i < facts.eventStatuses.length && !seen; i++) seen = facts.eventStatuses[i] === status && facts.eventTimes[i].getTime() === t;
    if (seen) continue;
    facts.eventStatuses.push(status);
    facts.eventTimes.push(at);
  }
}

function addSupplements(facts: StoredFacts, requests: [Date, Date | null][]) {
  for (const [asked, answered] of requests) {
    const i = facts.supplementAsked.findIndex((a) => a.getTime() === asked.getTime());
    if (i < 0) {
      facts.supplementAsked.push(asked);
      facts.supplementAnswered.push(answered);
    } else if (answered) {
      facts.supplementAnswered[i] = answered;
    }
  }
}

/**
 * The whole row: the derived columns from the facts and the procedure's processing time, and the
 * hash. A RangeError (the rules refuse the facts: no promised date and no processing time, an
 * answer before its request) goes to the caller, who reports it against the dossier.
 */
export function dossierRow(calendar: WorkingCalendar, code: string, facts: StoredFacts, processingWorkingDays: number | null): DossierRow {
  const derived = deriveDossier(calendar, {
    receivedAt: facts.receivedAt,
    promisedReturnDate: facts.promisedOn,
    processingWorkingDays,
    events: facts.eventStatuses.map((s, i) => ({ status: statusFromCode(s), at: facts.eventTimes[i] })),
    supplements: facts.supplementAsked.map((askedAt, i) => ({ askedAt, answeredAt: facts.supplementAnswered[i] })),
  });
  // Spelled out: a spread that then overrides keys makes V8 build the object the slow way (~20 µs).
  const row: DossierRow = {
    procedureId: facts.procedureId,
    unitId: facts.unitId,
    channel: facts.channel,
    receivedAt: facts.receivedAt,
    promisedOn: facts.promisedOn,
    handler: facts.handler,
    eventStatuses: facts.eventStatuses,
    eventTimes: facts.eventTimes,
    supplementAsked: facts.supplementAsked,
    supplementAnswered: facts.supplementAnswered,
    fee: facts.fee,
    paidOnline: facts.paidOnline,
    synced: facts.synced,
    digitised: facts.digitised,
    electronicResult: facts.electronicResult,
    reusedData: facts.reusedData,
    rating: facts.rating,
    complaint: facts.complaint ?? false,
    code,
    status: statusCode(derived.status),
    statusAt: derived.statusAt,
    endedAt: derived.endedAt,
    endedStatus: derived.endedStatus === null ? null : statusCode(derived.endedStatus),
    dueOn: derived.dueOn,
    overdueFrom: derived.overdueFrom,
    texts: [],
    copyText: '',
    dataHash: '',
  };
  row.texts = rowTexts(row);
  row.copyText = copyTextOf(row.texts);
  row.dataHash = hash('md5', row.copyText, 'base64');
  return row;
}

/** The stored facts of a row read back from `dossiers` (or the staging table). */
export function factsFromDb(r: Record<string, unknown>): StoredFacts {
  return {
    procedureId: r.procedure_id as number,
    unitId: r.unit_id as number,
    channel: r.channel as number,
    receivedAt: r.received_at as Date,
    promisedOn: r.promised_on as string | null,
    handler: r.handler as string | null,
    eventStatuses: r.event_statuses as number[],
    eventTimes: r.event_times as Date[],
    supplementAsked: r.supplement_asked as Date[],
    supplementAnswered: r.supplement_answered as (Date | null)[],
    fee: r.fee === null ? null : Number(r.fee),
    paidOnline: r.paid_online as boolean | null,
    synced: r.synced as boolean | null,
    digitised: r.digitised as boolean | null,
    electronicResult: r.electronic_result as boolean | null,
    reusedData: r.reused_data as boolean | null,
    rating: r.rating as string | null,
    complaint: r.complaint as boolean,
  };
}

/** The columns a row is written with, after (source_id, code): name and SQL type, in order. */
export const ROW_COLUMNS = [
  ['procedure_id', 'integer'],
  ['unit_id', 'integer'],
  ['channel', 'smallint'],
  ['received_at', 'timestamptz'],
  ['promised_on', 'date'],
  ['handler', 'text'],
  ['event_statuses', 'smallint[]'],
  ['event_times', 'timestamptz[]'],
  ['supplement_asked', 'timestamptz[]'],
  ['supplement_answered', 'timestamptz[]'],
  ['fee', 'bigint'],
  ['paid_online', 'boolean'],
  ['synced', 'boolean'],
  ['digitised', 'boolean'],
  ['electronic_result', 'boolean'],
  ['reused_data', 'boolean'],
  ['rating', 'text'],
  ['complaint', 'boolean'],
  ['status', 'smallint'],
  ['status_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
  ['ended_status', 'smallint'],
  ['due_on', 'date'],
  ['overdue_from', 'timestamptz'],
  ['data_hash', 'text'],
] as const;

const DAY_MS = 86_400_000;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * The instant as Date.prototype.toISOString writes it ('2026-03-05T02:15:00.000Z'), ten times
 * faster: the date part is kept per day (a file's instants fall on a few hundred days).
 */
export function isoInstant(d: Date): string {
  const ms = d.getTime();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = d.toISOString().slice(0, 11);
    if (dayPrefixes.size >= 100_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  return `${prefix}${TWO[(rest - minute) / 60]}:${TWO[minute]}:${TWO[second]}.${THREE[milli]}Z`;
}

const iso = (d: Date | null) => (d === null ? null : isoInstant(d));
const bool = (b: boolean | null) => (b === null ? null : b ? 't' : 'f');
const num = (n: number | null) => (n === null ? null : String(n));
function timeArray(ds: (Date | null)[]): string {
  let out = '{';
  for (let i = 0; i < ds.length; i++) {
    const d = ds[i];
    out += `${i > 0 ? ',' : ''}${d === null ? 'NULL' : `"${isoInstant(d)}"`}`;
  }
  return `${out}}`;
}

/** The row's values as PostgreSQL reads them from text, in ROW_COLUMNS order, the hash left out. */
export function rowTexts(r: Omit<DossierRow, 'texts' | 'copyText' | 'dataHash'>): (string | null)[] {
  return [
    String(r.procedureId),
    String(r.unitId),
    String(r.channel),
    isoInstant(r.receivedAt),
    r.promisedOn,
    r.handler,
    `{${r.eventStatuses.join(',')}}`,
    timeArray(r.eventTimes),
    timeArray(r.supplementAsked),
    timeArray(r.supplementAnswered),
    num(r.fee),
    bool(r.paidOnline),
    bool(r.synced),
    bool(r.digitised),
    bool(r.electronicResult),
    bool(r.reusedData),
    r.rating,
    bool(r.complaint),
    String(r.status),
    isoInstant(r.statusAt),
    iso(r.endedAt),
    num(r.endedStatus),
    r.dueOn,
    iso(r.overdueFrom),
  ];
}

const HANDLER = ROW_COLUMNS.findIndex(([name]) => name === 'handler');
const COPY_SPECIAL = /[\\\t\n\r]/;

/** Text in COPY's text format: backslash, tab and line breaks escaped. */
export function copyEscape(text: string): string {
  return COPY_SPECIAL.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/** The values as COPY reads them: only the handler is free text, the others are numbers, ISO instants and arrays of them. */
function copyTextOf(texts: (string | null)[]): string {
  let out = '';
  for (let k = 0; k < texts.length; k++) {
    const value = texts[k];
    out += `${k > 0 ? '\t' : ''}${value === null ? '\\N' : k === HANDLER ? copyEscape(value) : value}`;
  }
  return out;
}
