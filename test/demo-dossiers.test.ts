import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import Papa from 'papaparse';
import { DEMO_PROCEDURES, DEMO_SOURCE, demoDossiers, procedureDates } from '../demo/dossiers.js';
import { deriveDossier } from '../src/modules/dossiers/derive.js';
import { checkInput } from '../src/modules/dossiers/dossier-row.js';
import { type Timeliness, timelinessAsOf } from '../src/modules/dossiers/rules/timeliness.js';
import { createCalendar } from '../src/platform/calendar/calendar.js';

/** The demo's dossiers: valid for the writer, and shaped like a province's year (mostly on time, some late, some open). */

const units = Papa.parse<{ code: string; kind: string }>(fs.readFileSync(path.resolve(import.meta.dirname, '../demo/org-units.csv'), 'utf8'), {
  header: true,
  skipEmptyLines: true,
}).data;
const kindOf = new Map(units.map((u) => [u.code, u.kind]));
// demo/load.ts records the 2025 swap of 2 May for 26 April.
const calendar = createCalendar([
  { date: '2025-05-02', kind: 'off', name: 'Nghỉ hoán đổi' },
  { date: '2025-04-26', kind: 'work', name: 'Làm bù' },
]);
const now = new Date('2026-03-16T03:00:00Z');
const dossiers = demoDossiers({ units, calendar, now });
const procedureOf = new Map(DEMO_PROCEDURES.map((p) => [p.code, p]));

describe('the demo dossiers', () => {
  test('about 5,000 dossiers with unique codes, the same on every load', () => {
    assert.equal(dossiers.length, 5000);
    assert.equal(new Set(dossiers.map((d) => d.code)).size, 5000);
    assert.deepEqual(demoDossiers({ units, calendar, now, count: 50 }), dossiers.slice(0, 50));
  });

  test('each one is a dossier the writer accepts: known procedure and unit of the right kind, facts in order, a deadline', () => {
    for (const d of dossiers) {
      assert.deepEqual(checkInput(d, now), [], d.code);
      const procedure = procedureOf.get(d.procedureCode);
      assert.ok(procedure, d.procedureCode);
      const kind = kindOf.get(d.receivingUnitCode);
      assert.ok(kind && procedure.unitKinds.includes(kind as never), `${d.code}: ${procedure.level} procedure at a ${kind}`);
      if (procedure.department) assert.equal(d.receivingUnitCode, procedure.department);
      assert.ok(d.events.every((e) => e.at.getTime() <= now.getTime()), `${d.code}: nothing after now is known`);
      assert.ok(d.receivedAt.getTime() > now.getTime() - 15.2 * 30.5 * 86_400_000, `${d.code}: within 15 months`);
      deriveDossier(calendar, { ...d, processingWorkingDays: procedure.days });
    }
  });

  test('mostly on time, some late, some still open within or past their deadline', () => {
    const by = new Map<Timeliness, number>();
    for (const d of dossiers) {
      const facts = { ...d, processingWorkingDays: procedureOf.get(d.procedureCode)?.days ?? null };
      const t = timelinessAsOf(calendar, facts, now).timeliness;
      by.set(t, (by.get(t) ?? 0) + 1);
    }
    const n = (t: Timeliness) => by.get(t) ?? 0;
    const ended = n('completed_on_time') + n('completed_late');
    const onTimeShare = n('completed_on_time') / ended;
    assert.ok(onTimeShare > 0.9 && onTimeShare < 0.99, `on time ${(onTimeShare * 100).toFixed(1)}% of ended`);
    assert.ok(n('in_process_within') >= 20, `open within: ${n('in_process_within')}`);
    assert.ok(n('in_process_overdue') >= 10, `open overdue: ${n('in_process_overdue')}`);
    assert.equal(n('not_received'), 0);
  });

  test('supplements, channels, fees paid online, endings without a result, ratings and complaints all occur', () => {
    const share = (p: (d: (typeof dossiers)[number]) => boolean) => dossiers.filter(p).length / dossiers.length;
    const oneSupplement = share((d) => d.supplements.length === 1);
    assert.ok(oneSupplement > 0.04 && oneSupplement < 0.15, `one supplement: ${oneSupplement}`);
    assert.ok(share((d) => d.supplements.length > 1) > 0.005, 'two supplement requests (late whatever the dates)');
    assert.ok(share((d) => d.channel === 'online') > 0.2);
    assert.ok(share((d) => d.channel === 'post') > 0.005);
    assert.ok(share((d) => d.paidOnline === true) > 0.1);
    assert.ok(share((d) => d.fee !== null && d.paidOnline === false) > 0.1);
    assert.ok(share((d) => d.fee === null && d.paidOnline === null) > 0.1, 'free procedures have nothing to pay');
    for (const status of ['not_accepted', 'withdrawn', 'payment_requested', 'returned'] as const) {
      assert.ok(dossiers.some((d) => d.events.some((e) => e.status === status)), status);
    }
    assert.ok(share((d) => d.rating !== null) > 0.1);
    assert.ok(share((d) => d.complaint === true) > 0);
    assert.ok(dossiers.every((d) => d.handler !== null && d.synced !== null && d.digitised !== null && d.electronicResult !== null && d.reusedData !== null));
  });

  test('the catalogue: about 30 procedures of the three levels, departments of the demo, dates before or after coming into force', () => {
    assert.ok(DEMO_PROCEDURES.length >= 28 && DEMO_PROCEDURES.length <= 35);
    assert.equal(new Set(DEMO_PROCEDURES.map((p) => p.code)).size, DEMO_PROCEDURES.length);
    assert.match(DEMO_SOURCE.code, /^[A-Za-z0-9_.-]{1,50}$/);
    for (const p of DEMO_PROCEDURES) {
      assert.match(p.code, /^[A-Za-z0-9_.-]{1,60}$/);
      if (p.level === 'province') assert.equal(kindOf.get(p.department ?? ''), 'agency', p.code);
      const dates = procedureDates(p, '2026-03-16');
      assert.ok(dates.announcedOn < dates.effectiveOn);
      assert.equal(dates.publishedOn <= dates.effectiveOn, p.publishedOnTime, p.code);
    }
    assert.deepEqual(procedureDates(DEMO_PROCEDURES[0], '2026-03-16').effectiveOn, '2021-03-01');
    for (const level of ['commune', 'district', 'province'] as const) assert.ok(DEMO_PROCEDURES.filter((p) => p.level === level).length >= 8);
  });
});
