// Danh mục thủ tục hành chính: national code, name, level, the unit kinds that handle it, legal
// processing time, fee, online level, effective and publication dates. The locality's
// administrators create, edit, deactivate and reactivate them; nothing is deleted.
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT, formatDate } from '../../format';
import { type MessageKey, type Translate, useT } from '../../i18n';
import { DataTable } from '../../ui/DataTable';
import { useApiError } from '../../ui/errors';
import { FormModal } from '../../ui/FormModal';
import { PageHeader } from '../../ui/PageHeader';
import { rangeRule, required, requiredText } from '../../ui/rules';
import { DossiersNav, DrillDownBanner } from './common';
import { labelOr } from './labels';
import { ONLINE_LEVELS, type OnlineLevel, PROCEDURE_LEVELS, type Procedure, type ProcedureLevel, UNIT_KINDS, type UnitKind } from './types';

interface Values {
  code: string;
  name: string;
  level: ProcedureLevel;
  unitKinds: UnitKind[];
  processingDays: number | null;
  hasFee: boolean;
  online: OnlineLevel;
  effectiveOn: Dayjs | null;
  announcedOn: Dayjs | null;
  publishedOn: Dayjs | null;
}

const toDay = (date: string | null) => (date ? dayjs(date) : null);
const fromDay = (date: Dayjs | null | undefined) => (date ? date.format(API_DATE_FORMAT) : null);

function toValues(p: Procedure | null): Partial<Values> {
  if (!p) return { level: 'commune', unitKinds: ['commune'], hasFee: false, online: 'none', processingDays: null };
  return { ...p, effectiveOn: toDay(p.effectiveOn), announcedOn: toDay(p.announcedOn), publishedOn: toDay(p.publishedOn) };
}

function toBody(v: Values) {
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    level: v.level,
    unitKinds: v.unitKinds ?? [],
    processingDays: v.processingDays ?? null,
    hasFee: !!v.hasFee,
    online: v.online,
    effectiveOn: fromDay(v.effectiveOn),
    announcedOn: fromDay(v.announcedOn),
    publishedOn: fromDay(v.publishedOn),
  };
}

const levelLabel = (t: Translate, level: string) => t(`dos.proc.level.${level}` as MessageKey);

