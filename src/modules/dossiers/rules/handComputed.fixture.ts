// The hand-computed dossiers of handComputed.test.ts, shared with the tests that load them into
// the database (the scorecard's SQL must give the same figures). Every figure is worked out by hand
// in the comments; see handComputed.test.ts for the calendar of January–March 2026.

import type { DossierFacts, ProcedureFacts } from './scorecardCounts.js';
import type { DossierStatus } from './statuses.js';

const vn = (local: string) => new Date(`${local}+07:00`);

// The procedure catalogue. The subtree (Huyện Nam Sách with its communes) has unit kinds
// 'district' and 'commune'; TT-DD is handled only by provincial agencies, so it never counts here.
export const procedures: ProcedureFacts[] = [
  // 5 wd, partly online, in force since 2025.
  { code: 'TT-XD', unitKinds: ['district'], processingWorkingDays: 5, online: 'partial', effectiveOn: '2025-07-01', announcedOn: '2025-06-20', publishedOn: '2025-06-25' },
  // 3 wd, fully online; effective 1 Feb 2026, announced 20 Jan and published 28 Jan: on time.
  { code: 'TT-HKD', unitKinds: ['district'], processingWorkingDays: 3, online: 'full', effectiveOn: '2026-02-01', announcedOn: '2026-01-20', publishedOn: '2026-01-28' },
  // 2 wd, not online.
  { code: 'TT-CT', unitKinds: ['commune'], processingWorkingDays: 2, online: 'none', effectiveOn: '2025-07-01', announcedOn: '2025-06-20', publishedOn: '2025-06-25' },
  // 5 wd, fully online; effective 2 Feb 2026 but published 3 Feb: late.
  { code: 'TT-KH', unitKinds: ['commune'], processingWorkingDays: 5, online: 'full', effectiveOn: '2026-02-02', announcedOn: '2026-01-26', publishedOn: '2026-02-03' },
  // Provincial agencies only: effective in February but not this subtree's.
  { code: 'TT-DD', unitKinds: ['agency'], processingWorkingDays: 10, online: 'full', effectiveOn: '2026-02-10', announcedOn: '2026-02-20', publishedOn: '2026-02-25' },
];
export const unitKinds = new Set(['district', 'commune']);

const ev = (status: DossierStatus, local: string) => ({ status, at: vn(local) });
const base = {
  promisedReturnDate: null,
  supplements: [],
  payment: null,
  syncedToNationalPortal: null, // the province has no sync records from the national portal
  complaint: false,
} as const;

