// Người dùng: the users in the chosen unit's subtree, their grants, and the account actions.
import { EditOutlined, KeyOutlined, MoreOutlined, PlusOutlined, SafetyOutlined, UnlockOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Select, Space, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { Role, User } from '../../types';
import { DataTable } from '../../ui/DataTable';
import { useApiError } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { GrantTag, roleOptions } from '../../ui/roles';
import { UserCreateModal } from './UserCreateModal';
import { UserEditModal } from './UserEditModal';
import { UserGrantsModal } from './UserGrantsModal';
import { UserPasswordModal } from './UserPasswordModal';

function isLocked(user: User): boolean {
  return !!user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now();
}

export default function UsersPage() {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const { filterUnitId } = useOrgUnits();
  const [role, setRole] = useState<Role | undefined>();
  const [reloadKey, setReloadKey] = useState(0);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [granting, setGranting] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const reload = () => setReloadKey((n) => n + 1);

  const unlock = async (user: User) => {
    try {
      await api.post<User>(`/users/${user.id}/unlock`);
      message.success(t('user.unlocked', { name: user.username }));
      reload();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div>
      <PageHeader title={t('admin.users')} subtitle={t('user.subtitle')} />
      <DataTable<User>
        path="/users"
        rowKey="id"
        testId="users-table"
        reloadKey={reloadKey}
        params={{ orgUnitId: filterUnitId, role }}
        defaultSort="username"
        searchPlaceholder={t('user.searchPlaceholder')}
        filters={
          <Select<Role>
            allowClear
            placeholder={t('user.filterRole')}
            options={roleOptions(t)}
            value={role}
            onChange={setRole}
            className="filter-select"
            data-testid="users-filter-role"
          />
        }
        toolbar={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
            {t('user.create')}
          </Button>
        }
        columns={[
          {
            title: t('user.username'),
            dataIndex: 'username',
            key: 'username',
            sorter: true,
            defaultSortOrder: 'ascend',
          },
          { title: t('user.fullName'), dataIndex: 'fullName', key: 'fullName', sorter: true },
          { title: t('user.unit'), dataIndex: 'orgUnitName', key: 'orgUnitName', sorter: true },
          {
            title: t('user.active'),
            dataIndex: 'active',
            key: 'active',
            filterMultiple: false,
            filters: [
              { text: t('common.active'), value: 'true' },
              { text: t('common.inactive'), value: 'false' },
            ],
            render: (active: boolean) =>
              active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
          },
          {
            title: t('user.locked'),
            key: 'locked',
            render: (_, user) =>
              isLocked(user) ? (
                <Tooltip title={t('user.lockedUntil', { at: formatDateTime(user.lockedUntil) })}>
                  <Tag color="red">{t('user.lockedYes')}</Tag>
                </Tooltip>
              ) : null,
          },
          {
            title: t('user.lastLogin'),
            dataIndex: 'lastLoginAt',
            key: 'lastLoginAt',
            sorter: true,
            render: (at: string | null) => (at ? formatDateTime(at) : <span className="muted">{t('user.never')}</span>),
          },
          {
            title: t('user.grants'),
            key: 'grants',
            render: (_, user) => (
              <Space size={[0, 4]} wrap className="grant-cell">
                {user.grants.map((grant) => (
                  <GrantTag key={grant.id} grant={grant} t={t} />
                ))}
              </Space>
            ),
          },
          {
            title: '',
            key: 'actions',
            render: (_, user) => (
              <Space size={4}>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(user)} data-testid={`user-edit-${user.username}`}>
                  {t('common.edit')}
                </Button>
                <Dropdown
                  trigger={['click']}
                  menu={{
                    items: [
                      { key: 'grants', icon: <SafetyOutlined />, label: t('user.manageGrants') },
                      { key: 'password', icon: <KeyOutlined />, label: t('user.resetPassword') },
                      { key: 'unlock', icon: <UnlockOutlined />, label: t('user.unlock'), disabled: !isLocked(user) },
                    ],
                    onClick: ({ key }) => {
                      if (key === 'grants') setGranting(user);
                      if (key === 'password') setResetting(user);
                      if (key === 'unlock') void unlock(user);
                    },
                  }}
                >
                  <Button size="small" icon={<MoreOutlined />} aria-label={t('common.more')} data-testid={`user-more-${user.username}`} />
                </Dropdown>
              </Space>
            ),
          },
        ]}
      />
      <UserCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          reload();
        }}
      />
      <UserEditModal
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          reload();
        }}
      />
      <UserGrantsModal user={granting} onClose={() => setGranting(null)} onChanged={reload} />
      <UserPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}
