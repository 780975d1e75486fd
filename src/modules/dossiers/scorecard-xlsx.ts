// The scorecard, the ranking and the trend as .xlsx sheets (one table each, as the screens show them).

import { vietnamTimeText } from '../../platform/calendar/businessTime.js';
import { toXlsx } from '../../platform/http/xlsx.js';
import type { Ranking, RankingRow, Scorecard, Trend, TrendMonth } from './report-schemas.js';
import { SCORECARD_GROUPS } from './rules/scorecard766.js';

const STATUS_NOTES = { scored: '', no_data: 'Không có dữ liệu', not_applicable: 'Không áp dụng (mẫu số bằng 0)' } as const;

interface ScorecardLine {
  group: string;
  id: string;
  label: string;
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
  threshold: number | null;
  points: number;
  score: number | null;
  note: string;
}

/** One line per measure, a line per group's total and the scorecard's total. */
export function scorecardXlsx(card: Scorecard): Promise<Buffer> {
  const lines: ScorecardLine[] = [];
  for (const g of card.groups) {
    for (const m of g.measures) {
      const value = (name: string | null) => (name === null ? null : (m.counts.find((c) => c.name === name)?.value ?? null));
      lines.push({
        group: `${g.id}. ${g.label}`,
        id: m.id,
        label: m.label,
        numerator: value(m.numerator),
        denominator: value(m.denominator),
        rate: m.rate,
        threshold: m.threshold,
        points: m.points,
        score: m.score,
        note: STATUS_NOTES[m.status],
      });
    }
    lines.push({
      group: `${g.id}. ${g.label}`,
      id: '',
      label: `Cộng nhóm ${g.id}`,
      numerator: null,
      denominator: null,
      rate: null,
      threshold: null,
      points: g.points,
      score: g.score,
      note: g.available < g.points ? `Tính trên ${round(g.available)} điểm có dữ liệu` : '',
    });
  }
  lines.push({
    group: 'Tổng',
    id: '',
    label: `Tổng điểm (${card.unit.name}, ${card.period.label}${card.period.asOf < card.period.end ? `, tính đến ${vietnamTimeText(card.period.asOf)}` : ''})`,
    numerator: null,
    denominator: null,
    rate: null,
    threshold: null,
    points: 100,
    score: card.earned,
    note: card.complete ? '' : `Đạt ${card.outOf100 === null ? '—' : round(card.outOf100)}/100, tính trên ${round(card.available)} điểm có dữ liệu`,
  });
  return toXlsx('Bộ chỉ số 766', [
    { header: 'Nhóm', value: (x: ScorecardLine) => x.group, width: 30 },
    { header: 'Mã', value: (x) => x.id, width: 6 },
    { header: 'Chỉ số', value: (x) => x.label, width: 60 },
    { header: 'Tử số', value: (x) => x.numerator, format: '#,##0' },
    { header: 'Mẫu số', value: (x) => x.denominator, format: '#,##0' },
    { header: 'Tỷ lệ', value: (x) => x.rate, format: '0.00%', width: 10 },
    { header: 'Ngưỡng tối đa', value: (x) => x.threshold, format: '0%', width: 10 },
    { header: 'Điểm tối đa', value: (x) => x.points, format: '0.00', width: 10 },
    { header: 'Điểm đạt', value: (x) => x.score, format: '0.00', width: 10 },
    { header: 'Ghi chú', value: (x) => x.note, width: 40 },
  ], lines);
}

const round = (n: number) => Math.round(n * 100) / 100;

const groupColumns = <T extends { groups: { id: number; score: number | null }[] }>() =>
  SCORECARD_GROUPS.map((g) => ({
    header: `Nhóm ${g.id} (${g.points} điểm)`,
    value: (x: T) => x.groups.find((s) => s.id === g.id)?.score ?? null,
    format: '0.00',
    width: 12,
  }));

export function rankingXlsx(ranking: Ranking): Promise<Buffer> {
  return toXlsx('Xếp hạng 766', [
    { header: 'Hạng', value: (x: RankingRow) => x.rank, width: 6 },
    { header: 'Mã đơn vị', value: (x) => x.unit.code, width: 14 },
    { header: 'Đơn vị', value: (x) => x.unit.name, width: 36 },
    { header: 'Điểm (thang 100)', value: (x) => x.outOf100, format: '0.00', width: 12 },
    { header: 'Điểm đạt', value: (x) => x.earned, format: '0.00', width: 10 },
    { header: 'Điểm có dữ liệu', value: (x) => x.available, format: '0.00', width: 12 },
    { header: 'Đủ dữ liệu', value: (x) => (x.complete ? 'Có' : 'Không'), width: 10 },
    ...groupColumns<RankingRow>(),
  ], ranking.items);
}

export function trendXlsx(trend: Trend): Promise<Buffer> {
  return toXlsx('Diễn biến theo tháng', [
    { header: 'Tháng', value: (x: TrendMonth) => `${x.month.slice(5)}/${x.month.slice(0, 4)}`, width: 10 },
    { header: 'Điểm (thang 100)', value: (x) => x.outOf100, format: '0.00', width: 12 },
    { header: 'Điểm đạt', value: (x) => x.earned, format: '0.00', width: 10 },
    { header: 'Điểm có dữ liệu', value: (x) => x.available, format: '0.00', width: 12 },
    ...groupColumns<TrendMonth>(),
  ], trend.months);
}
