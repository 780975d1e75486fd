// The frame of every signed-in page: module sidebar, administration group, header with unit switcher.
import { DownOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Layout as AntLayout, App, Button, Dropdown, Menu, type MenuProps, Space } from 'antd';
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useT } from '../i18n';
import { ADMIN_PAGES, MODULES } from '../modules';
import { useOrgUnits } from '../orgUnits';
import { ChangePasswordModal } from './ChangePasswordModal';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './Notifications';
import { OrgUnitPicker } from './OrgUnitPicker';

export function Layout() {
  const t = useT();
  const { user, isAdmin, logout } = useAuth();
  const { selectedId, select } = useOrgUnits();
  const { modal } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);

  const items: MenuProps['items'] = [
    ...MODULES.map((entry) => ({
      key: entry.path,
      icon: entry.icon,
      label: <span data-testid={`nav-${entry.key}`}>{t(entry.label)}</span>,
    })),
    ...(isAdmin
      ? [
          {
            key: 'admin',
            type: 'group' as const,
            label: collapsed ? null : (
              <span className="sider-group-label" data-testid="nav-admin">
                {t('admin.group')}
              </span>
            ),
            children: ADMIN_PAGES.map((entry) => ({
              key: entry.path,
              icon: entry.icon,
              label: <span data-testid={`nav-admin-${entry.key}`}>{t(entry.label)}</span>,
            })),
          },
        ]
      : []),
  ];
  const selectedKey =
    [...MODULES, ...ADMIN_PAGES].find((entry) => location.pathname.startsWith(entry.path))?.path ?? '';

  const signOut = async (everywhere: boolean) => {
    await logout(everywhere).catch(() => undefined);
    navigate('/login', { replace: true });
  };

  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <LockOutlined />, label: t('header.changePassword') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('header.logout')}</span> },
    {
      key: 'logout-all',
      icon: <LogoutOutlined />,
      danger: true,
      label: <span data-testid="logout-all">{t('header.logoutAll')}</span>,
    },
  ];
  const onUserMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') setChangingPassword(true);
    if (key === 'logout') void signOut(false);
    if (key === 'logout-all') {
      modal.confirm({
        title: t('header.logoutAllConfirm'),
        content: t('header.logoutAllHint'),
        okText: t('header.logoutAll'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: () => signOut(true),
      });
    }
  };

  return (
    <AntLayout className="app-layout">
      <AntLayout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={264}
        theme="dark"
        className="app-sider"
      >
        <div className="app-brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {!collapsed && <span>Điều Hành</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={[selectedKey]}
          onClick={({ key }) => navigate(key)}
          data-testid="sidebar"
        />
      </AntLayout.Sider>
      <AntLayout>
        <AntLayout.Header className="app-header">
          <div className="app-header-unit">
            <span className="muted">{t('header.unit')}</span>
            <OrgUnitPicker
              value={selectedId}
              onChange={select}
              allowClear
              placeholder={t('header.allUnits')}
              className="app-unit-switcher"
              testId="org-unit-switcher"
            />
          </div>
          <Space size="middle">
            <LanguageSwitch />
            <NotificationBell />
            <Dropdown menu={{ items: userMenu, onClick: onUserMenu }} trigger={['click']}>
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                {user?.fullName || user?.username} <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        </AntLayout.Header>
        <AntLayout.Content className="app-content">
          <Outlet />
        </AntLayout.Content>
      </AntLayout>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </AntLayout>
  );
}