function ProcedureModal({ procedure, onClose, onSaved }: { procedure: Procedure | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const kindLabel = (kind: string) => t(`orgUnit.kind.${kind}` as MessageKey);
  const send = async (values: Values) => {
    if (procedure) await api.patch<Procedure>(`/dossiers/procedures/${procedure.id}`, toBody(values));
    else await api.post<Procedure>('/dossiers/procedures', toBody(values));
    onSaved();
    return t('common.saved');
  };
  return (
    <FormModal<Values>
      open
      title={procedure ? t('dos.proc.edit') : t('dos.proc.create')}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      send={send}
      initialValues={toValues(procedure)}
      width={640}
      formTestId="dos-procedure-form"
      okTestId="dos-procedure-save"
    >
      <Form.Item name="code" label={t('dos.proc.code')} rules={[...requiredText(t, 60), { pattern: /^[A-Za-z0-9_.-]+$/, message: t('validation.code') }]}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="name" label={t('dos.proc.name')} rules={requiredText(t, 1000)}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="level" label={t('dos.proc.level')} rules={[required(t)]}>
          <Select options={PROCEDURE_LEVELS.map((value) => ({ value, label: levelLabel(t, value) }))} className="filter-select" />
        </Form.Item>
        <Form.Item name="unitKinds" label={t('dos.proc.unitKinds')}>
          <Select mode="multiple" options={UNIT_KINDS.map((value) => ({ value, label: kindLabel(value) }))} className="filter-select-wide" />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="processingDays" label={t('dos.proc.processingDays')} extra={t('dos.proc.processingDaysHint')} rules={[rangeRule(t, 0, 365)]}>
          <InputNumber min={0} max={365} precision={0} />
        </Form.Item>
        <Form.Item name="online" label={t('dos.proc.online')} rules={[required(t)]}>
          <Select options={ONLINE_LEVELS.map((value) => ({ value, label: t(`dos.online.${value}` as MessageKey) }))} className="filter-select-wide" />
        </Form.Item>
        <Form.Item name="hasFee" label={t('dos.proc.hasFee')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="effectiveOn" label={t('dos.proc.effectiveOn')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item name="announcedOn" label={t('dos.proc.announcedOn')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item name="publishedOn" label={t('dos.proc.publishedOn')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

/** The query of a scorecard count's drill-down (procedureDrillDownPath), when the page was opened from one. */
const DRILL_DOWN_KEYS = ['scorecardCount', 'unitId', 'period', 'year', 'index', 'from', 'to'] as const;

export default function ProceduresPage() {
  const t = useT();
  const [search, setSearch] = useSearchParams();
  const count = search.get('scorecardCount');
  const drillDown = count ? Object.fromEntries(DRILL_DOWN_KEYS.flatMap((key) => (search.get(key) ? [[key, search.get(key) as string]] : []))) : undefined;
  const { message } = App.useApp();
  const showError = useApiError();
  const [editing, setEditing] = useState<Procedure | null | undefined>(undefined);
  const [reloadKey, setReloadKey] = useState(0);

  const setActive = async (p: Procedure, active: boolean) => {
    try {
      await api.post<Procedure>(`/dossiers/procedures/${p.id}/${active ? 'activate' : 'deactivate'}`);
      message.success(t('common.saved'));
      setReloadKey((k) => k + 1);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <div>
      <DossiersNav />
      <PageHeader title={t('dos.nav.procedures')} subtitle={t('dos.proc.subtitle')} />
      {count && (
        <DrillDownBanner
          conditions={[labelOr(t, `dos.count.${count}`, count), ...(drillDown?.from && drillDown.to ? [`${formatDate(drillDown.from)} – ${formatDate(drillDown.to)}`] : [])]}
          onClear={() => setSearch({}, { replace: true })}
          testId="dos-procedures-drilldown"
          t={t}
        />
      )}
      <DataTable<Procedure>
        path="/dossiers/procedures"
        rowKey="id"
        testId="dos-procedures"
        params={drillDown}
        reloadKey={reloadKey}
        defaultSort="code"
        searchPlaceholder={t('dos.proc.search')}
        toolbar={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="dos-procedure-add">
            {t('common.add')}
          </Button>
        }
        columns={[
          { title: t('dos.proc.code'), dataIndex: 'code', key: 'code', sorter: true, defaultSortOrder: 'ascend' },
          { title: t('dos.proc.name'), dataIndex: 'name', key: 'name', sorter: true, render: (name: string) => <div className="dos-cell-text">{name}</div> },
          {
            title: t('dos.proc.level'),
            dataIndex: 'level',
            key: 'level',
            sorter: true,
            filters: PROCEDURE_LEVELS.map((value) => ({ text: levelLabel(t, value), value })),
            filterMultiple: false,
            render: (level: string) => levelLabel(t, level),
          },
          {
            title: t('dos.proc.days'),
            dataIndex: 'processingDays',
            key: 'processingDays',
            sorter: true,
            align: 'right',
            render: (days: number | null) => (days === null ? '' : days === 0 ? t('dos.processingDaysSameDay') : t('dos.processingDays', { n: days })),
          },
          { title: t('dos.proc.hasFee'), dataIndex: 'hasFee', key: 'hasFee', render: (fee: boolean) => (fee ? t('dos.yes') : t('dos.no')) },
          {
            title: t('dos.proc.online'),
            dataIndex: 'online',
            key: 'online',
            filters: ONLINE_LEVELS.map((value) => ({ text: t(`dos.online.${value}` as MessageKey), value })),
            filterMultiple: false,
            render: (online: OnlineLevel) => t(`dos.online.${online}` as MessageKey),
          },
          { title: t('dos.proc.effectiveOn'), dataIndex: 'effectiveOn', key: 'effectiveOn', sorter: true, render: formatDate },
          {
            title: t('common.status'),
            dataIndex: 'active',
            key: 'active',
            filters: [
              { text: t('common.active'), value: 'true' },
              { text: t('common.inactive'), value: 'false' },
            ],
            filterMultiple: false,
            render: (active: boolean) => (active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
          },
          {
            title: '',
            key: 'actions',
            render: (_, p) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid={`dos-procedure-edit-${p.code}`}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={p.active ? t('dos.proc.deactivateConfirm') : t('dos.proc.activateConfirm')} onConfirm={() => setActive(p, !p.active)}>
                  <Button size="small" danger={p.active}>
                    {p.active ? t('dos.deactivate') : t('dos.activate')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing !== undefined && (
        <ProcedureModal
          key={editing?.id ?? 'new'}
          procedure={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </div>
  );
}
