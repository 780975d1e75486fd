// Nhật ký: who changed what, when, with before/after; filtered by user, unit, module, dates.
import { AutoComplete, DatePicker, Select, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT, formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { AuditEntry, ListResponse, User } from '../../types';
import { DataTable } from '../../ui/DataTable';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { AuditDiff } from './AuditDiff';

// The module names the platform and the modules write; free text is accepted too.
const KNOWN_MODULES = [
  'auth',
  'orgunits',
  'users',
  'apikeys',
  'calendar',
  'feedback',
  'dossiers',
  'tasks',
  'projects',
  'indicators',
  'documents',
  'operations',
  'listening',
  'meetings',
  'cadres',
  'reports',
];

function UserFilter({ value, onChange }: { value?: number; onChange: (id?: number) => void }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<ListResponse<User>>('/users', { q: search, pageSize: 20, sort: 'username' }, controller.signal)
        .then((result) =>
          setOptions(result.items.map((u) => ({ value: u.id, label: `${u.username} — ${u.fullName}` }))),
        )
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search]);

  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t('audit.filterUser')}
      options={options}
      value={value}
      onChange={(id) => onChange(id ?? undefined)}
      className="filter-select-wide"
      data-testid="audit-filter-user"
    />
  );
}

export default function AuditPage() {
  const t = useT();
  const { filterUnitId } = useOrgUnits();
  const [userId, setUserId] = useState<number | undefined>();
  const [unitId, setUnitId] = useState<number | null>(null);
  const [module, setModule] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);

  const params = useMemo(
    () => ({
      userId,
      orgUnitId: unitId ?? filterUnitId,
      module: module.trim(),
      from: range?.[0]?.format(API_DATE_FORMAT),
      to: range?.[1]?.format(API_DATE_FORMAT),
    }),
    [userId, unitId, filterUnitId, module, range],
  );

  return (
    <div>
      <PageHeader title={t('admin.audit')} subtitle={t('audit.subtitle')} />
      <DataTable<AuditEntry>
        path="/audit"
        rowKey="id"
        testId="audit-table"
        params={params}
        defaultSort="-at"
        searchPlaceholder={t('audit.searchPlaceholder')}
        filters={
          <>
            <UserFilter value={userId} onChange={setUserId} />
            <OrgUnitPicker
              allowClear
              value={unitId}
              onChange={setUnitId}
              placeholder={t('audit.filterUnit')}
              className="filter-select-wide"
              testId="audit-filter-unit"
            />
            <AutoComplete
              allowClear
              value={module}
              onChange={(value) => setModule(value ?? '')}
              options={KNOWN_MODULES.map((name) => ({ value: name }))}
              placeholder={t('audit.filterModule')}
              className="filter-select"
              data-testid="audit-filter-module"
              showSearch={{
                filterOption: (input, option) => String(option?.value ?? '').includes(input.toLowerCase()),
              }}
            />
            <DatePicker.RangePicker
              format={DATE_FORMAT}
              value={range}
              onChange={(value) => setRange(value)}
              placeholder={[t('audit.from'), t('audit.to')]}
              data-testid="audit-filter-dates"
            />
          </>
        }
        expandable={{
          expandedRowRender: (entry) => <AuditDiff entry={entry} />,
          rowExpandable: (entry) => entry.before !== null || entry.after !== null,
        }}
        columns={[
          {
            title: t('audit.at'),
            dataIndex: 'at',
            key: 'at',
            sorter: true,
            defaultSortOrder: 'descend',
            render: formatDateTime,
          },
          {
            title: t('audit.user'),
            dataIndex: 'username',
            key: 'username',
            sorter: true,
            render: (name: string | null) => name ?? <span className="muted">{t('audit.system')}</span>,
          },
          { title: t('audit.module'), dataIndex: 'module', key: 'module', sorter: true, render: (m: string) => <Tag>{m}</Tag> },
          { title: t('audit.action'), dataIndex: 'action', key: 'action', sorter: true },
          {
            title: t('audit.entity'),
            key: 'entity',
            render: (_, entry) => (
              <span>
                {entry.entityType}
                {entry.entityId !== null && <span className="muted"> #{entry.entityId}</span>}
              </span>
            ),
          },
          { title: t('audit.unit'), dataIndex: 'orgUnitName', key: 'orgUnitName' },
          { title: t('audit.ip'), dataIndex: 'ip', key: 'ip' },
        ]}
      />
    </div>
  );
}
