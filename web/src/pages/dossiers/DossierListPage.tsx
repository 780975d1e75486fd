// The dossier lists: overdue dossiers, dossiers due within 2 working days (with their handlers), and
// the general list whose filters live in the address, so that a scorecard number links to its
// dossiers (every drill-down condition is shown, and can be cleared).
import { Select, Tag } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import type { QueryParams } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { type MessageKey, type Translate, useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { DataTable } from '../../ui/DataTable';
import { DateFilter, DateRangeFilter, listParam, MultiSelectFilter, useSearchSetter } from '../../ui/filters';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { DossiersNav, DrillDownBanner } from './common';
import { channelLabel, daysLeftText, StatusTag, statusLabel, TimelinessTag, timelinessLabel } from './labels';
import { ProcedurePicker } from './ProcedurePicker';
import { DOSSIER_CHANNELS, type DossierChannel, type DossierListItem, type DossierStatus, LISTED_TIMELINESS, type Timeliness } from './types';

export type ListView = 'overdue' | 'due-soon' | 'all';

/** Working days ahead that make a dossier "due soon" (the "due within 2 working days"). */
export const DUE_SOON_DAYS = 2;

/** The filters the general list edits itself; any other condition came from a drill-down. */
const EDITED = new Set(['unitId', 'procedureId', 'channel', 'timeliness', 'asOf', 'from', 'to', 'q']);
const FLAG_LABELS: Record<string, MessageKey> = {
  onlineCapable: 'dos.onlineCapable',
  fee: 'dos.fee',
  paidOnline: 'dos.paidOnline',
  complaint: 'dos.complaint',
  synced: 'dos.synced',
  digitised: 'dos.digitised',
  electronicResult: 'dos.electronicResult',
  reusedData: 'dos.reusedData',
};

/** A drill-down condition in words, e.g. "Đã số hóa: chưa rõ". */
function conditionText(t: Translate, key: string, value: string, search: URLSearchParams): string | null {
  if (key === 'basis') {
    // Received in the period is what the range picker shows already.
    if (value === 'received') return null;
    const from = search.get('from');
    const to = search.get('to');
    const basis = t(`dos.list.basis.${value}` as MessageKey);
    return from && to ? t('dos.list.period', { basis, from: formatDate(from), to: formatDate(to) }) : basis;
  }
  if (key === 'status') return `${t('dos.status')}: ${value.split(',').map((s) => statusLabel(t, s as DossierStatus)).join(', ')}`;
  if (key === 'dueWithin') return t('dos.list.dueSoonHint', { days: value });
  const label = FLAG_LABELS[key];
  if (!label) return null;
  const answer = value === 'true' ? t('dos.yes') : value === 'false' ? t('dos.no') : t('dos.list.unknownValue');
  return `${t(label)}: ${answer}`;
}

function useColumns(view: ListView) {
  const t = useT();
  return [
    {
      title: t('dos.code'),
      dataIndex: 'code',
      key: 'code',
      sorter: true,
      fixed: 'left' as const,
      render: (code: string, row: DossierListItem) => (
        <Link to={`/dossiers/${row.id}`} data-testid={`dos-row-${code}`}>
          {code}
        </Link>
      ),
    },
    {
      title: t('dos.procedure'),
      key: 'procedure',
      render: (_: unknown, row: DossierListItem) => (
        <div className="dos-cell-text">
          {row.procedureName}
          <div className="muted">{row.procedureCode}</div>
        </div>
      ),
    },
    { title: t('dos.receivingUnit'), dataIndex: 'unitName', key: 'unitName' },
    {
      title: t('dos.handler'),
      dataIndex: 'handler',
      key: 'handler',
      render: (handler: string | null) => <span data-testid="dos-handler">{handler ?? ''}</span>,
    },
    {
      title: t('dos.dueOn'),
      dataIndex: 'dueOn',
      key: 'dueOn',
      sorter: true,
      defaultSortOrder: view === 'due-soon' ? ('ascend' as const) : undefined,
      render: formatDate,
    },
    ...(view === 'overdue'
      ? [
          {
            title: t('dos.overdueFrom'),
            dataIndex: 'overdueFrom',
            key: 'overdueFrom',
            sorter: true,
            defaultSortOrder: 'ascend' as const,
            render: formatDateTime,
          },
        ]
      : []),
    {
      title: t('dos.daysLeft'),
      dataIndex: 'workingDaysLeft',
      key: 'workingDaysLeft',
      render: (days: number | null, row: DossierListItem) =>
        row.waitingForCitizen ? <Tag color="gold">{t('dos.waitingForCitizen')}</Tag> : <span className={days !== null && days < 0 ? 'dos-late-text' : undefined}>{daysLeftText(t, days)}</span>,
    },
    {
      title: t('dos.status'),
      dataIndex: 'status',
      key: 'statusAt',
      sorter: true,
      render: (status: DossierStatus) => <StatusTag status={status} t={t} />,
    },
    {
      title: t('dos.tl'),
      dataIndex: 'timeliness',
      key: 'timeliness',
      render: (value: Timeliness) => <TimelinessTag value={value} t={t} />,
    },
    { title: t('dos.channel'), dataIndex: 'channel', key: 'channel', render: (channel: DossierChannel) => channelLabel(t, channel) },
    {
      title: t('dos.receivedAt'),
      dataIndex: 'receivedAt',
      key: 'receivedAt',
      sorter: true,
      defaultSortOrder: view === 'all' ? ('descend' as const) : undefined,
      render: formatDateTime,
    },
  ];
}

const TITLES: Record<ListView, [MessageKey, MessageKey]> = {
  overdue: ['dos.list.overdue', 'dos.list.overdueHint'],
  'due-soon': ['dos.list.dueSoon', 'dos.list.dueSoonHint'],
  all: ['dos.list.all', 'dos.list.allHint'],
};

export default function DossierListPage({ view }: { view: ListView }) {
  const t = useT();
  const { filterUnitId } = useOrgUnits();
  const { search, set } = useSearchSetter();
  const columns = useColumns(view);

  const unitParam = Number(search.get('unitId')) || null;
  const unitId = unitParam ?? filterUnitId;
  const params = useMemo<QueryParams>(() => {
    const fromAddress = Object.fromEntries([...search.entries()].filter(([key]) => key !== 'unitId'));
    const base: QueryParams = { ...fromAddress, unitId: unitId ?? undefined };
    if (view === 'overdue') return { ...base, timeliness: 'in_process_overdue' };
    if (view === 'due-soon') return { ...base, dueWithin: DUE_SOON_DAYS };
    return base;
  }, [search, unitId, view]);

  const drillDown = view === 'all' ? [...search.entries()].filter(([key]) => !EDITED.has(key)) : [];
  const conditions = drillDown.map(([key, value]) => conditionText(t, key, value, search)).filter((c): c is string => c !== null);
  const [title, hint] = TITLES[view];
  const timeliness = listParam(search.get('timeliness')) as Timeliness[];
  const asOf = search.get('asOf');
  const from = search.get('from');
  const to = search.get('to');

  return (
    <div>
      <DossiersNav />
      <PageHeader title={t(title)} subtitle={t(hint, { days: DUE_SOON_DAYS })} />
      {conditions.length > 0 && (
        <DrillDownBanner conditions={conditions} onClear={() => set(Object.fromEntries(drillDown.map(([key]) => [key, null])))} testId="dos-list-drilldown" t={t} />
      )}
      <DataTable<DossierListItem>
        key={view}
        path="/dossiers"
        rowKey="id"
        testId={`dos-list-${view}`}
        params={params}
        defaultSort={view === 'overdue' ? 'overdueFrom' : view === 'due-soon' ? 'dueOn' : '-receivedAt'}
        searchPlaceholder={t('dos.list.search')}
        columns={columns}
        filters={
          <>
            <OrgUnitPicker
              allowClear
              value={unitId}
              onChange={(id) => set({ unitId: id })}
              placeholder={t('dos.unit')}
              className="filter-select-wide"
              testId="dos-list-unit"
            />
            {view === 'all' && (
              <>
                <ProcedurePicker value={Number(search.get('procedureId')) || undefined} onChange={(id) => set({ procedureId: id })} />
                <Select<DossierChannel>
                  allowClear
                  placeholder={t('dos.channel')}
                  value={(search.get('channel') as DossierChannel | null) ?? undefined}
                  onChange={(channel) => set({ channel })}
                  options={DOSSIER_CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) }))}
                  className="filter-select"
                  data-testid="dos-list-channel"
                />
                <MultiSelectFilter<Timeliness>
                  placeholder={t('dos.tl')}
                  value={timeliness}
                  options={LISTED_TIMELINESS}
                  label={(value) => timelinessLabel(t, value)}
                  onChange={(values) => set({ timeliness: values.join(',') })}
                  testId="dos-list-timeliness"
                />
                <DateFilter placeholder={t('dos.list.asOf')} value={asOf} onChange={(date) => set({ asOf: date })} testId="dos-list-asof" />
                <DateRangeFilter
                  from={from}
                  to={to}
                  placeholder={[t('dos.list.receivedFrom'), t('dos.list.receivedTo')]}
                  onChange={(start, end) => set({ from: start, to: end })}
                  testId="dos-list-received"
                />
              </>
            )}
          </>
        }
      />
    </div>
  );
}
