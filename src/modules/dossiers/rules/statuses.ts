// The vocabulary of an administrative-procedure dossier (hồ sơ thủ tục hành chính) as the national
// public-service portal (Cổng Dịch vụ công quốc gia) codes it: ten statuses and three channels,
// and how a dossier's status history is read at any instant.

/** Status codes 1–10 of the national portal, in code order (the order that breaks timestamp ties). */
export const DOSSIER_STATUSES = [
  'registered', // 1
  'accepted', // 2
  'not_accepted', // 3
  'in_process', // 4
  'supplement_requested', // 5
  'payment_requested', // 6
  'withdrawn', // 7
  'stopped', // 8
  'processed', // 9
  'returned', // 10
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const STATUS_LABELS: Record<DossierStatus, string> = {
  registered: 'Mới đăng ký',
  accepted: 'Được tiếp nhận',
  not_accepted: 'Không được tiếp nhận',
  in_process: 'Đang xử lý',
  supplement_requested: 'Yêu cầu bổ sung giấy tờ',
  payment_requested: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  withdrawn: 'Công dân yêu cầu rút hồ sơ',
  stopped: 'Dừng xử lý',
  processed: 'Đã xử lý xong',
  returned: 'Đã trả kết quả',
};

/**
 * The statuses that end a dossier (RULES.md: "the dossier ended (processed, returned, rejected,
 * stopped, withdrawn)"): 3 not accepted, 7 withdrawn, 8 stopped, 9 processed, 10 returned. Its
 * timeliness is judged at the first of them. 9 and 10 end it with a result (kết quả); the others
 * without one.
 */
export const ENDING_STATUSES: ReadonlySet<DossierStatus> = new Set(['not_accepted', 'withdrawn', 'stopped', 'processed', 'returned']);
export const RESULT_STATUSES: ReadonlySet<DossierStatus> = new Set(['processed', 'returned']);

/** Channels 1–3 of the national portal (hình thức nộp). */
export const DOSSIER_CHANNELS = ['in_person', 'online', 'post'] as const;
export type DossierChannel = (typeof DOSSIER_CHANNELS)[number];

export const CHANNEL_LABELS: Record<DossierChannel, string> = {
  in_person: 'Trực tiếp',
  online: 'Trực tuyến',
  post: 'Qua dịch vụ bưu chính công ích',
};

/** The national portal's numeric code (1–10) of a status. */
export function statusCode(status: DossierStatus): number {
  return DOSSIER_STATUSES.indexOf(status) + 1;
}

/** The status of a national portal code 1–10; a RangeError for anything else. */
export function statusFromCode(code: number): DossierStatus {
  const status = Number.isInteger(code) ? DOSSIER_STATUSES[code - 1] : undefined;
  if (!status) throw new RangeError(`Invalid dossier status code ${code}: expected 1–10`);
  return status;
}

/** The channel of a national portal code 1–3; a RangeError for anything else. */
export function channelFromCode(code: number): DossierChannel {
  const channel = Number.isInteger(code) ? DOSSIER_CHANNELS[code - 1] : undefined;
  if (!channel) throw new RangeError(`Invalid dossier channel code ${code}: expected 1–3`);
  return channel;
}

/** One entry of the status history, stamped by the system that recorded it. */
export type DossierEvent = { status: DossierStatus; at: Date };

/**
 * The history in the order it happened: by each event's own timestamp, ties by status code, then
 * as given. Events arrive out of order from the one-stop systems (a "processed" stamped before its
 * "accepted"); they are all kept, none is reordered by what "should" come first.
 */
export function orderEvents(events: readonly DossierEvent[]): DossierEvent[] {
  for (const event of events) {
    if (!(event.at instanceof Date) || Number.isNaN(event.at.getTime())) {
      throw new RangeError(`Invalid time on a dossier event (${event.status}): expected a real instant`);
    }
  }
  // Array.prototype.sort is stable, so equal (time, status) pairs keep the order they came in.
  return [...events].sort((a, b) => a.at.getTime() - b.at.getTime() || statusCode(a.status) - statusCode(b.status));
}

export type DossierState = {
  /** The latest status at or before the instant; null before the first event. */
  status: DossierStatus | null;
  /** When the dossier ended: the first ending event at or before the instant; null while open. */
  endedAt: Date | null;
  endedWith: DossierStatus | null;
};

/**
 * The dossier as it stood at `at`. Ending is final: a non-ending event stamped after the first
 * ending one (an "accepted" recorded after "processed", a "returned" after "processed") shows in
 * `status` but does not reopen the dossier, so its timeliness is judged once, at `endedAt`.
 */
export function stateAt(events: readonly DossierEvent[], at: Date): DossierState {
  let status: DossierStatus | null = null;
  let ended: DossierEvent | null = null;
  for (const event of orderEvents(events)) {
    if (event.at.getTime() > at.getTime()) break;
    status = event.status;
    if (!ended && ENDING_STATUSES.has(event.status)) ended = event;
  }
  return { status, endedAt: ended?.at ?? null, endedWith: ended?.status ?? null };
}

/** The first ending event of the whole history (whatever instant), or null while the dossier is open. */
export function firstEnding(events: readonly DossierEvent[]): DossierEvent | null {
  return orderEvents(events).find((event) => ENDING_STATUSES.has(event.status)) ?? null;
}
