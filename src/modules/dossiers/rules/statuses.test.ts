import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DOSSIER_STATUSES,
  ENDING_STATUSES,
  type DossierEvent,
  STATUS_LABELS,
  channelFromCode,
  firstEnding,
  orderEvents,
  stateAt,
  statusCode,
  statusFromCode,
} from './statuses.js';

const vn = (local: string) => new Date(`${local}+07:00`);

describe('the ten statuses and three channels of the national portal', () => {
  test('codes 1–10 map both ways, with their Vietnamese labels', () => {
    assert.equal(DOSSIER_STATUSES.length, 10);
    assert.equal(statusFromCode(1), 'registered');
    assert.equal(statusFromCode(5), 'supplement_requested');
    assert.equal(statusFromCode(10), 'returned');
    for (const status of DOSSIER_STATUSES) assert.equal(statusFromCode(statusCode(status)), status);
    assert.equal(STATUS_LABELS.processed, 'Đã xử lý xong');
    for (const bad of [0, 11, 2.5, Number.NaN]) assert.throws(() => statusFromCode(bad), RangeError);
  });

  test('channels 1 in person, 2 online, 3 by post', () => {
    assert.deepEqual([1, 2, 3].map(channelFromCode), ['in_person', 'online', 'post']);
    assert.throws(() => channelFromCode(4), RangeError);
  });

  test('not accepted, withdrawn, stopped, processed and returned end a dossier; the others do not', () => {
    assert.deepEqual(
      DOSSIER_STATUSES.filter((s) => ENDING_STATUSES.has(s)),
      ['not_accepted', 'withdrawn', 'stopped', 'processed', 'returned'],
    );
  });
});

describe('the history is read in the order of its own timestamps', () => {
  // As delivered: returned first, a "processed" stamped five minutes before its "accepted",
  // "in process" and "accepted" with the same timestamp in the wrong order.
  const delivered: DossierEvent[] = [
    { status: 'returned', at: vn('2026-02-12T10:00:00') },
    { status: 'in_process', at: vn('2026-02-10T09:00:00') },
    { status: 'processed', at: vn('2026-02-10T08:55:00') },
    { status: 'accepted', at: vn('2026-02-10T09:00:00') },
  ];

  test('sorted by time, ties by status code (accepted 2 before in process 4); nothing dropped', () => {
    assert.deepEqual(
      orderEvents(delivered).map((e) => e.status),
      ['processed', 'accepted', 'in_process', 'returned'],
    );
    assert.equal(delivered[0].status, 'returned', 'the input is not reordered in place');
  });

  test('the state at an instant is the latest event; the dossier ended at its first ending event and stays ended', () => {
    assert.deepEqual(stateAt(delivered, vn('2026-02-10T08:00:00')), { status: null, endedAt: null, endedWith: null });
    assert.deepEqual(stateAt(delivered, vn('2026-02-10T08:55:00')), {
      status: 'processed',
      endedAt: vn('2026-02-10T08:55:00'),
      endedWith: 'processed',
    });
    assert.deepEqual(stateAt(delivered, vn('2026-02-10T09:30:00')), {
      status: 'in_process',
      endedAt: vn('2026-02-10T08:55:00'),
      endedWith: 'processed',
    });
    assert.equal(stateAt(delivered, vn('2026-02-12T10:00:00')).status, 'returned');
    assert.deepEqual(firstEnding(delivered), { status: 'processed', at: vn('2026-02-10T08:55:00') });
  });

  test('an open dossier has no ending', () => {
    const open: DossierEvent[] = [
      { status: 'accepted', at: vn('2026-01-26T09:00:00') },
      { status: 'supplement_requested', at: vn('2026-01-27T09:00:00') },
      { status: 'in_process', at: vn('2026-01-28T09:00:00') },
    ];
    assert.equal(firstEnding(open), null);
    assert.deepEqual(stateAt(open, vn('2026-03-01T00:00:00')), { status: 'in_process', endedAt: null, endedWith: null });
  });

  test('an event without a real time is refused', () => {
    assert.throws(() => orderEvents([{ status: 'accepted', at: new Date('x') }]), RangeError);
  });
});
