import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../src/db/kysely.js';
import { type Session, type TestApp, makeUnit, makeUser, signIn } from './app.js';
import { type Column, dossierRow as fileRow } from '../../src/modules/dossiers/import/fixtures.js';
import { seededRandom } from './dossiers.js';
import { multipart } from './feedback.js';

// Factories for the dossiers' ingest tests: a small locality with the one-stop system's codes,
// uploads, runs waited for, batches pushed with a source's key.

export type Unit = Awaited<ReturnType<typeof makeUnit>>;

/** The codes src/modules/dossiers/import/fixtures.ts writes in its files. */
export const FIXTURE_PROCEDURE = '1.001234.000.00.00.H23';
export const FIXTURE_PROCEDURE_2 = '2.000456.000.00.00.H23';
export const FIXTURE_UNIT_A = '000.00.12.H23';
export const FIXTURE_UNIT_B = '000.00.31.H23';

export interface IngestLocality {
  province: Unit;
  districtA: Unit;
  communeA: Unit;
  districtB: Unit;
  communeB: Unit;
  root: Session;
  adminA: Session;
  officerA: Session;
  sourceId: number;
  /** The source's key, an officer of district A. */
  keyA: string;
  procedureIds: Map<string, number>;
}

/**
 * A province with two districts of one commune each (their codes those of the fixtures' files),
 * the province's administrator, A's administrator and officer, two procedures (3 working days;
 * none, so a promised date is needed), a source whose key serves district A.
 */
export async function ingestLocality(t: TestApp, prefix: string): Promise<IngestLocality> {
  const province = await makeUnit(t.db, { name: 'Tỉnh thử', code: `${prefix}-P` });
  const districtA = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện A', code: `${prefix}-A` });
  const communeA = await makeUnit(t.db, { parent: districtA, name: 'Xã A1', code: FIXTURE_UNIT_A });
  const districtB = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện B', code: `${prefix}-B` });
  const communeB = await makeUnit(t.db, { parent: districtB, name: 'Xã B1', code: FIXTURE_UNIT_B });
  await makeUser(t.db, { unit: province, role: 'administrator', username: `${prefix}.root`.toLowerCase() });
  await makeUser(t.db, { unit: districtA, role: 'administrator', username: `${prefix}.admin.a`.toLowerCase() });
  await makeUser(t.db, { unit: districtA, role: 'officer', username: `${prefix}.officer.a`.toLowerCase() });
  const root = await signIn(t.app, `${prefix}.root`.toLowerCase());
  const adminA = await signIn(t.app, `${prefix}.admin.a`.toLowerCase());
  const officerA = await signIn(t.app, `${prefix}.officer.a`.toLowerCase());

  const procedureIds = new Map<string, number>();
  for (const [code, days] of [
    [FIXTURE_PROCEDURE, 3],
    [FIXTURE_PROCEDURE_2, null],
  ] as const) {
    const res = await root.post('/api/v1/dossiers/procedures', { code, name: `Thủ tục ${code}`, level: 'commune', unitKinds: ['commune'], processingDays: days });
    assert.equal(res.statusCode, 201, res.body);
    procedureIds.set(code, res.json().id);
  }
  const key = await root.post('/api/v1/api-keys', { name: 'Một cửa huyện A', role: 'officer', orgUnitId: districtA.id });
  assert.equal(key.statusCode, 201, key.body);
  const source = await root.post('/api/v1/dossiers/sources', { code: `${prefix}_MOTCUA`, name: 'Hệ thống một cửa thử', apiKeyId: key.json().apiKey.id });
  assert.equal(source.statusCode, 201, source.body);
  return { province, districtA, communeA, districtB, communeB, root, adminA, officerA, sourceId: source.json().id, keyA: key.json().secret, procedureIds };
}

/** Uploads a file to import under a source. */
export function upload(session: Session, sourceId: number, fileName: string, data: Buffer, type = 'text/csv'): Promise<LightMyRequestResponse> {
  const { payload, headers } = multipart([
    { name: 'sourceId', value: String(sourceId) },
    { name: 'file', file: data, fileName, type },
  ]);
  return session.request({ method: 'POST', url: '/api/v1/dossiers/imports', payload, headers });
}

const FINAL = ['uploaded', 'checked', 'imported', 'failed', 'cancelled'];

