// The Decision 766/QĐ-TTg (23/6/2022) scorecard of service to citizens and businesses in
// administrative procedures: six groups, 100 points, for a unit with its subtree and a period.
//
// Every measure is a rate read from counts (numerator / denominator), so the database can compute
// the counts in aggregate and this file scores them; scorecardCounts.ts computes the same counts
// from dossiers in memory, as the reference the SQL must agree with.
//
// Decisions:
// - Score of a measure: min(points, rate × points ÷ threshold): full marks at the threshold,
//   linear below it (RULES.md). Where RULES.md gives no threshold, it is 100%.
// - "No data" (null count): the source of a count is absent (the national portal's sync records,
//   feedback on procedures, reuse of digitised data). "Not applicable": its denominator is 0 (no
//   fee-bearing dossier in the period). Neither scores zero nor full marks: the measure is left
//   out, with its points. A group's score is the sum over its measured measures, out of their
//   points (`available`); null when none was measured. The total is likewise `earned` out of
//   `available`, and `outOf100` = earned ÷ available × 100 puts it on the scorecard's scale; the
//   scorecard says which measures were left out (`unmeasured`) and is `complete` only when none was.
// - The split of a group's points among its measures is not in RULES.md: each group's points are
//   split evenly among its measures (DEFAULT_MEASURE_WEIGHTS), the locality's editable default.
// - Sibling units are ranked on `outOf100` rounded to two decimals, as shown; equal scores share a
//   rank (1, 2, 2, 4); a unit with nothing measured is not ranked.

export const SCORECARD_GROUPS = [
  { id: 1, label: 'Công khai, minh bạch', points: 18 },
  { id: 2, label: 'Tiến độ, kết quả giải quyết', points: 20 },
  { id: 3, label: 'Cung cấp dịch vụ trực tuyến', points: 12 },
  { id: 4, label: 'Thanh toán trực tuyến', points: 10 },
  { id: 5, label: 'Mức độ hài lòng', points: 18 },
  { id: 6, label: 'Số hóa hồ sơ', points: 22 },
] as const;
export type GroupId = (typeof SCORECARD_GROUPS)[number]['id'];

/**
 * The counts every measure reads, for one unit's subtree and one period. "In the period" means
 * received from its first to its last instant; "handled" dossiers are those received by the end of
 * the period and not ended before its start, classified as of its last instant. null: no data.
 */
export const COUNT_NAMES = [
  'proceduresEffective', // procedures handled in the subtree that took effect in the period
  'proceduresPublishedOnTime', // of those, announced and published on time
  'dossiersReceived', // dossiers received in the period
  'dossiersSynced', // of those, synchronised to the national portal
  'dossiersHandled', // received by the end, not ended before the start
  'dossiersHandledOnTime', // of those, ended on time or in process within the deadline at the end
  'dossiersHandledWithComplaint', // of those, with a citizen's complaint (phản ánh, kiến nghị)
  'proceduresInForce', // procedures handled in the subtree in force at the end of the period
  'proceduresFullyOnline', // of those, offered fully online (dịch vụ công trực tuyến toàn trình)
  'dossiersReceivedOnlineCapable', // received in the period, of a procedure offered online (fully or partly)
  'dossiersReceivedOnline', // of those, submitted online
  'dossiersWithFee', // received in the period with a fee or charge to pay
  'dossiersPaidOnline', // of those, paid online
  'feedbackDue', // citizens' feedback on procedures due in the period
  'feedbackHandledOnTime', // of those, handled on time
  'resultsIssued', // dossiers ended with a result (processed, returned) in the period
  'resultsElectronic', // of those, with an electronic result
  'dossiersDigitised', // received in the period and digitised (số hóa)
  'dossiersReusingData', // received in the period that reused digitised data
] as const;
export type CountName = (typeof COUNT_NAMES)[number];
export type ScorecardCounts = Record<CountName, number | null>;

export const MEASURE_IDS = ['1.1', '1.2', '2.1', '3.1', '3.2', '4.1', '5.1', '5.2', '6.1', '6.2', '6.3'] as const;
export type MeasureId = (typeof MEASURE_IDS)[number];

type Counts = Record<CountName, number>;

export type MeasureDefinition = {
  id: MeasureId;
  group: GroupId;
  label: string;
  /** The counts the measure reads: any of them null and it has no data. */
  counts: readonly CountName[];
  /** The count that, at 0, makes the measure not applicable. */
  denominator: CountName;
  rate(counts: Counts): number;
};

