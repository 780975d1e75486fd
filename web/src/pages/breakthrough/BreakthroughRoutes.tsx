// Công việc đột phá, under /breakthrough: the province's table for a year, the units' lists, one list.
import './breakthrough.css';
import { Segmented } from 'antd';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n';
import { NotFoundPage } from '../NotFoundPage';
import ListsPage from './ListsPage';
import OverviewPage from './OverviewPage';
import RegistrationPage from './RegistrationPage';

const PAGES = [
  { path: '/breakthrough', label: 'bt.nav.overview', testId: 'overview' },
  { path: '/breakthrough/lists', label: 'bt.nav.lists', testId: 'lists' },
] as const;

export function BreakthroughNav() {
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  return (
    <Segmented
      className="section-gap-bottom"
      value={PAGES.find((p) => pathname === p.path)?.path ?? ''}
      onChange={(path) => navigate(path)}
      options={PAGES.map((p) => ({ value: p.path, label: <span data-testid={`bt-nav-${p.testId}`}>{t(p.label)}</span> }))}
    />
  );
}

export default function BreakthroughRoutes() {
  return (
    <div className="bt-page">
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="lists" element={<ListsPage />} />
        <Route path="lists/:id" element={<RegistrationPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
