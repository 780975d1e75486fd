// The staff screens of the feedback module, under /feedback.
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from '../../auth';
import { ForbiddenPage, NotFoundPage } from '../NotFoundPage';
import CategoriesPage from './CategoriesPage';
import QueuePage from './QueuePage';
import ReportDetailPage from './ReportDetailPage';
import StatisticsPage from './StatisticsPage';

export default function FeedbackRoutes() {
  const { isAdmin } = useAuth();
  return (
    <Routes>
      <Route index element={<Navigate to="queue" replace />} />
      <Route path="queue" element={<QueuePage key="operator" view="operator" />} />
      <Route path="unit" element={<QueuePage key="unit" view="unit" />} />
      <Route path="all" element={<QueuePage key="all" view="all" />} />
      <Route path="reports/:id" element={<ReportDetailPage />} />
      <Route path="statistics" element={<StatisticsPage />} />
      <Route path="categories" element={isAdmin ? <CategoriesPage /> : <ForbiddenPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
