import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { type Db, inTransaction } from '../src/db/kysely.js';
import { recordAudit } from '../src/platform/audit/audit.js';
import { hashPassword } from '../src/platform/auth/passwords.js';
import * as orgUnitRepo from '../src/platform/orgunits/repo.js';

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

interface UnitRow {
  code: string;
  name: string;
  kind: string;
  parentCode: string;
  lat: string;
  lng: string;
}

/** Loads the demo locality into an empty database; returns false when there is already data. */
export async function loadDemo(db: Db): Promise<boolean> {
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
    await recordAudit(trx, null, {
      module: 'demo', action: 'load', entityType: 'demo', after: { orgUnits: rows.length, users: DEMO_USERS.length, calendarExceptions: DEMO_EXCEPTIONS.length },
    });
  });
  return true;
}
