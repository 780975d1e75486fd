import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type pg from 'pg';
import { type Db, inTransaction } from '../src/db/kysely.js';
import { recordAudit } from '../src/platform/audit/audit.js';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { insertCategory } from '../src/modules/feedback/repo.js';
import { createCalendar } from '../src/platform/calendar/calendar.js';
import * as orgUnitRepo from '../src/platform/orgunits/repo.js';
import { loadDemoBreakthrough } from './breakthrough.js';
import { loadDemoDossiers } from './dossiers.js';
import { loadDemoFeedback } from './feedback.js';
import { loadDemoObstacles, loadDemoProjects } from './projects.js';
import { loadDemoTasks } from './tasks.js';

/** Demo data: Hải Dương province as the seed article describes it in 2021. Not real accounts. */
export const DEMO_PASSWORD = 'Demo@HaiDuong2021';

export const DEMO_USERS = [
  { username: 'admin', fullName: 'Quản trị hệ thống (minh họa)', unit: 'HD', role: 'administrator', note: 'quản trị toàn tỉnh' },
  { username: 'lanhdao', fullName: 'Nguyễn Văn Lãnh (minh họa)', unit: 'HD', role: 'leader', note: 'lãnh đạo tỉnh' },
  { username: 'dieuhanh', fullName: 'Trần Thị Hành (minh họa)', unit: 'HD', role: 'operator', note: 'điều hành viên tỉnh' },
  { username: 'chilinh.admin', fullName: 'Phạm Quản Trị (minh họa)', unit: 'HD-CL', role: 'administrator', note: 'quản trị TP Chí Linh' },
  { username: 'namsach.canbo', fullName: 'Lê Văn Sách (minh họa)', unit: 'HD-NS', role: 'officer', note: 'cán bộ huyện Nam Sách' },
  { username: 'anbinh.canbo', fullName: 'Vũ Thị Bình (minh họa)', unit: 'HD-NS-ANBINH', role: 'officer', note: 'cán bộ xã An Bình' },
  { username: 'tuky.lanhdao', fullName: 'Đỗ Văn Kỳ (minh họa)', unit: 'HD-TK', role: 'leader', note: 'lãnh đạo huyện Tứ Kỳ' },
] as const;

/** Announced swaps: the government's 2025 decision for 30/4–1/5 (a Friday off, a Saturday worked). */
const DEMO_EXCEPTIONS = [
  { date: '2025-05-02', kind: 'off', name: 'Nghỉ hoán đổi dịp 30/4 – 1/5/2025' },
  { date: '2025-04-26', kind: 'work', name: 'Làm bù cho ngày 02/05/2025' },
] as const;

/** Feedback categories (the Open311 services) a Vietnamese city usually starts with. */
const DEMO_CATEGORIES = [
  { code: 'den-duong', name: 'Đèn chiếu sáng công cộng hỏng', group: 'Hạ tầng đô thị', unitKind: 'commune', days: 3 },
  { code: 'mat-duong', name: 'Hư hỏng mặt đường, vỉa hè', group: 'Giao thông', unitKind: 'commune', days: 5 },
  { code: 'rac-thai', name: 'Rác thải, vệ sinh môi trường', group: 'Môi trường', unitKind: 'commune', days: 2 },
  { code: 'ngap-ung', name: 'Ngập úng, cống rãnh', group: 'Hạ tầng đô thị', unitKind: 'commune', days: 3 },
  { code: 'lan-chiem', name: 'Lấn chiếm lòng đường, vỉa hè', group: 'Trật tự đô thị', unitKind: 'commune', days: 3 },
  { code: 'cay-xanh', name: 'Cây xanh gãy đổ, nguy hiểm', group: 'Hạ tầng đô thị', unitKind: 'commune', days: 1 },
  { code: 'an-ninh', name: 'An ninh trật tự', group: 'An ninh', unitKind: 'district', days: 2 },
  { code: 'xay-dung', name: 'Xây dựng trái phép', group: 'Trật tự đô thị', unitKind: 'district', days: 5 },
] as const;

interface UnitRow {
  code: string;
  name: string;
  kind: string;
  parentCode: string;
  lat: string;
  lng: string;
}

/**
 * Loads the demo locality into an empty database (`pool` is the one under `db`: citizen reports are
 * written through the submission writer); returns false when there is already data.
 */
export async function loadDemo(db: Db, pool: pg.Pool): Promise<boolean> {
  const any = await db.selectFrom('org_units').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const csv = fs.readFileSync(path.join(import.meta.dirname, 'org-units.csv'), 'utf8');
  const rows = Papa.parse<UnitRow>(csv, { header: true, skipEmptyLines: true }).data;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await inTransaction(db, async (trx) => {
    const byCode = new Map<string, orgUnitRepo.OrgUnitRow>();
    for (const r of rows) {
      const parent = r.parentCode ? byCode.get(r.parentCode) : null;
      if (parent === undefined) throw new Error(`demo/org-units.csv: parent ${r.parentCode} of ${r.code} is not above it`);
      const unit = await orgUnitRepo.insert(trx, {
        code: r.code,
        name: r.name,
        kind: r.kind,
        parent,
        lat: r.lat ? Number(r.lat) : null,
        lng: r.lng ? Number(r.lng) : null,
        boundary: null,
      });
      byCode.set(r.code, unit);
    }
    for (const u of DEMO_USERS) {
      const unit = byCode.get(u.unit);
      if (!unit) throw new Error(`demo user ${u.username}: no unit ${u.unit}`);
      const { id } = await trx
        .insertInto('users')
        .values({ username: u.username, full_name: u.fullName, org_unit_id: unit.id, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('user_grants').values({ user_id: id, role: u.role, org_unit_id: unit.id }).execute();
    }
    for (const e of DEMO_EXCEPTIONS) await trx.insertInto('calendar_exceptions').values(e).execute();
    for (const c of DEMO_CATEGORIES) {
      await insertCategory(trx, {
        code: c.code,
        name: c.name,
        description: '',
        group_name: c.group,
        attributes: [],
        unit_kind: c.unitKind,
        deadline_days: c.days,
        active: true,
      });
    }
    const dossiers = await loadDemoDossiers(trx, rows, createCalendar([...DEMO_EXCEPTIONS]));
    const projects = await loadDemoProjects(trx);
    await recordAudit(trx, null, {
      module: 'demo', action: 'load', entityType: 'demo', after: { orgUnits: rows.length, users: DEMO_USERS.length, calendarExceptions: DEMO_EXCEPTIONS.length, feedbackCategories: DEMO_CATEGORIES.length, dossierProcedures: dossiers.procedures, dossiers: dossiers.dossiers, keyProjects: projects.projects },
    });
  });
  // Through the services, each in its own transactions, once the locality is in place.
  await loadDemoBreakthrough(db, { passwordHash });
  await loadDemoObstacles(db);
  await loadDemoTasks(db);
  await loadDemoFeedback(db, pool);
  return true;
}
