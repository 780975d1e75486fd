// A procedure of the catalogue, searched on the server by code or name (the catalogue has hundreds).
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { ListResponse } from '../../types';
import type { Procedure } from './types';

export function ProcedurePicker({ value, onChange }: { value?: number; onChange: (id: number | null) => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Procedure[]>([]);
  const [chosen, setChosen] = useState<Procedure | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<ListResponse<Procedure>>('/dossiers/procedures', { q, pageSize: 50, sort: 'code' }, controller.signal)
        .then((result) => setOptions(result.items))
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  // The chosen procedure keeps its name when a search no longer lists it (or the page opened with it).
  useEffect(() => {
    if (value === undefined || chosen?.id === value) return;
    const found = options.find((p) => p.id === value);
    if (found) {
      setChosen(found);
      return;
    }
    const controller = new AbortController();
    api
      .get<Procedure>(`/dossiers/procedures/${value}`, undefined, controller.signal)
      .then(setChosen)
      .catch(() => undefined);
    return () => controller.abort();
  }, [value, options, chosen]);

  const list = chosen && !options.some((p) => p.id === chosen.id) ? [chosen, ...options] : options;
  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('dos.list.procedure')}
      value={value}
      onChange={(id) => onChange(id ?? null)}
      options={list.map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
      className="filter-select-wide dos-procedure-select"
      popupMatchSelectWidth={false}
      data-testid="dos-list-procedure"
    />
  );
}
