// The sidebar's modules and administration pages: one list feeds the menu and the routes.
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CommentOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  KeyOutlined,
  LineChartOutlined,
  NotificationOutlined,
  ProjectOutlined,
  RocketOutlined,
  SafetyOutlined,
  TeamOutlined,
  UserOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { MessageKey } from './i18n';

export interface NavEntry {
  key: string;
  path: string;
  label: MessageKey;
  icon: ReactNode;
}

export const MODULES: NavEntry[] = [
  { key: 'dashboard', path: '/dashboard', label: 'module.dashboard', icon: <DashboardOutlined /> },
  { key: 'feedback', path: '/feedback', label: 'module.feedback', icon: <NotificationOutlined /> },
  { key: 'dossiers', path: '/dossiers', label: 'module.dossiers', icon: <FileDoneOutlined /> },
  { key: 'tasks', path: '/tasks', label: 'module.tasks', icon: <CheckSquareOutlined /> },
  { key: 'breakthrough', path: '/breakthrough', label: 'module.breakthrough', icon: <RocketOutlined /> },
  { key: 'projects', path: '/projects', label: 'module.projects', icon: <ProjectOutlined /> },
  { key: 'indicators', path: '/indicators', label: 'module.indicators', icon: <LineChartOutlined /> },
  { key: 'documents', path: '/documents', label: 'module.documents', icon: <FileTextOutlined /> },
  { key: 'operations', path: '/operations', label: 'module.operations', icon: <SafetyOutlined /> },
  { key: 'listening', path: '/listening', label: 'module.listening', icon: <CommentOutlined /> },
  { key: 'meetings', path: '/meetings', label: 'module.meetings', icon: <VideoCameraOutlined /> },
  { key: 'cadres', path: '/cadres', label: 'module.cadres', icon: <TeamOutlined /> },
  { key: 'reports', path: '/reports', label: 'module.reports', icon: <BarChartOutlined /> },
];

export const ADMIN_PAGES: NavEntry[] = [
  { key: 'org-units', path: '/admin/org-units', label: 'admin.orgUnits', icon: <ApartmentOutlined /> },
  { key: 'users', path: '/admin/users', label: 'admin.users', icon: <UserOutlined /> },
  { key: 'api-keys', path: '/admin/api-keys', label: 'admin.apiKeys', icon: <KeyOutlined /> },
  { key: 'audit', path: '/admin/audit', label: 'admin.audit', icon: <AuditOutlined /> },
  { key: 'calendar', path: '/admin/calendar', label: 'admin.calendar', icon: <CalendarOutlined /> },
];

