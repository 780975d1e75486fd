// Pieces the dossiers pages share: the sub-navigation, the unit and period kept in the address (so a
// view can be linked and the back button works), and the link to the dossiers behind a number.
import { Alert, Button, Segmented, Space, Tag } from 'antd';
import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { buildQuery } from '../../api';
import { useAuth } from '../../auth';
import { type Translate, useT } from '../../i18n';
import { formatDate } from '../../format';
import { useOrgUnits } from '../../orgUnits';
import { type SearchChanges, useSearchSetter } from '../../ui/filters';
import type { DrillDown, PeriodKind, PeriodOut } from './types';
import { PERIOD_KINDS } from './types';

const PAGES = [
  { path: '/dossiers', label: 'dos.nav.overview', testId: 'overview' },
  { path: '/dossiers/ranking', label: 'dos.nav.ranking', testId: 'ranking' },
  { path: '/dossiers/overdue', label: 'dos.nav.overdue', testId: 'overdue' },
  { path: '/dossiers/due-soon', label: 'dos.nav.dueSoon', testId: 'due-soon' },
  { path: '/dossiers/list', label: 'dos.nav.all', testId: 'list' },
  { path: '/dossiers/imports', label: 'dos.nav.imports', testId: 'imports' },
] as const;
/** Who imports dossier files (the server's IMPORT_ROLES). */
const IMPORT_ROLES: ReadonlySet<string> = new Set(['administrator', 'operator']);
const ADMIN_PAGES = [
  { path: '/dossiers/procedures', label: 'dos.nav.procedures', testId: 'procedures' },
  { path: '/dossiers/sources', label: 'dos.nav.sources', testId: 'sources' },
] as const;

export function DossiersNav() {
  const t = useT();
  const { isAdmin, user } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const importer = !!user?.grants.some((g) => IMPORT_ROLES.has(g.role));
  const pages = [...PAGES.filter((p) => importer || p.testId !== 'imports'), ...(isAdmin ? ADMIN_PAGES : [])];
  // Only a page itself is marked: from a dossier or an import, its list stays a click away.
  const current = pages.find((p) => location.pathname === p.path)?.path;
  return (
    <Segmented
      className="section-gap-bottom dos-nav"
      value={current ?? ''}
      onChange={(path) => navigate(path)}
      options={pages.map((p) => ({ value: p.path, label: <span data-testid={`dos-nav-${p.testId}`}>{t(p.label)}</span> }))}
    />
  );
}

/** The period as the API reads it (`period`, `year`, `index` or `from`/`to`). */
export interface PeriodValue {
  period: PeriodKind;
  year: number;
  index?: number;
  from?: string;
  to?: string;
}

/** The current month, as the server defaults to. */
export function currentPeriod(today = new Date()): PeriodValue {
  return { period: 'month', year: today.getFullYear(), index: today.getMonth() + 1 };
}

function readPeriod(search: URLSearchParams): PeriodValue {
  const kind = search.get('period') as PeriodKind | null;
  const fallback = currentPeriod();
  if (!kind || !PERIOD_KINDS.includes(kind)) return fallback;
  const year = Number(search.get('year')) || fallback.year;
  if (kind === 'range') {
    const from = search.get('from') ?? undefined;
    const to = search.get('to') ?? undefined;
    return from && to ? { period: kind, year, from, to } : fallback;
  }
  if (kind === 'year') return { period: kind, year };
  const index = Number(search.get('index'));
  return { period: kind, year, index: Number.isInteger(index) && index > 0 ? index : 1 };
}

/** The query of a period for the API and the address. */
export function periodQuery(value: PeriodValue): Record<string, string | number | undefined> {
  if (value.period === 'range') return { period: 'range', from: value.from, to: value.to };
  return { period: value.period, year: value.year, index: value.period === 'year' ? undefined : value.index };
}

/**
 * The unit (`unitId`) and the period of a report page, read from and written to the address. With
 * no unit in the address: the unit chosen in the header, else the user's own.
 */
export function useReportParams(unitParam = 'unitId') {
  const { search, set } = useSearchSetter();
  const { selectedId } = useOrgUnits();
  const { user } = useAuth();
  const period = useMemo(() => readPeriod(search), [search]);
  const fromAddress = Number(search.get(unitParam));
  const unitId = Number.isInteger(fromAddress) && fromAddress > 0 ? fromAddress : (selectedId ?? user?.scope[0]?.id ?? null);

  const update = useCallback(
    (next: { unitId?: number | null; period?: PeriodValue }) => {
      const changes: SearchChanges = {};
      if (next.unitId !== undefined) changes[unitParam] = next.unitId;
      if (next.period) Object.assign(changes, { period: null, year: null, index: null, from: null, to: null }, periodQuery(next.period));
      set(changes);
    },
    [set, unitParam],
  );
  return { unitId, period, update };
}

/** The address of the dossier list filtered as a scorecard number's drill-down says. */
export function drillDownPath(list: DrillDown): string {
  return `/dossiers/list${buildQuery(list)}`;
}

/** The address of the procedure catalogue showing the procedures behind a scorecard number. */
export function procedureDrillDownPath(query: DrillDown): string {
  return `/dossiers/procedures${buildQuery(query)}`;
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** A period in words, as the server labels it in Vietnamese ("Quý III/2026"), in the user's language. */
export function periodLabel(t: Translate, period: PeriodOut): string {
  const year = period.year ?? Number(period.from.slice(0, 4));
  const n = period.index ?? 1;
  if (period.kind === 'month') return t('dos.periodLabel.month', { n: String(n).padStart(2, '0'), year });
  if (period.kind === 'quarter') return t('dos.periodLabel.quarter', { n, roman: ROMAN[n - 1] ?? n, year });
  if (period.kind === 'half') return t(n === 1 ? 'dos.periodLabel.half1' : 'dos.periodLabel.half2', { year });
  if (period.kind === 'year') return t('dos.periodLabel.year', { year });
  return t('dos.periodLabel.range', { from: formatDate(period.from), to: formatDate(period.to) });
}

/** The conditions a scorecard number's drill-down put on a list, and the way to drop them. */
export function DrillDownBanner({ conditions, onClear, testId, t }: { conditions: string[]; onClear: () => void; testId: string; t: Translate }) {
  return (
    <Alert
      type="info"
      showIcon
      className="section-gap-bottom"
      data-testid={testId}
      title={
        <Space wrap size={[4, 4]}>
          <span>{t('dos.list.drillDown')}</span>
          {conditions.map((text) => (
            <Tag key={text}>{text}</Tag>
          ))}
        </Space>
      }
      action={
        <Button type="link" size="small" onClick={onClear} data-testid={`${testId.replace(/-drilldown$/, '')}-clear`}>
          {t('dos.list.clearDrillDown')}
        </Button>
      }
    />
  );
}
