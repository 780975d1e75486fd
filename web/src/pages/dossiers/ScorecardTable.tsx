// The Decision 766 scorecard measure by measure: numerator, denominator, rate, full-marks threshold
// and points. Every count links to what it counts: the dossiers behind it, or the procedures.
import { Table, Tag, Tooltip } from 'antd';
import { Link } from 'react-router-dom';
import { formatNumber } from '../../format';
import { type Translate, useT } from '../../i18n';
import { drillDownPath, procedureDrillDownPath } from './common';
import { formatPoints, formatRate, labelOr } from './labels';
import type { CountValue, Group, Measure } from './types';

/** A count: its number as a link to its dossiers, "no data" when it has none, and its unknowns. */
export function CountLink({ count, testId, t }: { count: CountValue; testId: string; t: Translate }) {
  const unknown = !!count.unknown && count.unknownList && (
    <Link to={drillDownPath(count.unknownList)} className="dos-count-unknown" data-testid={`${testId}-unknown`}>
      ({t('dos.unknown', { n: formatNumber(count.unknown) })})
    </Link>
  );
  if (count.value === null) {
    return (
      <span className="dos-count">
        <Tag data-testid={testId} data-value="">
          {t('dos.noData')}
        </Tag>
        {unknown}
      </span>
    );
  }
  const text = formatNumber(count.value);
  const to = count.list ? drillDownPath(count.list) : count.procedures ? procedureDrillDownPath(count.procedures) : null;
  return (
    <span className="dos-count">
      {to ? (
        <Link to={to} data-testid={testId} data-value={count.value}>
          {text}
        </Link>
      ) : (
        <span data-testid={testId} data-value={count.value}>
          {text}
        </span>
      )}
      {unknown}
    </span>
  );
}

type Row = { key: string; group: Group; measure: null } | { key: string; group: Group; measure: Measure };

/** A group's own row spans the table; its measures follow. */
const groupSpan = (row: Row, columns: number) => ({ colSpan: row.measure ? 1 : columns });
const inMeasureRow = (row: Row) => ({ colSpan: row.measure ? 1 : 0 });

function CountCell({ measure, counts, t }: { measure: Measure; counts: CountValue[]; t: Translate }) {
  return (
    <div className="dos-count-cell">
      {counts.map((count) => (
        <div key={count.name}>
          <CountLink count={count} t={t} testId={`dos-count-${measure.id}-${count.name}`} />
          <div className="muted dos-count-label">{labelOr(t, `dos.count.${count.name}`, count.label)}</div>
        </div>
      ))}
    </div>
  );
}

function PointsCell({ measure, t }: { measure: Measure; t: Translate }) {
  if (measure.status === 'scored') {
    return <span data-testid={`dos-points-${measure.id}`}>{t('dos.pointsOf', { score: formatPoints(measure.score), points: formatPoints(measure.points) })}</span>;
  }
  const label = measure.status === 'no_data' ? t('dos.noData') : t('dos.notApplicable');
  return (
    <Tooltip title={t('dos.pointsOf', { score: '—', points: formatPoints(measure.points) })}>
      <Tag color={measure.status === 'no_data' ? 'warning' : 'default'} data-testid={`dos-points-${measure.id}`} data-status={measure.status}>
        {label}
      </Tag>
    </Tooltip>
  );
}

export function ScorecardTable({ groups }: { groups: Group[] }) {
  const t = useT();
  const rows: Row[] = groups.flatMap((group): Row[] => [
    { key: `group-${group.id}`, group, measure: null },
    ...group.measures.map((measure) => ({ key: measure.id, group, measure })),
  ]);
  const numeratorCounts = (m: Measure) => m.counts.filter((c) => c.name !== m.denominator);
  const denominatorCount = (m: Measure) => m.counts.filter((c) => c.name === m.denominator);
  const COLUMNS = 6;
  return (
    <Table<Row>
      className="dos-scorecard"
      size="small"
      bordered
      pagination={false}
      dataSource={rows}
      rowClassName={(row) => (row.measure ? '' : 'dos-group-row')}
      scroll={{ x: 'max-content' }}
      data-testid="dos-scorecard"
      columns={[
        {
          title: t('dos.measure'),
          key: 'measure',
          onCell: (row) => groupSpan(row, COLUMNS),
          render: (_, row) =>
            row.measure ? (
              <div className="dos-measure-cell">
                <strong>{row.measure.id}</strong> {labelOr(t, `dos.m.${row.measure.id}`, row.measure.label)}
              </div>
            ) : (
              <div className="dos-group-cell" data-testid={`dos-group-row-${row.group.id}`}>
                <strong>
                  {row.group.id}. {labelOr(t, `dos.group.${row.group.id}`, row.group.label)}
                </strong>
                <span className="muted">
                  {' · '}
                  {row.group.score === null
                    ? t('dos.noData')
                    : t('dos.pointsOf', { score: formatPoints(row.group.score), points: formatPoints(row.group.available) })}
                  {row.group.available < row.group.points && ` (${t('dos.overview.groupPoints', { points: formatPoints(row.group.points) })})`}
                </span>
              </div>
            ),
        },
        {
          title: t('dos.numerator'),
          key: 'numerator',
          onCell: inMeasureRow,
          render: (_, row) => row.measure && <CountCell measure={row.measure} counts={numeratorCounts(row.measure)} t={t} />,
        },
        {
          title: t('dos.denominator'),
          key: 'denominator',
          onCell: inMeasureRow,
          render: (_, row) => row.measure && <CountCell measure={row.measure} counts={denominatorCount(row.measure)} t={t} />,
        },
        {
          title: t('dos.rate'),
          key: 'rate',
          align: 'right',
          onCell: inMeasureRow,
          render: (_, row) => row.measure && <span data-testid={`dos-rate-${row.measure.id}`}>{formatRate(row.measure.rate)}</span>,
        },
        {
          title: <Tooltip title={t('dos.threshold')}>{t('dos.thresholdShort')}</Tooltip>,
          key: 'threshold',
          align: 'right',
          onCell: inMeasureRow,
          render: (_, row) => row.measure && formatRate(row.measure.threshold),
        },
        {
          title: t('dos.points'),
          key: 'points',
          align: 'right',
          onCell: inMeasureRow,
          render: (_, row) => row.measure && <PointsCell measure={row.measure} t={t} />,
        },
      ]}
    />
  );
}
