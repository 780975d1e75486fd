import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCalendar } from '../../platform/calendar/calendar.js';
import { type DerivationFacts, type DerivedColumns, deriveDossier } from './derive.js';
import { DOSSIER_STATUSES, type DossierEvent, type DossierStatus, ENDING_STATUSES } from './rules/statuses.js';
import { type Timeliness, type TimelinessFacts, timelinessAsOf } from './rules/timeliness.js';

// February 2026: Mon 2 – Fri 6, Mon 9 – Fri 13 worked; Mon 16 – Fri 20 Tết (off); Mon 23 – Fri 27
// worked. March: Mon 2 – Fri 6 worked. The locality also records a day off (Fri 6 March) and a
// Saturday worked (Sat 14 March), so the generated dossiers meet every kind of day.
const calendar = createCalendar([
  { date: '2026-03-06', kind: 'off', name: 'Nghỉ bù (thử)' },
  { date: '2026-03-14', kind: 'work', name: 'Làm bù (thử)' },
]);
const vn = (local: string) => new Date(`${local}+07:00`);
const DAY = 86_400_000;

/** The classification the columns give at T (migration 007's rule). */
function fromColumns(facts: DerivationFacts, derived: DerivedColumns, at: Date): Timeliness {
  const t = at.getTime();
  if (facts.receivedAt.getTime() > t) return 'not_received';
  const overdueFrom = derived.overdueFrom?.getTime() ?? null;
  if (derived.endedAt && derived.endedAt.getTime() <= t) {
    return overdueFrom === null || derived.endedAt.getTime() < overdueFrom ? 'completed_on_time' : 'completed_late';
  }
  return overdueFrom !== null && overdueFrom <= t ? 'in_process_overdue' : 'in_process_within';
}

/** The facts as they were known at T: later events and requests unknown, later answers not given yet. */
function knownAt(facts: DerivationFacts, at: Date): TimelinessFacts {
  const t = at.getTime();
  return {
    ...facts,
    events: facts.events.filter((e) => e.at.getTime() <= t),
    supplements: facts.supplements
      .filter((s) => s.askedAt.getTime() <= t)
      .map((s) => ({ askedAt: s.askedAt, answeredAt: s.answeredAt && s.answeredAt.getTime() <= t ? s.answeredAt : null })),
  };
}

const byRules = (facts: DerivationFacts, at: Date) => timelinessAsOf(calendar, knownAt(facts, at), at).timeliness;

