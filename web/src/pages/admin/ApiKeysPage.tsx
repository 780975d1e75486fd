// Khóa API: keys for Open311 clients and devices; the secret is shown once, at creation.
import { CheckOutlined, CopyOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { ApiKey, Role } from '../../types';
import { DataTable } from '../../ui/DataTable';
import { useApiError } from '../../ui/errors';
import { FormModal } from '../../ui/FormModal';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { roleOptions } from '../../ui/roles';
import { required, requiredText } from '../../ui/rules';

interface CreateValues {
  name: string;
  role: Role;
  orgUnitId: number;
}

export default function ApiKeysPage() {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const { filterUnitId } = useOrgUnits();
  const [reloadKey, setReloadKey] = useState(0);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);

  const revoke = async (key: ApiKey) => {
    try {
      await api.post<ApiKey>(`/api-keys/${key.id}/revoke`);
      message.success(t('apiKey.revoked', { name: key.name }));
      setReloadKey((n) => n + 1);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div>
      <PageHeader title={t('admin.apiKeys')} subtitle={t('apiKey.subtitle')} />
      <DataTable<ApiKey>
        path="/api-keys"
        rowKey="id"
        testId="api-keys-table"
        reloadKey={reloadKey}
        params={{ orgUnitId: filterUnitId }}
        searchPlaceholder={t('apiKey.searchPlaceholder')}
        toolbar={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="api-key-create">
            {t('apiKey.create')}
          </Button>
        }
        columns={[
          { title: t('apiKey.name'), dataIndex: 'name', key: 'name', sorter: true },
          {
            title: t('apiKey.prefix'),
            dataIndex: 'prefix',
            key: 'prefix',
            render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
          },
          { title: t('user.role'), dataIndex: 'role', key: 'role', render: (role: Role) => t(`role.${role}`) },
          { title: t('apiKey.unit'), dataIndex: 'orgUnitName', key: 'orgUnitName' },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            key: 'createdAt',
            sorter: true,
            defaultSortOrder: 'descend',
            render: formatDateTime,
          },
          {
            title: t('apiKey.lastUsed'),
            dataIndex: 'lastUsedAt',
            key: 'lastUsedAt',
            sorter: true,
            render: (at: string | null) => (at ? formatDateTime(at) : <span className="muted">{t('user.never')}</span>),
          },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, key) =>
              key.revokedAt ? (
                <Tag title={formatDateTime(key.revokedAt)}>{t('apiKey.revokedTag')}</Tag>
              ) : (
                <Tag color="green">{t('common.active')}</Tag>
              ),
          },
          {
            title: '',
            key: 'actions',
            render: (_, key) =>
              key.revokedAt ? null : (
                <Popconfirm
                  title={t('apiKey.revokeConfirm', { name: key.name })}
                  description={t('apiKey.revokeHint')}
                  okText={t('apiKey.revoke')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => revoke(key)}
                >
                  <Button size="small" danger icon={<StopOutlined />} data-testid={`api-key-revoke-${key.id}`}>
                    {t('apiKey.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
        defaultSort="-createdAt"
      />
      <ApiKeyCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          setSecret(created);
          setReloadKey((n) => n + 1);
        }}
      />
      <Modal
        open={!!secret}
        title={t('apiKey.secretTitle', { name: secret?.name ?? '' })}
        onCancel={() => setSecret(null)}
        footer={
          <Button type="primary" onClick={() => setSecret(null)} data-testid="api-key-secret-close">
            {t('apiKey.secretSaved')}
          </Button>
        }
        mask={{ closable: false }}
        destroyOnHidden
      >
        <Alert type="warning" showIcon title={t('apiKey.secretWarning')} />
        <Typography.Paragraph
          className="secret-box"
          copyable={{
            text: secret?.secret ?? '',
            icon: [
              <span key="copy" className="copy-label" data-testid="api-key-secret-copy">
                <CopyOutlined /> {t('common.copy')}
              </span>,
              <span key="copied" className="copy-label">
                <CheckOutlined /> {t('common.copied')}
              </span>,
            ],
            tooltips: [t('common.copy'), t('common.copied')],
          }}
          data-testid="api-key-secret"
        >
          <Typography.Text code>{secret?.secret}</Typography.Text>
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}

function ApiKeyCreateModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: { name: string; secret: string }) => void;
}) {
  const t = useT();
  const { selectedId } = useOrgUnits();
  const [form] = Form.useForm<CreateValues>();

  // No success message: the secret dialog that follows says it.
  const send = async (values: CreateValues) => {
    const result = await api.post<{ apiKey: ApiKey; secret: string }>('/api-keys', {
      ...values,
      name: values.name.trim(),
    });
    props.onCreated({ name: result.apiKey.name, secret: result.secret });
  };

  return (
    <FormModal
      open={props.open}
      title={t('apiKey.createTitle')}
      okText={t('common.create')}
      onClose={props.onClose}
      form={form}
      send={send}
      okTestId="api-key-form-submit"
      initialValues={{ role: 'operator', orgUnitId: selectedId ?? undefined }}
    >
      <Form.Item name="name" label={t('apiKey.name')} rules={requiredText(t, 100)} extra={t('apiKey.nameHint')}>
        <Input data-testid="api-key-form-name" />
      </Form.Item>
      <Form.Item name="role" label={t('user.role')} rules={[required(t)]}>
        <Select options={roleOptions(t)} data-testid="api-key-form-role" />
      </Form.Item>
      <Form.Item name="orgUnitId" label={t('apiKey.unit')} rules={[required(t)]}>
        <OrgUnitPicker activeOnly testId="api-key-form-unit" />
      </Form.Item>
    </FormModal>
  );
}
