// The units the user can see (one fetch of /org-units/tree) and the unit chosen in the header.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api } from './api';
import { useAuth } from './auth';
import type { OrgUnitNode } from './types';
import { buildOrgTree, type OrgTree } from './ui/orgTree';

const STORAGE_KEY = 'dh.orgUnitId';

interface OrgUnitsValue {
  tree: OrgTree;
  loading: boolean;
  /** null: every unit the user can see */
  selectedId: number | null;
  select: (id: number | null) => void;
  /**
   * The unit lists filter by: the chosen unit, or null when it is the top of the user's scope
   * (the server limits every list to the scope anyway, and entries without a unit stay visible).
   */
  filterUnitId: number | null;
  reload: () => Promise<void>;
  nameOf: (id: number | null | undefined) => string;
}

const OrgUnitsContext = createContext<OrgUnitsValue | null>(null);

function storedUnitId(): number | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const id = raw ? Number(raw) : Number.NaN;
    return Number.isInteger(id) ? id : null;
  } catch {
    return null;
  }
}

export function OrgUnitsProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const [units, setUnits] = useState<OrgUnitNode[]>([]);
  const [loading, setLoading] = useState(true);
  const [selectedId, setSelectedId] = useState<number | null>(storedUnitId);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const result = await api.get<{ items: OrgUnitNode[] }>('/org-units/tree');
      setUnits(result.items);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (user) reload().catch((error) => console.error(error));
  }, [user, reload]);

  const tree = useMemo(() => buildOrgTree(units), [units]);

  // A unit kept from another session may be out of this user's scope: fall back to their own.
  useEffect(() => {
    if (loading || !user) return;
    if (selectedId !== null && tree.byId.has(selectedId)) return;
    const fallback = user.scope.length === 1 ? user.scope[0].id : null;
    if (fallback !== selectedId) setSelectedId(fallback);
  }, [loading, user, tree, selectedId]);

  const select = useCallback((id: number | null) => {
    setSelectedId(id);
    try {
      if (id === null) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, String(id));
    } catch {
      // the choice lasts for this page only
    }
  }, []);

  const value = useMemo<OrgUnitsValue>(
    () => ({
      tree,
      loading,
      selectedId,
      select,
      filterUnitId: selectedId !== null && !user?.scope.some((unit) => unit.id === selectedId) ? selectedId : null,
      reload,
      nameOf: (id) => (id === null || id === undefined ? '' : (tree.byId.get(id)?.title ?? `#${id}`)),
    }),
    [tree, loading, selectedId, select, reload, user],
  );
  return <OrgUnitsContext.Provider value={value}>{children}</OrgUnitsContext.Provider>;
}

export function useOrgUnits(): OrgUnitsValue {
  const value = useContext(OrgUnitsContext);
  if (!value) throw new Error('useOrgUnits outside OrgUnitsProvider');
  return value;
}
