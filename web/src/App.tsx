import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import viVN from 'antd/locale/vi_VN';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { I18nProvider, useI18n } from './i18n';
import { MODULES } from './modules';
import { OrgUnitsProvider } from './orgUnits';
import { LoginPage } from './pages/LoginPage';
import { ForbiddenPage, NotFoundPage } from './pages/NotFoundPage';
import { ComingSoon } from './ui/ComingSoon';
import { Layout } from './ui/Layout';

// Administration pages load on demand: a separate chunk, still served from 'self'.
const OrgUnitsPage = lazy(() => import('./pages/admin/OrgUnitsPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const ApiKeysPage = lazy(() => import('./pages/admin/ApiKeysPage'));
const AuditPage = lazy(() => import('./pages/admin/AuditPage'));
const CalendarPage = lazy(() => import('./pages/admin/CalendarPage'));
// Phản ánh hiện trường: the staff screens, and the citizens' pages outside the signed-in frame.
const FeedbackRoutes = lazy(() => import('./pages/feedback/FeedbackRoutes'));
// Thủ tục hành chính: the Decision 766 scorecard, the lists, a dossier's detail, the imports.
const DossiersRoutes = lazy(() => import('./pages/dossiers/DossiersRoutes'));
// Nhiệm vụ giao theo "5 rõ": the list, the draft form, a task's detail, the units' scorecard.
const TasksRoutes = lazy(() => import('./pages/tasks/TasksRoutes'));
// Công việc đột phá: the province's table for a year, the units' lists, approval and the year-end review.
const BreakthroughRoutes = lazy(() => import('./pages/breakthrough/BreakthroughRoutes'));
// Dự án trọng điểm: the province view with its map, a project's detail and its entries.
const ProjectsRoutes = lazy(() => import('./pages/projects/ProjectsRoutes'));
// Màn hình điều hành: every module's figures for a unit and a period.
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));
const PublicLayout = lazy(() => import('./pages/public/PublicLayout'));
const SubmitPage = lazy(() => import('./pages/public/SubmitPage'));
const TrackPage = lazy(() => import('./pages/public/TrackPage'));
const PublicListPage = lazy(() => import('./pages/public/PublicListPage'));

const theme = {
  token: { colorPrimary: '#0b4f9c', borderRadius: 6, fontFamily: 'system-ui, "Segoe UI", Roboto, Arial, sans-serif' },
};

function FullPageSpin() {
  return (
    <div className="full-page-spin">
      <Spin size="large" />
    </div>
  );
}

function RequireAuth() {
  const { user, loading, signedOut } = useAuth();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  // Back to this page after signing in, unless the user signed out: this render comes before the
  // sign-out's own navigation (a transition), and the next user would land on the last one's page.
  if (!user) {
    return <Navigate to="/login" replace state={signedOut ? undefined : { from: location.pathname + location.search }} />;
  }
  return (
    <OrgUnitsProvider>
      <Layout />
    </OrgUnitsProvider>
  );
}

function RequireAdmin() {
  const { isAdmin } = useAuth();
  if (!isAdmin) return <ForbiddenPage />;
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Outlet />
    </Suspense>
  );
}

function LoginRoute() {
  const { loading } = useAuth();
  return loading ? <FullPageSpin /> : <LoginPage />;
}

function Localized({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'vi' ? viVN : enUS} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Localized>
        <AuthProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginRoute />} />
              <Route
                element={
                  <Suspense fallback={<FullPageSpin />}>
                    <PublicLayout />
                  </Suspense>
                }
              >
                <Route path="/phan-anh" element={<SubmitPage />} />
                <Route path="/phan-anh/cong-khai" element={<PublicListPage />} />
                <Route path="/phan-anh/:code" element={<TrackPage />} />
              </Route>
              <Route element={<RequireAuth />}>
                <Route index element={<Navigate to="/dashboard" replace />} />
                <Route
                  path="/dashboard"
                  element={
                    <Suspense fallback={<FullPageSpin />}>
                      <DashboardPage />
                    </Suspense>
                  }
                />
                <Route
                  path="/feedback/*"
                  element={
                    <Suspense fallback={<FullPageSpin />}>
                      <FeedbackRoutes />
                    </Suspense>
                  }
                />
                <Route
                  path="/dossiers/*"
                  element={
                    <Suspense fallback={<FullPageSpin />}>
                      <DossiersRoutes />
                    </Suspense>
                  }
                />
                <Route
                  path="/tasks/*"
                  element={
                    <Suspense fallback={<FullPageSpin />}>
                      <TasksRoutes />
                    </Suspense>
                  }
                />
                <Route
                  path="/breakthrough/*"
                  element={
                    <Suspense fallback={<FullPageSpin />}>
                      <BreakthroughRoutes />
                    </Suspense>
                  }
                />
                <Route
                  path="/projects/*"
                  element={
                    <Suspense fallback={<FullPageSpin />}>
                      <ProjectsRoutes />
                    </Suspense>
                  }
                />
                {MODULES.filter((entry) => !['dashboard', 'feedback', 'dossiers', 'tasks', 'projects', 'breakthrough'].includes(entry.key)).map((entry) => (
                  <Route key={entry.key} path={entry.path} element={<ComingSoon title={entry.label} />} />
                ))}
                <Route path="/admin" element={<RequireAdmin />}>
                  <Route index element={<Navigate to="/admin/org-units" replace />} />
                  <Route path="org-units" element={<OrgUnitsPage />} />
                  <Route path="users" element={<UsersPage />} />
                  <Route path="api-keys" element={<ApiKeysPage />} />
                  <Route path="audit" element={<AuditPage />} />
                  <Route path="calendar" element={<CalendarPage />} />
                </Route>
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </Localized>
    </I18nProvider>
  );
}
