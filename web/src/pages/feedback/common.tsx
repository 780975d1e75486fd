// Pieces the staff pages share: the sub-navigation and the category list.
import { Segmented } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { useAuth } from '../../auth';
import { useT } from '../../i18n';
import type { ListResponse } from '../../types';
import type { Category } from './types';

export function FeedbackNav() {
  const t = useT();
  const { isAdmin } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const pages = [
    { value: '/feedback/queue', label: t('fb.nav.queue') },
    { value: '/feedback/unit', label: t('fb.nav.unit') },
    { value: '/feedback/all', label: t('fb.nav.all') },
    { value: '/feedback/statistics', label: t('fb.nav.statistics') },
    ...(isAdmin ? [{ value: '/feedback/categories', label: t('fb.nav.categories') }] : []),
  ];
  const current = pages.find((p) => location.pathname.startsWith(p.value))?.value;
  return (
    <Segmented
      className="section-gap-bottom fb-nav"
      value={current}
      onChange={(path) => navigate(path)}
      options={pages.map((p) => ({ value: p.value, label: <span data-testid={`fb-nav-${p.value.split('/')[2]}`}>{p.label}</span> }))}
    />
  );
}

/** All categories (a few dozen at most), for filters and pickers. */
export function useCategories(reloadKey = 0): Category[] {
  const [items, setItems] = useState<Category[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey only triggers a refetch
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListResponse<Category>>('/feedback/categories', { pageSize: 500, sort: 'name' }, controller.signal)
      .then((result) => setItems(result.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [reloadKey]);
  return items;
}
