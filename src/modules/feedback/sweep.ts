// The periodic sweep: marks reports past their deadline overdue (timeline, leaders notified in
// the app, bus event) and closes resolved reports whose 7-day rating window has ended. Each step
// is one UPDATE … RETURNING in a transaction: run on every instance, each row is taken once.
// Once an hour it also removes stored files no row refers to (photos of a submission that failed
// after storing them).

import { sql } from 'kysely';
import { type Db, inTransaction } from '../../db/kysely.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Bus } from '../../platform/bus/bus.js';
import { ORPHAN_GRACE_MS, removeOrphanFiles } from '../../platform/files/orphans.js';
import type { FileStore } from '../../platform/files/store.js';
import { formatDateVi, businessDateOf } from './deadline.js';
import { REOPEN_WINDOW_DAYS } from './lifecycle.js';
import * as repo from './repo.js';

interface Swept {
  id: number;
  code: string;
  status: string;
  unit_id: number | null;
  area_unit_id: number | null;
  deadline: Date | null;
  unit_path: string | null;
  area_path: string | null;
  rating: string | null;
}

/** Walking the file store is the sweep's costly step: at most this often per instance. */
export const FILE_SWEEP_EVERY_MS = 60 * 60_000;

export function createFeedbackSweep(deps: { db: Db; bus: Bus; files: FileStore; now?: () => Date }) {
  const { db, bus, files } = deps;
  const now = deps.now ?? (() => new Date());
  let lastFileSweep: number | null = null;

  async function markOverdue(at: Date) {
    const notified: { userId: number | null; unitId: number | null; unitPath: string | null }[] = [];
    const rows = await inTransaction(db, async (trx) => {
      const { rows } = await sql<Swept>`
        WITH marked AS (
          UPDATE feedback_reports SET overdue_at = ${at}
          WHERE overdue_at IS NULL AND status IN ('verified', 'assigned', 'in_progress') AND deadline < ${at}
          RETURNING id, code, status, unit_id, area_unit_id, deadline, rating)
        SELECT m.*, hu.path AS unit_path, au.path AS area_path FROM marked m
        LEFT JOIN org_units hu ON hu.id = m.unit_id LEFT JOIN org_units au ON au.id = m.area_unit_id`.execute(trx);
      for (const r of rows) {
        await repo.insertEvent(trx, { report_id: r.id, action: 'overdue', from_status: r.status, to_status: r.status, at, public: false, actor_role: 'system', user_id: null, unit_id: r.unit_id, details: { deadline: r.deadline?.toISOString() ?? null } });
        await recordAudit(trx, null, { module: 'feedback', action: 'overdue', entityType: 'feedback_report', entityId: r.id, orgUnitId: r.unit_id ?? r.area_unit_id });
        const unitId = r.unit_id ?? r.area_unit_id;
        const unitPath = r.unit_path ?? r.area_path;
        const due = r.deadline ? formatDateVi(businessDateOf(r.deadline)) : '';
        const message = `Phản ánh ${r.code} đã quá hạn xử lý (hạn ${due}).`;
        const leaders = unitPath ? await repo.usersWithRoleOver(trx, unitPath, 'leader') : [];
        for (const userId of leaders) {
          await repo.insertNotification(trx, { userId, unitId, kind: 'overdue', reportId: r.id, message });
          notified.push({ userId, unitId, unitPath });
        }
        if (leaders.length === 0 && unitId) {
          await repo.insertNotification(trx, { userId: null, unitId, kind: 'overdue', reportId: r.id, message });
          notified.push({ userId: null, unitId, unitPath });
        }
      }
      return rows;
    });
    for (const r of rows) {
      const target = r.unit_id ? { orgUnitId: r.unit_id, orgUnitPath: r.unit_path } : { orgUnitId: r.area_unit_id, orgUnitPath: r.area_path };
      bus.publish({ type: 'feedback.overdue', ...target, payload: { id: r.id, code: r.code, deadline: r.deadline?.toISOString() ?? null } });
    }
    for (const n of notified) {
      bus.publish({ type: 'notification.created', orgUnitId: n.unitId, orgUnitPath: n.unitPath, payload: { userId: n.userId, kind: 'overdue' } });
    }
    return rows.length;
  }

  async function closeUnrated(at: Date) {
    const rows = await inTransaction(db, async (trx) => {
      // The window ends with the 7th local day (UTC+7) after the day of resolution, as in lifecycle.ts.
      const { rows } = await sql<Swept>`
        WITH closed AS (
          UPDATE feedback_reports SET status = 'closed', closed_at = ${at}, updated_at = ${at}
          WHERE status = 'resolved' AND resolved_at IS NOT NULL
            AND ((date(resolved_at AT TIME ZONE INTERVAL '07:00') + ${REOPEN_WINDOW_DAYS + 1}::int)::timestamp AT TIME ZONE INTERVAL '07:00') <= ${at}
          RETURNING id, code, status, unit_id, area_unit_id, deadline, rating)
        SELECT c.*, hu.path AS unit_path, au.path AS area_path FROM closed c
        LEFT JOIN org_units hu ON hu.id = c.unit_id LEFT JOIN org_units au ON au.id = c.area_unit_id`.execute(trx);
      for (const r of rows) {
        await repo.insertEvent(trx, { report_id: r.id, action: 'close', from_status: 'resolved', to_status: 'closed', at, public: true, actor_role: 'system', user_id: null, unit_id: null, details: { rating: r.rating } });
        await recordAudit(trx, null, { module: 'feedback', action: 'close', entityType: 'feedback_report', entityId: r.id, orgUnitId: r.unit_id ?? r.area_unit_id, before: { status: 'resolved' }, after: { status: 'closed' } });
      }
      return rows;
    });
    for (const r of rows) {
      const target = r.unit_id ? { orgUnitId: r.unit_id, orgUnitPath: r.unit_path } : { orgUnitId: r.area_unit_id, orgUnitPath: r.area_path };
      bus.publish({ type: 'feedback.changed', ...target, payload: { id: r.id, code: r.code, action: 'close', status: 'closed' } });
    }
    return rows.length;
  }

  async function removeOrphanPhotos(at: Date) {
    // Set before the walk, so the next runs skip while a long walk is still going; the absolute
    // difference lets a test's clock move backwards.
    if (lastFileSweep !== null && Math.abs(at.getTime() - lastFileSweep) < FILE_SWEEP_EVERY_MS) return 0;
    lastFileSweep = at.getTime();
    return removeOrphanFiles({ db, files }, new Date(at.getTime() - ORPHAN_GRACE_MS));
  }

  return {
    /** One pass; returns how many reports (and unreferenced files) each step took. */
    async run(at: Date = now()): Promise<{ overdue: number; closed: number; orphanFiles: number }> {
      return { overdue: await markOverdue(at), closed: await closeUnrated(at), orphanFiles: await removeOrphanPhotos(at) };
    },
  };
}

export type FeedbackSweep = ReturnType<typeof createFeedbackSweep>;