const ratio = (numerator: CountName, denominator: CountName) => ({
  counts: [numerator, denominator] as const,
  denominator,
  rate: (c: Counts) => c[numerator] / c[denominator],
});

export const MEASURES: readonly MeasureDefinition[] = [
  { id: '1.1', group: 1, label: 'Tỷ lệ thủ tục hành chính được công bố, công khai đúng hạn', ...ratio('proceduresPublishedOnTime', 'proceduresEffective') },
  { id: '1.2', group: 1, label: 'Tỷ lệ hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia', ...ratio('dossiersSynced', 'dossiersReceived') },
  { id: '2.1', group: 2, label: 'Tỷ lệ hồ sơ giải quyết đúng hạn', ...ratio('dossiersHandledOnTime', 'dossiersHandled') },
  { id: '3.1', group: 3, label: 'Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình', ...ratio('proceduresFullyOnline', 'proceduresInForce') },
  { id: '3.2', group: 3, label: 'Tỷ lệ hồ sơ nộp trực tuyến', ...ratio('dossiersReceivedOnline', 'dossiersReceivedOnlineCapable') },
  { id: '4.1', group: 4, label: 'Tỷ lệ hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến', ...ratio('dossiersPaidOnline', 'dossiersWithFee') },
  { id: '5.1', group: 5, label: 'Tỷ lệ phản ánh, kiến nghị về thủ tục hành chính được xử lý đúng hạn', ...ratio('feedbackHandledOnTime', 'feedbackDue') },
  {
    id: '5.2',
    group: 5,
    label: 'Mức độ hài lòng: 100% − (tỷ lệ hồ sơ trễ hạn + tỷ lệ hồ sơ có phản ánh, kiến nghị)',
    counts: ['dossiersHandled', 'dossiersHandledOnTime', 'dossiersHandledWithComplaint'],
    denominator: 'dossiersHandled',
    // A late dossier with a complaint counts in both rates, as the formula says; never below 0.
    rate: (c) => Math.max(0, 1 - (c.dossiersHandled - c.dossiersHandledOnTime + c.dossiersHandledWithComplaint) / c.dossiersHandled),
  },
  { id: '6.1', group: 6, label: 'Tỷ lệ hồ sơ được cấp kết quả điện tử', ...ratio('resultsElectronic', 'resultsIssued') },
  { id: '6.2', group: 6, label: 'Tỷ lệ hồ sơ được số hóa', ...ratio('dossiersDigitised', 'dossiersReceived') },
  { id: '6.3', group: 6, label: 'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa', ...ratio('dossiersReusingData', 'dossiersReceived') },
];

/** A measure's share of its group's points and its full-marks threshold (a rate in (0, 1]). */
export type MeasureWeight = { points: number; threshold: number };
export type MeasureWeights = Record<MeasureId, MeasureWeight>;

/**
 * The locality's editable default. Thresholds from RULES.md (3.1 80%, 3.2 50%, 5.2 90%, group 6
 * 80% each), 100% elsewhere; points split evenly inside each group, since RULES.md gives only the
 * group's total.
 */
export const DEFAULT_MEASURE_WEIGHTS: MeasureWeights = {
  '1.1': { points: 9, threshold: 1 },
  '1.2': { points: 9, threshold: 1 },
  '2.1': { points: 20, threshold: 1 },
  '3.1': { points: 6, threshold: 0.8 },
  '3.2': { points: 6, threshold: 0.5 },
  '4.1': { points: 10, threshold: 1 },
  '5.1': { points: 9, threshold: 1 },
  '5.2': { points: 9, threshold: 0.9 },
  '6.1': { points: 22 / 3, threshold: 0.8 },
  '6.2': { points: 22 / 3, threshold: 0.8 },
  '6.3': { points: 22 / 3, threshold: 0.8 },
};

/** Throws a RangeError unless every threshold is in (0, 1] and each group's measures add up to its points. */
export function checkMeasureWeights(weights: MeasureWeights): void {
  for (const group of SCORECARD_GROUPS) {
    let sum = 0;
    for (const measure of MEASURES.filter((m) => m.group === group.id)) {
      const weight = weights[measure.id];
      if (!weight || !(weight.points >= 0) || !(weight.threshold > 0 && weight.threshold <= 1)) {
        throw new RangeError(`Invalid weight for measure ${measure.id}: expected points >= 0 and a threshold in (0, 1]`);
      }
      sum += weight.points;
    }
    if (Math.abs(sum - group.points) > 1e-9) {
      throw new RangeError(`The measures of group ${group.id} add up to ${sum} points, not ${group.points}`);
    }
  }
}

