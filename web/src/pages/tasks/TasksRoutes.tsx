// The tasks module's screens (nhiệm vụ giao theo "5 rõ"), under /tasks.
import './tasks.css';
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../NotFoundPage';
import ScorecardPage from './ScorecardPage';
import TaskDetailPage from './TaskDetailPage';
import TaskFormPage from './TaskFormPage';
import TaskListPage from './TaskListPage';

export default function TasksRoutes() {
  return (
    <div className="task-page">
      <Routes>
        <Route index element={<TaskListPage />} />
        <Route path="new" element={<TaskFormPage key="new" />} />
        <Route path="scorecard" element={<ScorecardPage />} />
        <Route path=":id" element={<TaskDetailPage />} />
        <Route path=":id/edit" element={<TaskFormPage key="edit" />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
