// The batch push of the one-stop systems (POST /api/v1/dossiers/batch): a source's API key sends
// up to 1,000 dossiers or status changes at a time; each item is checked and written on its own
// (a bad item is answered in its result and never stops the others), all in one transaction.

import { type Db, inTransaction } from '../../db/kysely.js';
import { type Actor, STAFF_ROLES, isInScope } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import { parseIsoDate } from '../../platform/calendar/isoDate.js';
import { forbidden } from '../../platform/errors/errors.js';
import { type DossierInput, type ItemProblem, MAX_EVENTS, MAX_SUPPLEMENTS } from './dossier-row.js';
import { RATINGS, type Rating } from './import/fields.js';
import { isCleanCode, parseVnDateTime } from './import/values.js';
import type { PushBody, PushResult } from './ingest-schemas.js';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES, type DossierChannel, type DossierEvent, type DossierStatus } from './rules/statuses.js';
import { sourceOfApiKey } from './sources.js';
import { writeDossiers } from './writer.js';

const FIELDS = new Set([
  'code', 'procedureCode', 'receivingUnitCode', 'channel', 'receivedAt', 'promisedReturnDate', 'handler', 'events', 'supplements',
  'fee', 'paidOnline', 'synced', 'digitised', 'electronicResult', 'reusedData', 'rating', 'complaint',
]);
const EARLIEST = Date.UTC(2000, 0, 1);

type Parsed = { input: DossierInput } | { code: string | null; problems: ItemProblem[] };