/** Polls an import until its run is over. */
export async function waitForRun(session: Session, id: number, timeoutMs = 120_000): Promise<Record<string, unknown> & { state: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await session.get(`/api/v1/dossiers/imports/${id}`);
    assert.equal(res.statusCode, 200, res.body);
    if (FINAL.includes(res.json().state)) return res.json();
    if (Date.now() > until) throw new Error(`import ${id} still ${res.json().state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a dry run ('check') or the import ('run') and waits for its end. */
export async function runImport(session: Session, id: number, what: 'check' | 'run', body: Record<string, unknown> = {}) {
  const res = await session.post(`/api/v1/dossiers/imports/${id}/${what}`, body);
  assert.equal(res.statusCode, 202, res.body);
  return waitForRun(session, id);
}

/** A batch pushed with a source's key. */
export function pushBatch(app: FastifyInstance, key: string, items: unknown[]): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/dossiers/batch', headers: { authorization: `Bearer ${key}` }, payload: { items } });
}

/** The stored dossiers of a source, by code, with their history and derived columns. */
export async function storedDossiers(db: Db, sourceId: number) {
  const { rows } = await sql<{
    code: string;
    unit_id: number;
    event_statuses: number[];
    event_times: Date[];
    supplement_asked: Date[];
    supplement_answered: (Date | null)[];
    status: number;
    status_at: Date;
    ended_at: Date | null;
    ended_status: number | null;
    due_on: string | null;
    overdue_from: Date | null;
    fee: string | null;
    data_hash: string;
    updated_at: Date;
    import_id: number | null;
    handler: string | null;
    synced: boolean | null;
    reused_data: boolean | null;
  }>`SELECT * FROM dossiers WHERE source_id = ${sourceId} ORDER BY code`.execute(db);
  return new Map(rows.map((r) => [r.code, r]));
}

const pad = (n: number) => String(n).padStart(2, '0');
/** 'dd/mm/yyyy hh:mm' of a Vietnamese wall-clock time given as ms since the epoch, as if UTC. */
const vnText = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const vnDate = (ms: number) => vnText(ms).slice(0, 10);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ENDINGS = ['Đã trả kết quả', 'Đã xử lý xong', 'Không được tiếp nhận', 'Công dân yêu cầu rút hồ sơ', 'Dừng xử lý'];
const OPEN = ['Được tiếp nhận', 'Đang xử lý', 'Yêu cầu thực hiện nghĩa vụ tài chính'];
const YES_NO_UNKNOWN = ['Có', 'Không', ''];

/**
 * Dossiers number `from` to `to` - 1, received from October 2025 to April 2026, some in the first
 * and last hour of a Vietnamese month (another month in UTC), ended or open, late or not, with
 * supplements, fees, flags known and unknown; each the same in every export, except that `ended`
 * ends the open ones (a later export of the same dossiers).
 */
export function exportRows(from: number, to: number, ended = false): string[][] {
  const rows: string[][] = [];
  for (let i = from; i < to; i++) {
    const random = seededRandom(2021 + i);
    const int = (k: number) => Math.floor(random() * k);
    const pick = <T,>(xs: readonly T[]) => xs[int(xs.length)];
    const start = Date.UTC(2025, 9 + int(7), 1);
    // Wall-clock time: most in office hours, some just after midnight on the 1st or before midnight on the last day.
    const edge = int(10);
    const received = edge === 0 ? start + 20 * 60_000 : edge === 1 ? start - 25 * 60_000 : start + int(27) * DAY + (7 + int(10)) * HOUR;
    const cells: Partial<Record<Column, string>> = {
      'Mã hồ sơ': `RU-${String(i).padStart(5, '0')}`,
      'Mã thủ tục': i % 2 ? FIXTURE_PROCEDURE : FIXTURE_PROCEDURE_2,
      'Đơn vị tiếp nhận': i % 3 ? FIXTURE_UNIT_A : FIXTURE_UNIT_B,
      'Kênh nộp': String(1 + int(3)),
      'Ngày tiếp nhận': vnText(received),
      'Ngày hẹn trả': i % 2 && int(2) ? '' : vnDate(received + (2 + int(10)) * DAY),
      'Ngày yêu cầu bổ sung': '',
      'Ngày bổ sung': '',
      'Phí, lệ phí': int(2) ? `${5 + int(50)}.000` : '',
      'Thanh toán trực tuyến': pick(YES_NO_UNKNOWN),
      'Số hóa': pick(YES_NO_UNKNOWN),
      'Kết quả điện tử': pick(['x', '', 'Không']),
      'Đánh giá': pick(['', 'Hài lòng', 'Không hài lòng']),
      'Khiếu nại': int(10) ? '' : 'Có',
    };
    let cursor = received + HOUR;
    if (int(6) === 0) {
      const asked = cursor + int(5 * 24) * HOUR;
      cells['Ngày yêu cầu bổ sung'] = vnText(asked);
      cursor = asked + (1 + int(4 * 24)) * HOUR;
      cells['Ngày bổ sung'] = vnText(cursor);
    }
    const finished = cursor + (4 + int(20 * 24)) * HOUR;
    if (ended || int(4)) {
      const status = pick(ENDINGS);
      Object.assign(cells, { 'Trạng thái': status, 'Thời điểm trạng thái': vnText(finished), 'Ngày có kết quả': '', 'Ngày trả kết quả': '' });
      if (status === 'Đã xử lý xong' || status === 'Đã trả kết quả') cells['Ngày có kết quả'] = vnText(finished);
      if (status === 'Đã trả kết quả') cells['Ngày trả kết quả'] = vnText(finished);
    } else {
      Object.assign(cells, { 'Trạng thái': pick(OPEN), 'Thời điểm trạng thái': vnText(cursor), 'Ngày có kết quả': '', 'Ngày trả kết quả': '' });
    }
    rows.push(fileRow(cells));
  }
  return rows;
}
