// The dossiers module's screens (giám sát giải quyết thủ tục hành chính), under /dossiers.
import './dossiers.css';
import { Route, Routes } from 'react-router-dom';
import { useAuth } from '../../auth';
import { ForbiddenPage, NotFoundPage } from '../NotFoundPage';
import DossierDetailPage from './DossierDetailPage';
import DossierListPage from './DossierListPage';
import ImportPage from './ImportPage';
import ImportsPage from './ImportsPage';
import OverviewPage from './OverviewPage';
import ProceduresPage from './ProceduresPage';
import RankingPage from './RankingPage';
import SourcesPage from './SourcesPage';

export default function DossiersRoutes() {
  const { isAdmin } = useAuth();
  return (
    <div className="dos-page">
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="ranking" element={<RankingPage />} />
        <Route path="overdue" element={<DossierListPage key="overdue" view="overdue" />} />
        <Route path="due-soon" element={<DossierListPage key="due-soon" view="due-soon" />} />
        <Route path="list" element={<DossierListPage key="all" view="all" />} />
        <Route path="imports" element={<ImportsPage />} />
        <Route path="imports/:id" element={<ImportPage />} />
        <Route path="procedures" element={isAdmin ? <ProceduresPage /> : <ForbiddenPage />} />
        <Route path="sources" element={isAdmin ? <SourcesPage /> : <ForbiddenPage />} />
        <Route path=":id" element={<DossierDetailPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
