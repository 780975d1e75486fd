// Two small charts drawn by hand (the web app has no chart library): the total by month as SVG
// bars, and each group's points as CSS bars. A month or a group with nothing measured says so.
import { Tooltip } from 'antd';
import type { KeyboardEvent } from 'react';
import { formatNumber } from '../../format';
import { useT } from '../../i18n';
import { formatPoints, labelOr } from './labels';
import type { Group, TrendMonth } from './types';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 24, right: 8, bottom: 28, left: 34 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

/** The scorecard total (out of 100) of each month of a year; a click picks the month. */
export function TrendChart({ months, year, selected, onSelect }: { months: TrendMonth[]; year: number; selected?: string; onSelect?: (month: number) => void }) {
  const t = useT();
  const slot = PLOT_W / 12;
  const barWidth = Math.min(36, slot * 0.62);
  const y = (value: number) => PAD.top + PLOT_H - (value / 100) * PLOT_H;
  const byMonth = new Map(months.map((m) => [Number(m.month.slice(5, 7)), m]));
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="dos-trend"
      role="img"
      aria-label={t('dos.overview.trend', { year })}
      data-testid="dos-trend"
    >
      {[0, 25, 50, 75, 100].map((tick) => (
        <g key={tick}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="dos-trend-grid" />
          <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="dos-trend-axis">
            {tick}
          </text>
        </g>
      ))}
      {Array.from({ length: 12 }, (_, i) => {
        const month = i + 1;
        const entry = byMonth.get(month);
        const cx = PAD.left + slot * i + slot / 2;
        const key = `${year}-${String(month).padStart(2, '0')}`;
        const value = entry?.outOf100 ?? null;
        const title =
          entry === undefined
            ? ''
            : value === null
              ? `${String(month).padStart(2, '0')}/${year}: ${t('dos.noData')}`
              : `${String(month).padStart(2, '0')}/${year}: ${formatPoints(value)} / 100`;
        return (
          <g
            key={month}
            className={`dos-trend-month${onSelect && entry ? ' dos-trend-clickable' : ''}${selected === key ? ' dos-trend-selected' : ''}`}
            {...(entry && onSelect
              ? {
                  role: 'button',
                  tabIndex: 0,
                  onClick: () => onSelect(month),
                  onKeyDown: (event: KeyboardEvent) => (event.key === 'Enter' || event.key === ' ') && onSelect(month),
                }
              : {})}
            data-testid={entry ? `dos-trend-${key}` : undefined}
            data-value={value ?? ''}
          >
            {title && <title>{title}</title>}
            {entry && value !== null && (
              <>
                <rect x={cx - barWidth / 2} y={y(value)} width={barWidth} height={Math.max(1, y(0) - y(value))} rx={3} className="dos-trend-bar" />
                <text x={cx} y={y(value) - 5} textAnchor="middle" className="dos-trend-value">
                  {formatNumber(Math.round(value))}
                </text>
              </>
            )}
            {entry && value === null && (
              <>
                <rect x={cx - barWidth / 2} y={y(100)} width={barWidth} height={PLOT_H} rx={3} className="dos-trend-empty" />
                <text x={cx} y={y(50)} textAnchor="middle" className="dos-trend-axis">
                  —
                </text>
              </>
            )}
            <text x={cx} y={HEIGHT - 8} textAnchor="middle" className="dos-trend-axis">
              {String(month).padStart(2, '0')}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Each group's points: the bar is the group's share of the 100 points, filled by what it earned;
 * the part of it whose measures have no data is hatched, not counted as lost.
 */
export function GroupBars({ groups }: { groups: Group[] }) {
  const t = useT();
  return (
    <div className="dos-groups" data-testid="dos-groups">
      {groups.map((group) => {
        const earned = group.score ?? 0;
        const unmeasured = group.points - group.available;
        return (
          <div key={group.id} className="dos-group" data-testid={`dos-group-${group.id}`}>
            <div className="dos-group-head">
              <span>
                {group.id}. {labelOr(t, `dos.group.${group.id}`, group.label)}
              </span>
              <strong>
                {group.score === null ? (
                  <span className="muted">{t('dos.noData')}</span>
                ) : (
                  t('dos.pointsOf', { score: formatPoints(group.score), points: formatPoints(group.available) })
                )}
              </strong>
            </div>
            <Tooltip
              title={
                unmeasured > 0
                  ? `${t('dos.pointsOf', { score: formatPoints(earned), points: formatPoints(group.points) })} · ${t('dos.noData')}: ${formatPoints(unmeasured)}`
                  : t('dos.pointsOf', { score: formatPoints(earned), points: formatPoints(group.points) })
              }
            >
              <div className="dos-group-track">
                <div className="dos-group-fill" style={{ width: `${(earned / group.points) * 100}%` }} />
                {unmeasured > 0 && <div className="dos-group-unmeasured" style={{ width: `${(unmeasured / group.points) * 100}%` }} />}
              </div>
            </Tooltip>
          </div>
        );
      })}
    </div>
  );
}