export const dossiers: DossierFacts[] = [
  {
    // D01 finished on its promised day. Promised Thu 5 Feb; processed 5 Feb 17:30 → on time.
    ...base,
    code: 'D01', procedureCode: 'TT-HKD', channel: 'online', receivedAt: vn('2026-02-02T09:00:00'), promisedReturnDate: '2026-02-05',
    events: [ev('accepted', '2026-02-02T09:00:00'), ev('in_process', '2026-02-02T10:00:00'), ev('processed', '2026-02-05T17:30:00'), ev('returned', '2026-02-06T08:00:00')],
    payment: { fee: 100_000, paidOnline: true }, digitised: true, electronicResult: true, reusedDigitisedData: true,
  },
  {
    // D02 late by an hour. No promised date: Tue 3 Feb + 2 wd = Wed 4, Thu 5 → due 5 Feb 23:59:59.999;
    // processed 6 Feb 00:59:59.999 → late. The citizen complained.
    ...base,
    code: 'D02', procedureCode: 'TT-CT', channel: 'in_person', receivedAt: vn('2026-02-03T10:00:00'),
    events: [ev('accepted', '2026-02-03T10:00:00'), ev('processed', '2026-02-06T00:59:59.999'), ev('returned', '2026-02-06T09:00:00')],
    payment: { fee: 50_000, paidOnline: false }, digitised: true, electronicResult: false, reusedDigitisedData: false, complaint: true,
  },
  {
    // D03 supplement across Tết. Promised Wed 25 Feb (11 Feb + 5 wd: 12, 13, 23, 24, 25).
    // Asked Fri 13 Feb, answered Mon 23 Feb: paused (13, 23] = {23} = 1 wd → due Thu 26 Feb.
    // Processed 26 Feb 16:00 → on time (it would be late without the pause).
    ...base,
    code: 'D03', procedureCode: 'TT-XD', channel: 'in_person', receivedAt: vn('2026-02-11T08:30:00'), promisedReturnDate: '2026-02-25',
    events: [
      ev('accepted', '2026-02-11T08:30:00'), ev('in_process', '2026-02-11T09:00:00'), ev('supplement_requested', '2026-02-13T15:00:00'),
      ev('in_process', '2026-02-23T09:00:00'), ev('processed', '2026-02-26T16:00:00'), ev('returned', '2026-02-27T09:00:00'),
    ],
    supplements: [{ askedAt: vn('2026-02-13T15:00:00'), answeredAt: vn('2026-02-23T09:00:00') }],
    payment: { fee: 150_000, paidOnline: true }, digitised: true, electronicResult: true, reusedDigitisedData: false,
  },
  {
    // D04 supplement over the whole of Tết. No promised date: Mon 9 Feb + 5 wd = 10, 11, 12, 13, 23 → 23 Feb.
    // Asked Thu 12 Feb, answered Tue 24 Feb: paused (12, 24] = {13, 23, 24} = 3 wd (the five Tết days
    // add nothing) → due 23 Feb + 3 wd = 24, 25, 26 → Thu 26 Feb. Processed Fri 27 Feb 10:00 → late.
    ...base,
    code: 'D04', procedureCode: 'TT-XD', channel: 'online', receivedAt: vn('2026-02-09T10:00:00'),
    events: [
      ev('registered', '2026-02-09T08:00:00'), ev('accepted', '2026-02-09T10:00:00'), ev('supplement_requested', '2026-02-12T11:00:00'),
      ev('in_process', '2026-02-24T14:00:00'), ev('processed', '2026-02-27T10:00:00'), ev('returned', '2026-02-27T15:00:00'),
    ],
    supplements: [{ askedAt: vn('2026-02-12T11:00:00'), answeredAt: vn('2026-02-24T14:00:00') }],
    payment: { fee: 150_000, paidOnline: false }, digitised: true, electronicResult: false, reusedDigitisedData: true,
  },
  {
    // D05 two supplement requests. Promised Thu 5 Feb. First asked and answered Tue 3 Feb (0 wd);
    // second asked Wed 4, answered Thu 5 (1 wd) → due Fri 6 Feb. Processed 6 Feb 10:00, before the
    // due date, but two requests → late.
    ...base,
    code: 'D05', procedureCode: 'TT-HKD', channel: 'online', receivedAt: vn('2026-02-02T14:00:00'), promisedReturnDate: '2026-02-05',
    events: [ev('accepted', '2026-02-02T14:00:00'), ev('supplement_requested', '2026-02-03T09:00:00'), ev('in_process', '2026-02-03T15:00:00'), ev('supplement_requested', '2026-02-04T10:00:00'), ev('in_process', '2026-02-05T09:00:00'), ev('processed', '2026-02-06T10:00:00')],
    supplements: [
      { askedAt: vn('2026-02-03T09:00:00'), answeredAt: vn('2026-02-03T15:00:00') },
      { askedAt: vn('2026-02-04T10:00:00'), answeredAt: vn('2026-02-05T09:00:00') },
    ],
    payment: { fee: 100_000, paidOnline: true }, digitised: false, electronicResult: true, reusedDigitisedData: false,
  },
  {
    // D06 out-of-order events, delivered scrambled: "processed" stamped 08:55, before its
    // "accepted" at 09:00 (and before receipt). Ordered by own timestamps it ended at 08:55 on
    // Tue 10 Feb; promised Thu 12 Feb → on time. Sent by post.
    ...base,
    code: 'D06', procedureCode: 'TT-CT', channel: 'post', receivedAt: vn('2026-02-10T09:00:00'), promisedReturnDate: '2026-02-12',
    events: [ev('returned', '2026-02-12T10:00:00'), ev('in_process', '2026-02-10T09:00:00'), ev('processed', '2026-02-10T08:55:00'), ev('accepted', '2026-02-10T09:00:00')],
    digitised: true, electronicResult: false, reusedDigitisedData: false,
  },
  {
    // D07 withdrawn by the citizen. No promised date: Wed 4 Feb + 5 wd = 5, 6, 9, 10, 11 → 11 Feb.
    // Withdrawn Fri 6 Feb → ended on time, without a result.
    ...base,
    code: 'D07', procedureCode: 'TT-KH', channel: 'online', receivedAt: vn('2026-02-04T08:00:00'),
    events: [ev('accepted', '2026-02-04T08:00:00'), ev('withdrawn', '2026-02-06T10:00:00')],
    digitised: false, electronicResult: null, reusedDigitisedData: false,
  },
  {
    // D08 carried over from January, still open. Promised Mon 2 Feb (26 Jan + 5 wd: 27, 28, 29,
    // 30 Jan, 2 Feb) → overdue from 3 Feb 00:00. The citizen complained.
    ...base,
    code: 'D08', procedureCode: 'TT-XD', channel: 'in_person', receivedAt: vn('2026-01-26T09:00:00'), promisedReturnDate: '2026-02-02',
    events: [ev('accepted', '2026-01-26T09:00:00'), ev('in_process', '2026-01-26T10:00:00')],
    payment: { fee: 150_000, paidOnline: false }, digitised: false, electronicResult: null, reusedDigitisedData: false, complaint: true,
  },
  {
    // D09 open at the end of February with a supplement pending. Promised Tue 3 Mar (26 Feb + 3 wd:
    // 27 Feb, 2, 3 Mar). Asked Fri 27 Feb, answered Wed 4 Mar.
    // As of 28 Feb: paused (27, 28] = {} (Saturday) → due 3 Mar → within.
    // Once answered: paused (27 Feb, 4 Mar] = {2, 3, 4 Mar} = 3 wd → due 3 Mar + 3 wd = 4, 5, 6 → Fri 6 Mar.
    // Processed Mon 9 Mar 10:00 → late.
    ...base,
    code: 'D09', procedureCode: 'TT-HKD', channel: 'online', receivedAt: vn('2026-02-26T09:00:00'), promisedReturnDate: '2026-03-03',
    events: [ev('accepted', '2026-02-26T09:00:00'), ev('supplement_requested', '2026-02-27T10:00:00'), ev('in_process', '2026-03-04T09:00:00'), ev('processed', '2026-03-09T10:00:00')],
    supplements: [{ askedAt: vn('2026-02-27T10:00:00'), answeredAt: vn('2026-03-04T09:00:00') }],
    payment: { fee: 100_000, paidOnline: true }, digitised: true, electronicResult: true, reusedDigitisedData: true,
  },
  {
    // D10 ended in January (processed 21 Jan, promised 22 Jan → on time): not part of February.
    ...base,
    code: 'D10', procedureCode: 'TT-CT', channel: 'in_person', receivedAt: vn('2026-01-20T09:00:00'), promisedReturnDate: '2026-01-22',
    events: [ev('accepted', '2026-01-20T09:00:00'), ev('processed', '2026-01-21T15:00:00'), ev('returned', '2026-01-22T09:00:00')],
    payment: { fee: 50_000, paidOnline: false }, digitised: true, electronicResult: true, reusedDigitisedData: false,
  },
  {
    // D11 received in March: Mon 2 Mar + 5 wd = 3, 4, 5, 6, 9 → 9 Mar; processed 4 Mar → on time.
    ...base,
    code: 'D11', procedureCode: 'TT-KH', channel: 'online', receivedAt: vn('2026-03-02T09:00:00'),
    events: [ev('accepted', '2026-03-02T09:00:00'), ev('processed', '2026-03-04T10:00:00')],
    digitised: true, electronicResult: true, reusedDigitisedData: true,
  },
  {
    // D12 not accepted on the day of receipt (promised 26 Feb) → ended on time, without a result.
    ...base,
    code: 'D12', procedureCode: 'TT-HKD', channel: 'in_person', receivedAt: vn('2026-02-23T08:00:00'), promisedReturnDate: '2026-02-26',
    events: [ev('not_accepted', '2026-02-23T09:00:00')],
    digitised: false, electronicResult: null, reusedDigitisedData: false,
  },
  {
    // D13 submitted online during Tết (Tue 17 Feb, a day off): 3 wd = 23, 24, 25 → 25 Feb.
    // Processed 25 Feb 16:00 → on time.
    ...base,
    code: 'D13', procedureCode: 'TT-HKD', channel: 'online', receivedAt: vn('2026-02-17T20:00:00'),
    events: [ev('registered', '2026-02-17T20:00:00'), ev('accepted', '2026-02-23T08:00:00'), ev('processed', '2026-02-25T16:00:00')],
    payment: { fee: 100_000, paidOnline: true }, digitised: true, electronicResult: true, reusedDigitisedData: true,
  },
];
