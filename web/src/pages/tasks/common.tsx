// Pieces the tasks pages share: the sub-navigation and who may issue tasks.
import { Segmented } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useT } from '../../i18n';

const PAGES = [
  { path: '/tasks', label: 'task.nav.list', testId: 'list' },
  { path: '/tasks/scorecard', label: 'task.nav.scorecard', testId: 'scorecard' },
] as const;

export function TasksNav() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const current = PAGES.find((p) => location.pathname === p.path)?.path;
  return (
    <Segmented
      className="section-gap-bottom"
      value={current ?? ''}
      onChange={(path) => navigate(path)}
      options={PAGES.map((p) => ({ value: p.path, label: <span data-testid={`task-nav-${p.testId}`}>{t(p.label)}</span> }))}
    />
  );
}

/** Who drafts and issues tasks for a unit (the server's check: leader or operator on the issuer unit). */
const ISSUER_ROLES: ReadonlySet<string> = new Set(['leader', 'operator', 'administrator']);

/** The units the user may issue tasks for, first the one they act for. */
export function useIssuerUnits(): { id: number; name: string }[] {
  const { user } = useAuth();
  const seen = new Set<number>();
  const units: { id: number; name: string }[] = [];
  for (const grant of user?.grants ?? []) {
    if (!ISSUER_ROLES.has(grant.role) || seen.has(grant.orgUnitId)) continue;
    seen.add(grant.orgUnitId);
    units.push({ id: grant.orgUnitId, name: grant.orgUnitName });
  }
  return units;
}
