// The projects module's screens (dự án trọng điểm, giải phóng mặt bằng), under /projects.
import './projects.css';
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../NotFoundPage';
import OverviewPage from './OverviewPage';
import ProjectDetailPage from './ProjectDetailPage';

export default function ProjectsRoutes() {
  return (
    <Routes>
      <Route index element={<OverviewPage />} />
      <Route path=":id" element={<ProjectDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