/** One item of a batch, read field by field; every problem is reported, not only the first. */
export function parsePushItem(raw: unknown): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { code: null, problems: [{ field: null, code: 'INVALID_ITEM', message: 'mỗi mục của lô phải là một hồ sơ (đối tượng JSON)' }] };
  }
  const item = raw as Record<string, unknown>;
  const problems: ItemProblem[] = [];
  const bad = (field: string, code: string, message: string) => {
    problems.push({ field, code, message });
    return null;
  };
  for (const key of Object.keys(item)) if (!FIELDS.has(key)) bad(key, 'UNKNOWN_FIELD', `"${key}" không phải trường của hồ sơ`);

  const text = (field: string, label: string, required: boolean, max: number): string | null => {
    const v = item[field];
    if (v === undefined || v === null || v === '') return required ? bad(field, 'MISSING_VALUE', `thiếu ${label}`) : null;
    if (typeof v !== 'string') return bad(field, 'INVALID_VALUE', `${label} phải là chuỗi`);
    if (v.length > max) return bad(field, 'INVALID_VALUE', `${label} dài quá ${max} ký tự`);
    return v.trim();
  };
  const code = (field: string, label: string): string | null => {
    const v = text(field, label, true, 100);
    return v !== null && !isCleanCode(v) ? bad(field, 'INVALID_CODE', `${label} "${v}" không hợp lệ (không có dấu cách)`) : v;
  };
  const instant = (field: string, label: string, value: unknown, required: boolean): Date | null => {
    if (value === undefined || value === null) return required ? bad(field, 'MISSING_VALUE', `thiếu ${label}`) : null;
    const ms = typeof value === 'string' ? parseVnDateTime(value.trim()) : Number.NaN;
    if (Number.isNaN(ms)) return bad(field, 'INVALID_DATE', `${label} "${String(value)}" không phải thời điểm hợp lệ (ISO 8601, ví dụ 2026-03-05T14:30:00+07:00)`);
    if (ms < EARLIEST) return bad(field, 'DATE_OUT_OF_RANGE', `${label} "${String(value)}" trước năm 2000`);
    return new Date(ms);
  };
  const flag = (field: string, label: string): boolean | null => {
    const v = item[field];
    if (v === undefined || v === null) return null;
    return typeof v === 'boolean' ? v : bad(field, 'INVALID_BOOLEAN', `${label} phải là true hoặc false`);
  };

  const dossierCode = code('code', 'mã hồ sơ');
  const procedureCode = code('procedureCode', 'mã thủ tục');
  const receivingUnitCode = code('receivingUnitCode', 'mã đơn vị tiếp nhận');
  const channel = channelOf(item.channel) ?? bad('channel', item.channel === undefined ? 'MISSING_VALUE' : 'INVALID_CHANNEL', 'kênh nộp phải là in_person, online, post (hoặc 1, 2, 3)');
  const receivedAt = instant('receivedAt', 'ngày tiếp nhận', item.receivedAt, true);

  let promisedReturnDate: string | null = null;
  if (item.promisedReturnDate !== undefined && item.promisedReturnDate !== null) {
    try {
      parseIsoDate(item.promisedReturnDate as string);
      promisedReturnDate = item.promisedReturnDate as string;
    } catch {
      bad('promisedReturnDate', 'INVALID_DATE', `ngày hẹn trả "${String(item.promisedReturnDate)}" không phải ngày hợp lệ (YYYY-MM-DD)`);
    }
  }

  const events: DossierEvent[] = [];
  const rawEvents = listOf(item.events, 'events', MAX_EVENTS, bad);
  rawEvents.forEach((e, i) => {
    const field = `events[${i}]`;
    if (typeof e !== 'object' || e === null) {
      bad(field, 'INVALID_VALUE', 'mỗi mốc trạng thái là { status, at }');
      return;
    }
    const { status: s, at, ...rest } = e as Record<string, unknown>;
    for (const key of Object.keys(rest)) bad(`${field}.${key}`, 'UNKNOWN_FIELD', `"${key}" không phải trường của một mốc trạng thái`);
    const status = statusOf(s);
    if (!status) bad(`${field}.status`, 'INVALID_STATUS', `trạng thái "${String(s)}" không thuộc 10 trạng thái của Cổng Dịch vụ công quốc gia (mã 1–10 hoặc tên, ví dụ "processed")`);
    const time = instant(`${field}.at`, 'thời điểm trạng thái', at, true);
    if (status && time) events.push({ status, at: time });
  });

  const supplements: DossierInput['supplements'] = [];
  listOf(item.supplements, 'supplements', MAX_SUPPLEMENTS, bad).forEach((s, i) => {
    const field = `supplements[${i}]`;
    if (typeof s !== 'object' || s === null) {
      bad(field, 'INVALID_VALUE', 'mỗi lần yêu cầu bổ sung là { askedAt, answeredAt }');
      return;
    }
    const { askedAt, answeredAt, ...rest } = s as Record<string, unknown>;
    for (const key of Object.keys(rest)) bad(`${field}.${key}`, 'UNKNOWN_FIELD', `"${key}" không phải trường của một lần yêu cầu bổ sung`);
    const asked = instant(`${field}.askedAt`, 'ngày yêu cầu bổ sung', askedAt, true);
    const answered = instant(`${field}.answeredAt`, 'ngày công dân bổ sung', answeredAt, false);
    if (asked) supplements.push({ askedAt: asked, answeredAt: answered });
  });

  let fee: number | null = null;
  if (item.fee !== undefined && item.fee !== null) {
    if (typeof item.fee === 'number' && Number.isSafeInteger(item.fee) && item.fee >= 0) fee = item.fee;
    else bad('fee', 'INVALID_FEE', `phí, lệ phí "${String(item.fee)}" phải là số đồng nguyên, không âm`);
  }
  let rating: Rating | null = null;
  if (item.rating !== undefined && item.rating !== null) {
    if ((RATINGS as readonly unknown[]).includes(item.rating)) rating = item.rating as Rating;
    else bad('rating', 'INVALID_RATING', 'đánh giá phải là very_satisfied, satisfied hoặc dissatisfied');
  }
  const handler = text('handler', 'cán bộ xử lý', false, 200);
  const flags = {
    paidOnline: flag('paidOnline', 'thanh toán trực tuyến'),
    synced: flag('synced', 'đồng bộ lên Cổng Dịch vụ công quốc gia'),
    digitised: flag('digitised', 'đã số hóa'),
    electronicResult: flag('electronicResult', 'kết quả điện tử'),
    reusedData: flag('reusedData', 'tái sử dụng dữ liệu số hóa'),
    complaint: flag('complaint', 'khiếu nại, phản ánh'),
  };

  if (problems.length > 0) return { code: typeof item.code === 'string' ? item.code : null, problems };
  return {
    input: {
      code: dossierCode!,
      procedureCode: procedureCode!,
      receivingUnitCode: receivingUnitCode!,
      channel: channel!,
      receivedAt: receivedAt!,
      promisedReturnDate,
      handler,
      events,
      supplements,
      fee,
      rating,
      ...flags,
    },
  };
}