describe('the derived columns', () => {
  const received = vn('2026-03-02T09:00:00'); // Monday
  const base = (overrides: Partial<DerivationFacts> = {}): DerivationFacts => ({
    receivedAt: received,
    promisedReturnDate: '2026-03-05', // Thursday
    processingWorkingDays: 3,
    events: [{ status: 'accepted', at: received }],
    supplements: [],
    ...overrides,
  });

  test('an open dossier without supplements: due on the promised date, overdue from the next midnight', () => {
    const d = deriveDossier(calendar, base());
    assert.deepEqual(d, { status: 'accepted', statusAt: received, endedAt: null, endedStatus: null, dueOn: '2026-03-05', overdueFrom: vn('2026-03-06T00:00:00') });
  });

  test('the latest status by its own time, the first ending, out-of-order events kept as they are', () => {
    const events: DossierEvent[] = [
      { status: 'returned', at: vn('2026-03-05T10:00:00') },
      { status: 'processed', at: vn('2026-03-04T16:00:00') },
      { status: 'accepted', at: vn('2026-03-04T17:00:00') }, // entered late, stamped after "processed"
    ];
    const d = deriveDossier(calendar, base({ events }));
    assert.equal(d.status, 'returned');
    assert.deepEqual([d.endedAt, d.endedStatus], [vn('2026-03-04T16:00:00'), 'processed']);
    assert.equal(d.overdueFrom, null, 'ended on time: nothing makes it late');
  });

  test('no event yet: accepted at receipt', () => {
    const d = deriveDossier(calendar, base({ events: [] }));
    assert.deepEqual([d.status, d.statusAt], ['accepted', received]);
  });

  test('an unanswered supplement stops the clock: no due date, never overdue while the citizen holds it', () => {
    const d = deriveDossier(calendar, base({ supplements: [{ askedAt: vn('2026-03-03T10:00:00'), answeredAt: null }] }));
    assert.deepEqual([d.dueOn, d.overdueFrom], [null, null]);
  });

  test('an answered supplement moves the due date by the working days paused', () => {
    // Asked Tue 3, answered Mon 9: (3, 9] holds Wed 4, Thu 5, Mon 9 (Fri 6 is off here) → Thu 5 + 3 = Wed 11.
    const d = deriveDossier(calendar, base({ supplements: [{ askedAt: vn('2026-03-03T10:00:00'), answeredAt: vn('2026-03-09T08:00:00') }] }));
    assert.deepEqual([d.dueOn, d.overdueFrom], ['2026-03-11', vn('2026-03-12T00:00:00')]);
  });

  test('a second supplement request makes it late from that instant', () => {
    const supplements = [
      { askedAt: vn('2026-03-02T14:00:00'), answeredAt: vn('2026-03-02T16:00:00') },
      { askedAt: vn('2026-03-03T10:00:00'), answeredAt: null },
    ];
    assert.deepEqual(deriveDossier(calendar, base({ supplements })).overdueFrom, vn('2026-03-03T10:00:00'));
  });

  test('neither a promised date nor a processing time: refused as the rules refuse it', () => {
    assert.throws(() => deriveDossier(calendar, base({ promisedReturnDate: null, processingWorkingDays: null })), RangeError);
  });

  test('where the rules are not monotone: a supplement asked on the due date makes the weekend late, the next working day on time', () => {
    // Due Thu 5 March; Fri 6 is a day off here. Asked Thu 5 at 16:00, answered Wed 11.
    const facts = base({ supplements: [{ askedAt: vn('2026-03-05T16:00:00'), answeredAt: vn('2026-03-11T09:00:00') }] });
    assert.equal(byRules(facts, vn('2026-03-07T12:00:00')), 'in_process_overdue', 'Saturday: the rules say overdue');
    assert.equal(byRules(facts, vn('2026-03-09T12:00:00')), 'in_process_within', 'Monday: on time again, paused');
    assert.equal(byRules(facts, vn('2026-03-12T12:00:00')), 'in_process_overdue', 'Thursday: (5, 11] paused Mon 9, Tue 10, Wed 11 → due Wed 11');
    const d = deriveDossier(calendar, facts);
    // The lasting lateness starts after Wed 11; the weekend of 6–8 March is the one disagreement.
    assert.deepEqual([d.dueOn, d.overdueFrom], ['2026-03-11', vn('2026-03-12T00:00:00')]);
    assert.equal(fromColumns(facts, d, vn('2026-03-07T12:00:00')), 'in_process_within');
  });

  test('ended on such a weekend, it is judged late, as the rules judge it at its end', () => {
    const facts = base({
      supplements: [{ askedAt: vn('2026-03-05T16:00:00'), answeredAt: null }],
      events: [{ status: 'accepted', at: received }, { status: 'withdrawn', at: vn('2026-03-07T10:00:00') }],
    });
    const d = deriveDossier(calendar, facts);
    assert.deepEqual(d.overdueFrom, vn('2026-03-06T00:00:00'));
    assert.equal(byRules(facts, vn('2026-04-01T00:00:00')), 'completed_late');
    assert.equal(fromColumns(facts, d, vn('2026-04-01T00:00:00')), 'completed_late');
  });
});

// ---- the property ----

