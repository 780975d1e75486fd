// A small set of dossiers whose every figure is computed by hand below, so a reader can check
// each number against the rules (README.md) without running anything.
//
// The calendar is the project's own (no exceptions recorded). February 2026:
//   Mon 2 – Fri 6, Mon 9 – Fri 13 worked; Mon 16 – Fri 20 Tết Nguyên đán (off; 29 tháng Chạp and
//   mùng 1–4, per src/platform/calendar); Mon 23 – Fri 27 worked; Sat 28.
//   January: Mon 26 – Fri 30 worked. March: Mon 2 – Fri 6, Mon 9, Tue 10 worked.
// "wd" = working day. A due date D means the dossier is on time until D 23:59:59.999 +07:00.
// A supplement pauses the working days d with (date asked < d <= date answered).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCalendar } from '../../../platform/calendar/calendar.js';
import { reportingPeriod } from './period.js';
import { scorecard766 } from './scorecard766.js';
import { dossiers, procedures, unitKinds } from './handComputed.fixture.js';
import { type DossierFacts, scorecardCounts } from './scorecardCounts.js';
import { type Timeliness, timelinessAsOf } from './timeliness.js';

const calendar = createCalendar([]);
const vn = (local: string) => new Date(`${local}+07:00`);
const close = (actual: number | null, expected: number, message: string) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${message}: expected ${expected}, got ${actual}`);
};

const daysOf = (code: string) => procedures.find((p) => p.code === code)?.processingWorkingDays ?? null;
const judge = (dossier: DossierFacts, asOf: Date) =>
  timelinessAsOf(calendar, { ...dossier, processingWorkingDays: daysOf(dossier.procedureCode) }, asOf);

describe('timeliness of every dossier at three dates', () => {
  // A: Friday 13 Feb 2026 17:00, the last afternoon before Tết.
  // B: the last instant of February, 28 Feb 23:59:59.999.
  // C: Tuesday 10 Mar 2026 12:00.
  const A = vn('2026-02-13T17:00:00');
  const B = vn('2026-02-28T23:59:59.999');
  const C = vn('2026-03-10T12:00:00');

  const expected: Record<string, [Timeliness, string | null][]> = {
    //          as of A                                   as of B                                  as of C
    D01: [['completed_on_time', '2026-02-05'], ['completed_on_time', '2026-02-05'], ['completed_on_time', '2026-02-05']],
    D02: [['completed_late', '2026-02-05'], ['completed_late', '2026-02-05'], ['completed_late', '2026-02-05']],
    // A: asked 13 Feb 15:00, pending: paused (13, 13] = 0 → due 25 Feb.
    D03: [['in_process_within', '2026-02-25'], ['completed_on_time', '2026-02-26'], ['completed_on_time', '2026-02-26']],
    // A: asked 12 Feb, pending: paused (12, 13] = {13} = 1 → 23 Feb + 1 wd = 24 Feb.
    D04: [['in_process_within', '2026-02-24'], ['completed_late', '2026-02-26'], ['completed_late', '2026-02-26']],
    D05: [['completed_late', '2026-02-06'], ['completed_late', '2026-02-06'], ['completed_late', '2026-02-06']],
    D06: [['completed_on_time', '2026-02-12'], ['completed_on_time', '2026-02-12'], ['completed_on_time', '2026-02-12']],
    D07: [['completed_on_time', '2026-02-11'], ['completed_on_time', '2026-02-11'], ['completed_on_time', '2026-02-11']],
    D08: [['in_process_overdue', '2026-02-02'], ['in_process_overdue', '2026-02-02'], ['in_process_overdue', '2026-02-02']],
    D09: [['not_received', null], ['in_process_within', '2026-03-03'], ['completed_late', '2026-03-06']],
    D10: [['completed_on_time', '2026-01-22'], ['completed_on_time', '2026-01-22'], ['completed_on_time', '2026-01-22']],
    D11: [['not_received', null], ['not_received', null], ['completed_on_time', '2026-03-09']],
    D12: [['not_received', null], ['completed_on_time', '2026-02-26'], ['completed_on_time', '2026-02-26']],
    D13: [['not_received', null], ['completed_on_time', '2026-02-25'], ['completed_on_time', '2026-02-25']],
  };

  for (const dossier of dossiers) {
    test(`${dossier.code}`, () => {
      [A, B, C].forEach((asOf, i) => {
        const result = judge(dossier, asOf);
        assert.deepEqual([result.timeliness, result.deadline?.dueDate ?? null], expected[dossier.code][i], `${dossier.code} as of ${'ABC'[i]}`);
      });
    });
  }

  test('why the late ones are late', () => {
    assert.deepEqual(judge(dossiers[1], B).lateReasons, ['past_due']); // D02, by one hour
    assert.deepEqual(judge(dossiers[4], B).lateReasons, ['supplements']); // D05, processed before its due date
    assert.deepEqual(judge(dossiers[7], B).lateReasons, ['past_due']); // D08
  });

  test('the totals at each date', () => {
    // A: on time D01 D06 D07 D10; late D02 D05; within D03 D04; overdue D08; not received D09 D11 D12 D13.
    // B: on time D01 D03 D06 D07 D10 D12 D13; late D02 D04 D05; within D09; overdue D08; not received D11.
    // C: B with D09 late and D11 on time.
    const tally = (asOf: Date) => {
      const counts: Record<string, number> = {};
      for (const d of dossiers) counts[judge(d, asOf).timeliness] = (counts[judge(d, asOf).timeliness] ?? 0) + 1;
      return counts;
    };
    assert.deepEqual(tally(A), { completed_on_time: 4, completed_late: 2, in_process_within: 2, in_process_overdue: 1, not_received: 4 });
    assert.deepEqual(tally(B), { completed_on_time: 7, completed_late: 3, in_process_within: 1, in_process_overdue: 1, not_received: 1 });
    assert.deepEqual(tally(C), { completed_on_time: 8, completed_late: 4, in_process_overdue: 1 });
  });
});

describe('the Decision 766 scorecard of February 2026', () => {
  const february = reportingPeriod({ kind: 'month', year: 2026, month: 2 });
  const feedback = { due: 4, handledOnTime: 3 }; // citizens' feedback on procedures, from its own source
  const counts = scorecardCounts({ calendar, period: february, dossiers, procedures, unitKinds, feedback });

  test('the counts', () => {
    assert.deepEqual(counts, {
      // Procedures of the subtree (TT-XD, TT-HKD, TT-CT, TT-KH; not TT-DD). Effective in February:
      // TT-HKD (1 Feb, published 28 Jan: on time), TT-KH (2 Feb, published 3 Feb: late).
      proceduresEffective: 2,
      proceduresPublishedOnTime: 1,
      // Received 1–28 Feb: D01 D02 D03 D04 D05 D06 D07 D09 D12 D13 (not D08, D10 in January; D11 in March).
      dossiersReceived: 10,
      dossiersSynced: null,
      // Handled: received by 28 Feb and not ended before 1 Feb: the ten above and D08 (not D10).
      // On time as of 28 Feb: D01 D03 D06 D07 D09 D12 D13; late: D02 D04 D05 D08. Complaints: D02, D08.
      dossiersHandled: 11,
      dossiersHandledOnTime: 7,
      dossiersHandledWithComplaint: 2,
      // In force by 28 Feb: the four; fully online: TT-HKD, TT-KH.
      proceduresInForce: 4,
      proceduresFullyOnline: 2,
      // Received, of a procedure offered online (TT-XD partly, TT-HKD, TT-KH fully; not TT-CT):
      // D01 D03 D04 D05 D07 D09 D12 D13; of those online: D01 D04 D05 D07 D09 D13 (D03, D12 in person).
      dossiersReceivedOnlineCapable: 8,
      dossiersReceivedOnline: 6,
      // Received with a fee: D01 D02 D03 D04 D05 D09 D13; paid online: D01 D03 D05 D09 D13.
      dossiersWithFee: 7,
      dossiersPaidOnline: 5,
      feedbackDue: 4,
      feedbackHandledOnTime: 3,
      // Ended with a result (processed/returned) in February: D01 D02 D03 D04 D05 D06 D13
      // (D07 withdrawn, D12 not accepted: no result; D09 in March); electronic: D01 D03 D05 D13.
      resultsIssued: 7,
      resultsElectronic: 4,
      // Of the 10 received: digitised D01 D02 D03 D04 D06 D09 D13; reusing data D01 D04 D09 D13.
      dossiersDigitised: 7,
      dossiersReusingData: 4,
    });
  });

  test('every measure and point', () => {
    const card = scorecard766(counts);
    const scores = Object.fromEntries(card.groups.flatMap((g) => g.measures.map((m) => [m.id, m])));

    // 1.1 1/2 = 50%, threshold 100%: 9 × 0.5 = 4.5.  1.2 no sync records: no data (not 0, not 9).
    close(scores['1.1'].score, 4.5, '1.1');
    assert.equal(scores['1.2'].status, 'no_data');
    // 2.1 7/11, threshold 100%: 20 × 7/11 = 140/11 ≈ 12.727.
    close(scores['2.1'].score, 140 / 11, '2.1');
    // 3.1 2/4 = 50%, threshold 80%: 6 × 0.5 ÷ 0.8 = 3.75.  3.2 6/8 = 75% ≥ 50%: full 6.
    close(scores['3.1'].score, 3.75, '3.1');
    close(scores['3.2'].score, 6, '3.2');
    // 4.1 5/7, threshold 100%: 10 × 5/7 = 50/7 ≈ 7.143.
    close(scores['4.1'].score, 50 / 7, '4.1');
    // 5.1 3/4, threshold 100%: 9 × 0.75 = 6.75.
    // 5.2 100% − (4 late + 2 complaints)/11 = 5/11, threshold 90%: 9 × (5/11) ÷ 0.9 = 50/11 ≈ 4.545.
    close(scores['5.1'].score, 6.75, '5.1');
    close(scores['5.2'].rate, 5 / 11, '5.2 rate');
    close(scores['5.2'].score, 50 / 11, '5.2');
    // Group 6, 22/3 points each, threshold 80%:
    // 6.1 4/7: (22/3) × (4/7) ÷ 0.8 = (22/3) × (5/7) = 110/21 ≈ 5.238.
    // 6.2 7/10: (22/3) × 0.7 ÷ 0.8 = (22/3) × (7/8) = 77/12 ≈ 6.417.
    // 6.3 4/10: (22/3) × 0.4 ÷ 0.8 = (22/3) × (1/2) = 11/3 ≈ 3.667.
    close(scores['6.1'].score, 110 / 21, '6.1');
    close(scores['6.2'].score, 77 / 12, '6.2');
    close(scores['6.3'].score, 11 / 3, '6.3');

    // Groups: 1: 4.5 of the 9 points measured; 2: 140/11; 3: 9.75; 4: 50/7;
    // 5: 27/4 + 50/11 = 497/44 ≈ 11.295; 6: 110/21 + 77/12 + 11/3 = (440 + 539 + 308)/84 = 429/28 ≈ 15.321.
    const groups = card.groups.map((g) => [g.score, g.available]);
    for (const [i, [score, available]] of [[4.5, 9], [140 / 11, 20], [9.75, 12], [50 / 7, 10], [497 / 44, 18], [429 / 28, 22]].entries()) {
      close(groups[i][0], score, `group ${i + 1} score`);
      close(groups[i][1], available, `group ${i + 1} available`);
    }

    // Total: over 308ths, 1386 + 3920 + 3003 + 2200 + 3479 + 4719 = 18707/308 ≈ 60.737 earned,
    // out of the 91 points measured (1.2's 9 left out): 18707/308 ÷ 91 × 100 = 35975/539 ≈ 66.744.
    close(card.earned, 18707 / 308, 'earned');
    close(card.available, 91, 'available');
    close(card.outOf100, 35975 / 539, 'out of 100');
    assert.equal(card.complete, false);
    assert.deepEqual(card.unmeasured, [{ id: '1.2', status: 'no_data' }]);
  });

  test('without the feedback source, 5.1 is no data too: 4157/77 ≈ 53.987 of 82, ≈ 65.838 out of 100', () => {
    const card = scorecard766(scorecardCounts({ calendar, period: february, dossiers, procedures, unitKinds, feedback: null }));
    // 18707/308 − 6.75 = (18707 − 2079)/308 = 16628/308 = 4157/77; ÷ 82 × 100 = 207850/3157.
    close(card.earned, 4157 / 77, 'earned');
    close(card.available, 82, 'available');
    close(card.outOf100, 207850 / 3157, 'out of 100');
    close(card.groups[4].score, 50 / 11, 'group 5');
    close(card.groups[4].available, 9, 'group 5 available');
  });

  test("last month's figures come out the same from the history as it stood at its end", () => {
    // Cut every history at 28 Feb 23:59:59.999: later events dropped, later answers not yet given.
    const end = february.end.getTime();
    const asItStood = dossiers
      .filter((d) => d.receivedAt.getTime() <= end)
      .map((d) => ({
        ...d,
        events: d.events.filter((e) => e.at.getTime() <= end),
        supplements: d.supplements
          .filter((s) => s.askedAt.getTime() <= end)
          .map((s) => ({ askedAt: s.askedAt, answeredAt: s.answeredAt && s.answeredAt.getTime() <= end ? s.answeredAt : null })),
      }));
    assert.deepEqual(scorecardCounts({ calendar, period: february, dossiers: asItStood, procedures, unitKinds, feedback }), counts);
  });
});