/** Full marks at the threshold, linear below it: min(points, rate × points ÷ threshold). */
export function measureScore(rate: number, weight: MeasureWeight): number {
  return Math.min(weight.points, (rate * weight.points) / weight.threshold);
}

export type MeasureStatus = 'scored' | 'no_data' | 'not_applicable';

export type MeasureResult = {
  id: MeasureId;
  label: string;
  status: MeasureStatus;
  /** The counts it read, as given (null: no data). */
  counts: Partial<Record<CountName, number | null>>;
  rate: number | null;
  points: number;
  threshold: number;
  /** null unless scored. */
  score: number | null;
};

export type GroupResult = {
  id: GroupId;
  label: string;
  points: number;
  /** Points of the measures that were scored. */
  available: number;
  /** Sum of the scored measures; null when none was scored. */
  score: number | null;
  measures: MeasureResult[];
};

export type Scorecard = {
  groups: GroupResult[];
  /** Sum of the scored measures. */
  earned: number;
  /** Points of the scored measures (100 when complete). */
  available: number;
  /** earned ÷ available × 100; null when nothing was scored. */
  outOf100: number | null;
  complete: boolean;
  /** Measures left out, with why. */
  unmeasured: { id: MeasureId; status: Exclude<MeasureStatus, 'scored'> }[];
};

export function scorecard766(counts: ScorecardCounts, weights: MeasureWeights = DEFAULT_MEASURE_WEIGHTS): Scorecard {
  checkMeasureWeights(weights);
  for (const name of COUNT_NAMES) {
    const value = counts[name];
    if (value !== null && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`Invalid count ${name} = ${value}: expected a whole number >= 0 or null (no data)`);
    }
  }

  const groups = SCORECARD_GROUPS.map((group): GroupResult => {
    const measures = MEASURES.filter((m) => m.group === group.id).map((m) => scoreOne(m, counts, weights[m.id]));
    const scored = measures.filter((m) => m.score !== null);
    return {
      id: group.id,
      label: group.label,
      points: group.points,
      available: sum(scored.map((m) => m.points)),
      score: scored.length ? sum(scored.map((m) => m.score as number)) : null,
      measures,
    };
  });

  const all = groups.flatMap((g) => g.measures);
  const earned = sum(all.map((m) => m.score ?? 0));
  const available = sum(all.filter((m) => m.score !== null).map((m) => m.points));
  const unmeasured = all.flatMap((m) => (m.status === 'scored' ? [] : [{ id: m.id, status: m.status }]));
  return {
    groups,
    earned,
    available,
    outOf100: available > 0 ? (earned / available) * 100 : null,
    complete: unmeasured.length === 0,
    unmeasured,
  };
}

function scoreOne(measure: MeasureDefinition, counts: ScorecardCounts, weight: MeasureWeight): MeasureResult {
  const read = Object.fromEntries(measure.counts.map((name) => [name, counts[name]]));
  const base = { id: measure.id, label: measure.label, counts: read, points: weight.points, threshold: weight.threshold };
  if (measure.counts.some((name) => counts[name] === null)) return { ...base, status: 'no_data', rate: null, score: null };
  if (counts[measure.denominator] === 0) return { ...base, status: 'not_applicable', rate: null, score: null };
  const rate = measure.rate(counts as Counts);
  return { ...base, status: 'scored', rate, score: measureScore(rate, weight) };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * Sibling units ranked by their score out of 100, rounded to two decimals as shown: best first,
 * equal scores share a rank and the next rank skips (1, 2, 2, 4); units with nothing scored come
 * last without a rank. Ties keep the order given.
 */
export function rankSiblings<T extends { scorecard: Scorecard }>(units: readonly T[]): (T & { rank: number | null })[] {
  const shown = (unit: T) => (unit.scorecard.outOf100 === null ? null : Math.round(unit.scorecard.outOf100 * 100) / 100);
  const sorted = [...units].sort((a, b) => (shown(b) ?? -1) - (shown(a) ?? -1));
  return sorted.map((unit, index) => {
    const score = shown(unit);
    if (score === null) return { ...unit, rank: null };
    const firstEqual = sorted.findIndex((other) => shown(other) === score);
    return { ...unit, rank: (firstEqual === -1 ? index : firstEqual) + 1 };
  });
}
