// The units' lists for a year: those of the user's units, and those waiting for the user to approve
// or return them (the lists of the units right below). A leader or operator opens a new list here.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Segmented, Select, Table } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { useApiError } from '../../ui/errors';
import { useSearchSetter } from '../../ui/filters';
import { FormModal } from '../../ui/FormModal';
import { PageHeader } from '../../ui/PageHeader';
import { BreakthroughNav } from './BreakthroughRoutes';
import { ListStatusTag, YearPicker } from './labels';
import type { Registration, RegistrationSummary } from './types';

/** The units whose lists the user may open and edit: their leader's or operator's grants (as the server checks). */
function useEditorUnits(): { id: number; name: string }[] {
  const { user } = useAuth();
  const units = new Map<number, string>();
  for (const grant of user?.grants ?? []) if (grant.role === 'leader' || grant.role === 'operator') units.set(grant.orgUnitId, grant.orgUnitName);
  return [...units].map(([id, name]) => ({ id, name }));
}

export default function ListsPage() {
  const t = useT();
  const navigate = useNavigate();
  const showError = useApiError();
  const editorUnits = useEditorUnits();
  const { search, set } = useSearchSetter();
  const year = Number(search.get('year')) || new Date().getFullYear();
  const toReview = search.get('view') === 'review';
  const [rows, setRows] = useState<RegistrationSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ unitId: number; year: number }>();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<{ items: RegistrationSummary[] }>('/breakthrough/registrations', toReview ? { toReview: true } : { year }, controller.signal)
      .then((result) => setRows(result.items))
      .catch((error) => {
        if (!controller.signal.aborted) showError(error);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [year, toReview, showError]);

  const create = async (values: { unitId: number; year: number }) => {
    const list = await api.post<Registration>('/breakthrough/registrations', values);
    setCreating(false);
    navigate(`/breakthrough/lists/${list.id}`);
  };

  return (
    <div data-testid="bt-lists-page">
      <PageHeader
        title={t('bt.nav.lists')}
        subtitle={t('bt.lists.subtitle')}
        extra={
          <div className="bt-toolbar">
            {!toReview && <YearPicker value={year} onChange={(y) => set({ year: String(y) })} testId="bt-lists-year" />}
            {editorUnits.length > 0 && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="bt-create">
                {t('bt.lists.create')}
              </Button>
            )}
          </div>
        }
      />
      <BreakthroughNav />
      <Card size="small">
        <Segmented
          className="section-gap-bottom"
          value={toReview ? 'review' : 'mine'}
          onChange={(v) => set({ view: v === 'review' ? 'review' : null })}
          options={[
            { value: 'mine', label: <span data-testid="bt-view-mine">{t('bt.lists.mine')}</span> },
            { value: 'review', label: <span data-testid="bt-view-review">{t('bt.lists.toReview')}</span> },
          ]}
        />
        <Table<RegistrationSummary>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('bt.lists.empty') }}
          data-testid="bt-lists-table"
          columns={[
            { title: t('bt.year'), dataIndex: 'year', width: 80 },
            { title: t('bt.col.unit'), key: 'unit', render: (_, r) => <Link to={`/breakthrough/lists/${r.id}`}>{r.unit.name}</Link> },
            { title: t('bt.col.listStatus'), key: 'status', width: 140, render: (_, r) => <ListStatusTag status={r.status} t={t} /> },
            { title: t('bt.col.items'), dataIndex: 'itemCount', width: 110 },
            { title: t('bt.col.round'), dataIndex: 'round', width: 90 },
            { title: t('bt.col.updated'), key: 'updated', width: 170, render: (_, r) => formatDateTime(r.updatedAt) },
          ]}
        />
      </Card>
      <FormModal<{ unitId: number; year: number }>
        open={creating}
        title={t('bt.lists.createTitle')}
        okText={t('common.create')}
        onClose={() => setCreating(false)}
        form={form}
        send={create}
        initialValues={{ unitId: editorUnits[0]?.id, year }}
        formTestId="bt-create-form"
        okTestId="bt-create-ok"
      >
        <Form.Item name="unitId" label={t('bt.unit')} rules={[{ required: true }]}>
          <Select options={editorUnits.map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="year" label={t('bt.year')} rules={[{ required: true }]}>
          <YearPicker value={year} onChange={(y) => form.setFieldValue('year', y)} />
        </Form.Item>
      </FormModal>
    </div>
  );
}
