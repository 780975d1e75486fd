// Loading what a page shows from the API: one GET per distinct query, the one before cancelled.
import { useEffect, useState } from 'react';
import { api, type QueryParams } from '../api';
import { useI18n } from '../i18n';
import { errorText } from './errors';

/**
 * GETs `path` with `query` (null: nothing to load yet), again when the query changes by value or
 * `reloadKey` does. `data` answers this query only (null while it loads: a unit's figures are never
 * shown under another's name), unless `keepPrevious`, where the last answer stays while the next
 * loads (a table keeping its rows under its spinner). `error` is the failure's text.
 */
export function useApiGet<T>(path: string, query: QueryParams | null, opts: { keepPrevious?: boolean; reloadKey?: number } = {}) {
  const { lang, t } = useI18n();
  const [answer, setAnswer] = useState<{ key: string; data: T | null; error: string | null } | null>(null);
  const key = `${path}?${JSON.stringify(query)}#${opts.reloadKey ?? 0}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query is compared by value (key)
  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    api
      .get<T>(path, query, controller.signal)
      .then((data) => setAnswer({ key, data, error: null }))
      .catch((err) => {
        if (!controller.signal.aborted) setAnswer({ key, data: null, error: errorText(err, lang, t) });
      });
    return () => controller.abort();
  }, [key, lang, t]);
  const current = answer?.key === key ? answer : null;
  return {
    data: current ? current.data : opts.keepPrevious ? (answer?.data ?? null) : null,
    error: current?.error ?? null,
    loading: query !== null && current === null,
  };
}