function listOf(value: unknown, field: string, max: number, bad: (field: string, code: string, message: string) => null): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return bad(field, 'INVALID_VALUE', `${field} phải là một mảng`) ?? [];
  if (value.length > max) return bad(field, field === 'events' ? 'TOO_MANY_EVENTS' : 'TOO_MANY_SUPPLEMENTS', `${field}: nhiều nhất ${max} mục`) ?? [];
  return value;
}

function channelOf(v: unknown): DossierChannel | null {
  if (typeof v === 'number') return DOSSIER_CHANNELS[v - 1] ?? null;
  return typeof v === 'string' && (DOSSIER_CHANNELS as readonly string[]).includes(v) ? (v as DossierChannel) : null;
}

function statusOf(v: unknown): DossierStatus | null {
  if (typeof v === 'number') return Number.isInteger(v) ? (DOSSIER_STATUSES[v - 1] ?? null) : null;
  return typeof v === 'string' && (DOSSIER_STATUSES as readonly string[]).includes(v) ? (v as DossierStatus) : null;
}

export function createDossierPush(deps: { db: Db; calendar: CalendarService; now?: () => Date }) {
  const { db } = deps;
  return {
    async push(actor: Actor, body: PushBody): Promise<PushResult> {
      if (actor.kind !== 'apiKey' || actor.apiKeyId === null) {
        throw forbidden('Chỉ hệ thống một cửa, với khóa API của nguồn hồ sơ (Authorization: Bearer dh_…), mới gửi được hồ sơ theo lô.');
      }
      const source = await sourceOfApiKey(db, actor.apiKeyId);
      if (!source?.active) throw forbidden('Khóa API này không gắn với nguồn hồ sơ nào đang hoạt động. Hãy nhờ quản trị viên gắn khóa cho nguồn hồ sơ.');
      const calendar = await deps.calendar.calendar();
      const parsed = body.items.map(parsePushItem);
      const valid = parsed.flatMap((p, index) => ('input' in p ? [{ index, input: p.input }] : []));

      const results: PushResult['results'] = parsed.map((p, index) =>
        'input' in p ? { index, code: p.input.code, result: 'rejected', problems: [] } : { index, code: p.code, result: 'rejected', problems: p.problems },
      );
      await inTransaction(db, async (trx) => {
        const written = await writeDossiers(
          trx,
          source.id,
          valid.map((v) => v.input),
          { calendar, mayWriteUnit: (path) => isInScope(actor, path, STAFF_ROLES), now: deps.now?.() },
        );
        written.forEach((w, k) => {
          results[valid[k].index] = { index: valid[k].index, code: w.code, result: w.result, problems: w.problems };
        });
        const counts = countResults(results);
        // A batch that changed nothing (sent again) changed nothing to record.
        if (counts.created + counts.updated === 0) return;
        await recordAudit(trx, actor, {
          module: 'dossiers',
          action: 'batch.push',
          entityType: 'dossier_source',
          entityId: source.id,
          orgUnitId: actor.grants[0]?.orgUnitId ?? null,
          after: counts,
        });
      });
      return { sourceCode: source.code, ...countResults(results), results };
    },
  };
}

function countResults(results: PushResult['results']) {
  const count = (r: string) => results.filter((x) => x.result === r).length;
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected') };
}

export type DossierPush = ReturnType<typeof createDossierPush>;