/** mulberry32: the same dossiers on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(rand: () => number): DerivationFacts {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  // Instants at whole minutes, some exactly at midnight, around February–April 2026 (Tết included).
  const instant = (from: number, maxDays: number) => {
    const day = Math.floor((from + 7 * 3_600_000) / DAY) + int(maxDays + 1);
    const minute = rand() < 0.1 ? 0 : int(24 * 60);
    return new Date(day * DAY - 7 * 3_600_000 + minute * 60_000);
  };
  const receivedAt = instant(vn('2026-02-01T00:00:00').getTime(), 60);
  if (receivedAt.getTime() < vn('2026-02-01T00:00:00').getTime()) receivedAt.setTime(vn('2026-02-01T08:00:00').getTime());
  const promised = rand() < 0.4 ? null : instant(receivedAt.getTime(), 12);
  const facts: DerivationFacts = {
    receivedAt,
    promisedReturnDate: promised ? new Date(promised.getTime() + 7 * 3_600_000).toISOString().slice(0, 10) : null,
    processingWorkingDays: promised && rand() < 0.5 ? null : int(8),
    events: [],
    supplements: [],
  };
  const requests = rand() < 0.35 ? 0 : rand() < 0.7 ? 1 : 2 + int(2);
  const supplements = [];
  for (let i = 0; i < requests; i++) {
    // Many near the due date and on days off: where the rules turn.
    const askedAt = instant(receivedAt.getTime(), rand() < 0.5 ? 16 : 6);
    if (askedAt.getTime() < receivedAt.getTime()) askedAt.setTime(receivedAt.getTime());
    const answeredAt = rand() < 0.3 ? null : rand() < 0.15 ? new Date(askedAt.getTime() + int(600) * 60_000) : instant(askedAt.getTime(), 12);
    supplements.push({ askedAt, answeredAt: answeredAt && answeredAt.getTime() < askedAt.getTime() ? askedAt : answeredAt });
  }
  const events: DossierEvent[] = [{ status: 'accepted', at: receivedAt }];
  for (let i = int(3); i > 0; i--) events.push({ status: pick(['in_process', 'supplement_requested', 'payment_requested'] as const), at: instant(receivedAt.getTime(), 20) });
  if (rand() < 0.6) {
    const ending = pick(DOSSIER_STATUSES.filter((s) => ENDING_STATUSES.has(s)));
    events.push({ status: ending, at: instant(receivedAt.getTime(), 25) });
    if (rand() < 0.3) events.push({ status: pick(DOSSIER_STATUSES) as DossierStatus, at: instant(receivedAt.getTime(), 25) });
  }
  return {
    ...facts,
    supplements,
    events: events.map((e) => (e.at.getTime() < receivedAt.getTime() ? { ...e, at: receivedAt } : e)),
  };
}

/** Every midnight, noon and last millisecond of each day, and each fact's instant ±1 ms. */
function instantsToCheck(facts: DerivationFacts): Date[] {
  const times = [facts.receivedAt, ...facts.events.map((e) => e.at), ...facts.supplements.flatMap((s) => [s.askedAt, ...(s.answeredAt ? [s.answeredAt] : [])])].map((d) => d.getTime());
  const out = new Set<number>();
  for (const t of times) for (const dt of [-1, 0, 1]) out.add(t + dt);
  const firstDay = Math.floor((facts.receivedAt.getTime() + 7 * 3_600_000) / DAY) - 1;
  for (let day = firstDay; day <= firstDay + 50; day++) {
    const midnight = day * DAY - 7 * 3_600_000;
    for (const t of [midnight, midnight + 12 * 3_600_000, midnight + DAY - 1]) out.add(t);
  }
  return [...out].sort((a, b) => a - b).map((t) => new Date(t));
}

test('property: classifying with the columns agrees with timelinessAsOf on the facts known at T, except inside a stretch of lateness the rules later take back', () => {
  const rand = random(766);
  let checked = 0;
  let takenBack = 0;
  let dossiersWithDisagreement = 0;
  for (let n = 0; n < 3000; n++) {
    const facts = generate(rand);
    const derived = deriveDossier(calendar, facts);
    const instants = instantsToCheck(facts);
    let disagreed = false;
    for (const at of instants) {
      const expected = byRules(facts, at);
      const actual = fromColumns(facts, derived, at);
      checked++;
      if (expected === actual) continue;
      // The one allowed difference: the rules say overdue at T, the columns within, and the rules
      // themselves say within again at a later instant while the dossier is still open.
      const context = `dossier ${n} at ${at.toISOString()}: ${JSON.stringify({ facts, derived })}`;
      assert.deepEqual([expected, actual], ['in_process_overdue', 'in_process_within'], context);
      const later = [...instants, ...Array.from({ length: 14 }, (_, i) => new Date(at.getTime() + (i + 1) * DAY))].filter(
        (t) => t > at && (!derived.endedAt || t < derived.endedAt),
      );
      assert.ok(later.some((t) => byRules(facts, t) === 'in_process_within'), `the rules never take this lateness back: ${context}`);
      takenBack++;
      disagreed = true;
    }
    if (disagreed) dossiersWithDisagreement++;
  }
  // The generator aims at the turning points (seed 766: about 495,000 instants, 1,300 of them
  // taken back, in 66 of the 3,000 dossiers); in real data the days off after a request made on
  // the due date are rare. The counts show the test reached the case it allows.
  assert.ok(checked > 300_000, `${checked} instants`);
  assert.ok(takenBack > 0 && dossiersWithDisagreement < 3000 * 0.1, `${takenBack} instants in ${dossiersWithDisagreement} dossiers`);
});
