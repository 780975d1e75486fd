// The apology letter of a late dossier, for the staff of its receiving unit (or a unit above it):
// the dossier must be late now (read from its derived columns, migration 007, as the lists read
// them), the new return date a working day after today; the letter's issue is audited.

import type { Db } from '../../db/kysely.js';
import { type Actor, STAFF_ROLES, isInScope } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import { parseIsoDate } from '../../platform/calendar/isoDate.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import { badRequest, conflict, notFound } from '../../platform/errors/errors.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { apologyLetterDocx, letterIssuer, letterNumber, letterPlace, textDate } from './letter.js';
import { findDossier } from './lists-repo.js';
import { STATUS_LABELS, statusFromCode } from './rules/statuses.js';
import type { Timeliness } from './rules/timeliness.js';

export interface LetterRequest {
  /** 'YYYY-MM-DD': a working day after today. */
  newReturnDate: string;
  reason: string;
  signerName: string;
  /** The signer's position; a line break separates "KT. CHỦ TỊCH" from "PHÓ CHỦ TỊCH". */
  signerTitle: string;
  /** Number and symbol, e.g. "05/PXL-UBND"; without it they are left blank to fill in. */
  number?: string;
}

/**
 * Why a new return date cannot be promised, or null when it can: it must be a working day after
 * `today`. The suggestion is the first working day after today, or after the chosen day off.
 */
export function returnDateProblem(calendar: WorkingCalendar, date: string, today: string): { message: string; nextWorkingDay: string } | null {
  parseIsoDate(date);
  if (date > today && calendar.isWorkingDay(date)) return null;
  if (date <= today) {
    const next = calendar.addWorkingDays(today, 1);
    return { nextWorkingDay: next, message: `Ngày hẹn trả mới phải sau hôm nay (${textDate(today)}): ngày làm việc gần nhất là ${textDate(next)}.` };
  }
  const info = calendar.dayInfo(date);
  const why = info.name ?? (info.kind === 'weekend' ? 'ngày nghỉ cuối tuần' : 'ngày nghỉ');
  const next = calendar.nextWorkingDay(date);
  return { nextWorkingDay: next, message: `Ngày ${textDate(date)} không phải ngày làm việc (${why}): hãy hẹn ngày làm việc kế tiếp, ${textDate(next)}.` };
}

/** Late now, by the derived columns as the lists read them (lists-repo.ts): overdue while open, or ended late. */
const LATE: ReadonlySet<Timeliness> = new Set(['in_process_overdue', 'completed_late']);

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function createApologyLetters(deps: { db: Db; calendar: CalendarService; directory: OrgUnitDirectory; now?: () => Date }) {
  const { db, calendar, directory } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /** The letter of dossier `id` as a .docx, its issue audited. */
    async generate(actor: Actor, id: number, input: LetterRequest): Promise<{ fileName: string; contentType: string; body: Buffer }> {
      const at = now();
      const row = await findDossier(db, id, at);
      const snapshot = await directory.snapshot();
      const unit = row ? snapshot.byId.get(row.unit_id) : undefined;
      if (!row || !unit || !isInScope(actor, unit.path, STAFF_ROLES)) throw notFound('hồ sơ');

      const dueOn = row.due_on ?? row.promised_on;
      if (!LATE.has(row.timeliness) || dueOn === null) {
        throw conflict(
          'DOSSIER_NOT_LATE',
          `Hồ sơ ${row.code} không trễ hạn${dueOn ? ` (hạn trả kết quả ${textDate(dueOn)})` : ''}: phiếu xin lỗi chỉ lập cho hồ sơ trễ hạn.`,
        );
      }
      // A result already handed over, or a dossier ended without one, has no return date to set again.
      const latest = statusFromCode(row.status);
      if (row.ended_status !== null && (row.ended_status !== 9 || latest === 'returned')) {
        const label = STATUS_LABELS[latest === 'returned' ? 'returned' : statusFromCode(row.ended_status)];
        throw conflict('DOSSIER_ENDED', `Hồ sơ ${row.code} đã kết thúc (${label}): không còn hẹn lại ngày trả kết quả.`);
      }

      const today = businessDateOf(at);
      const problem = returnDateProblemOrInvalid(await calendar.calendar(), input.newReturnDate, today);
      if (problem) throw badRequest('INVALID_RETURN_DATE', problem.message, { nextWorkingDay: problem.nextWorkingDay });
      const text = { reason: input.reason.trim(), signerName: input.signerName.trim(), signerTitle: input.signerTitle.trim() };
      for (const [field, value] of Object.entries(text)) {
        if (!value) throw badRequest('VALIDATION_FAILED', `Dữ liệu không hợp lệ: ${FIELD_NAMES[field]} không được để trống.`, [{ field, message: `${FIELD_NAMES[field]} không được để trống.` }]);
      }

      const ancestors = unit.pathIds
        .slice(0, -1)
        .map((ancestorId) => snapshot.byId.get(ancestorId))
        .filter((u) => u !== undefined);
      const number = input.number?.trim() ? letterNumber(input.number) : null;
      const body = await apologyLetterDocx({
        issuer: letterIssuer(unit, ancestors),
        place: letterPlace(unit, ancestors),
        issuedOn: today,
        number,
        citizenName: null,
        dossierCode: row.code,
        procedureName: row.procedure_name,
        receivedOn: businessDateOf(row.received_at),
        dueOn,
        newReturnDate: input.newReturnDate,
        reason: text.reason,
        signer: { title: text.signerTitle, name: text.signerName },
      });
      await recordAudit(db, actor, {
        module: 'dossiers',
        action: 'apology-letter',
        entityType: 'dossier',
        entityId: row.id,
        orgUnitId: unit.id,
        after: { code: row.code, number, dueOn, newReturnDate: input.newReturnDate, ...text },
      });
      return { fileName: `phieu-xin-loi-${row.code.replace(/[^A-Za-z0-9._-]+/g, '_')}.docx`, contentType: DOCX_TYPE, body };
    },
  };
}

const FIELD_NAMES: Record<string, string> = { reason: 'Lý do chậm trễ', signerName: 'Họ tên người ký', signerTitle: 'Chức vụ người ký' };

export type ApologyLetters = ReturnType<typeof createApologyLetters>;

/** A date the calendar cannot read (30 February, a year it does not cover) is a 400, not a 500. */
function returnDateProblemOrInvalid(calendar: WorkingCalendar, date: string, today: string) {
  try {
    return returnDateProblem(calendar, date, today);
  } catch (err) {
    if (err instanceof RangeError) throw badRequest('INVALID_DATE', `Ngày hẹn trả mới ${date} không hợp lệ (định dạng YYYY-MM-DD).`);
    throw err;
  }
}
