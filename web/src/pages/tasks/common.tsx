// Pieces the tasks pages share: the sub-navigation, who may issue tasks, and the search params kept
// in the address (so a filtered list can be linked and the back button works).
import { Segmented } from 'antd';
import { useCallback } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
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

/** One address parameter set or cleared at a time, without adding a history entry. */
export function useSearchSetter() {
  const [search, setSearch] = useSearchParams();
  const set = useCallback(
    (changes: Record<string, string | number | null | undefined>) =>
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === undefined || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          return next;
        },
        { replace: true },
      ),
    [setSearch],
  );
  return { search, set };
}
