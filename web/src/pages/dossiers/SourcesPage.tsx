// Nguồn hồ sơ: the one-stop systems (hệ thống một cửa) that send dossiers. Files are imported under a
// source and its API key pushes batches. The locality's administrators create, edit, deactivate them.
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Popconfirm, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { ApiKey, ListResponse } from '../../types';
import { DataTable } from '../../ui/DataTable';
import { useApiError } from '../../ui/errors';
import { FormModal } from '../../ui/FormModal';
import { PageHeader } from '../../ui/PageHeader';
import { codeRules, requiredText } from '../../ui/rules';
import { DossiersNav } from './common';
import type { Source } from './types';

interface Values {
  code: string;
  name: string;
  apiKeyId?: number | null;
}

/** The API keys not revoked, for a source to push with. */
function useApiKeys(): ApiKey[] {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListResponse<ApiKey>>('/api-keys', { pageSize: 500 }, controller.signal)
      .then((result) => setKeys(result.items.filter((k) => !k.revokedAt)))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);
  return keys;
}

function SourceModal({ source, onClose, onSaved }: { source: Source | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const keys = useApiKeys();
  const send = async (values: Values) => {
    const body = { code: values.code.trim(), name: values.name.trim(), apiKeyId: values.apiKeyId ?? null };
    if (source) await api.patch<Source>(`/dossiers/sources/${source.id}`, body);
    else await api.post<Source>('/dossiers/sources', body);
    onSaved();
    return t('common.saved');
  };
  return (
    <FormModal<Values>
      open
      title={source ? t('dos.src.edit') : t('dos.src.create')}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      send={send}
      hint={t('dos.src.hint')}
      initialValues={source ? { code: source.code, name: source.name, apiKeyId: source.apiKeyId } : {}}
      formTestId="dos-source-form"
      okTestId="dos-source-save"
    >
      <Form.Item name="code" label={t('dos.src.code')} rules={codeRules(t)}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="name" label={t('dos.src.name')} rules={requiredText(t, 200)}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="apiKeyId" label={t('dos.src.apiKey')} extra={t('dos.src.apiKeyHint')}>
        <Select<number>
          allowClear
          options={keys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}… · ${k.orgUnitName})` }))}
          placeholder={t('dos.src.noKey')}
        />
      </Form.Item>
    </FormModal>
  );
}

export default function SourcesPage() {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const [editing, setEditing] = useState<Source | null | undefined>(undefined);
  const [reloadKey, setReloadKey] = useState(0);

  const setActive = async (s: Source, active: boolean) => {
    try {
      await api.post<Source>(`/dossiers/sources/${s.id}/${active ? 'activate' : 'deactivate'}`);
      message.success(t('common.saved'));
      setReloadKey((k) => k + 1);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <div>
      <DossiersNav />
      <PageHeader title={t('dos.nav.sources')} subtitle={t('dos.src.subtitle')} />
      <DataTable<Source>
        path="/dossiers/sources"
        rowKey="id"
        testId="dos-sources"
        reloadKey={reloadKey}
        defaultSort="code"
        toolbar={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="dos-source-add">
            {t('common.add')}
          </Button>
        }
        columns={[
          { title: t('dos.src.code'), dataIndex: 'code', key: 'code', sorter: true, defaultSortOrder: 'ascend' },
          { title: t('dos.src.name'), dataIndex: 'name', key: 'name', sorter: true },
          {
            title: t('dos.src.apiKey'),
            key: 'apiKey',
            render: (_, s) =>
              s.apiKeyId === null ? (
                <span className="muted">{t('dos.src.noKey')}</span>
              ) : (
                <span>
                  {s.apiKeyName} <span className="muted">({s.apiKeyPrefix}…)</span>
                  {s.apiKeyUnitName && <div className="muted">{s.apiKeyUnitName}</div>}
                  {s.apiKeyRevoked && <Tag color="red">{t('dos.src.revoked')}</Tag>}
                </span>
              ),
          },
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
            render: (_, s) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)} data-testid={`dos-source-edit-${s.code}`}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={s.active ? t('dos.src.deactivateConfirm') : t('dos.src.activateConfirm')} onConfirm={() => setActive(s, !s.active)}>
                  <Button size="small" danger={s.active}>
                    {s.active ? t('dos.deactivate') : t('dos.activate')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing !== undefined && (
        <SourceModal
          key={editing?.id ?? 'new'}
          source={editing}
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
