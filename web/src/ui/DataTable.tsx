// The one list table: server-side pages, sort, column filters, search (q) and .xlsx export.
import { FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Input, Space, Table, type TableProps } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { type Key, type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { api, downloadFile, downloadXlsx, type QueryParams } from '../api';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import type { ListResponse } from '../types';
import { errorText } from './errors';

export interface DataTableProps<T> {
  /** list path under /api/v1, e.g. `/users` */
  path: string;
  columns: ColumnsType<T>;
  /** filters set outside the table (toolbar, header unit); a change goes back to page 1 */
  params?: QueryParams;
  rowKey: string | ((record: T) => Key);
  /** buttons beside the search box, e.g. "Thêm mới" */
  toolbar?: ReactNode;
  /** extra filter inputs shown above the table */
  filters?: ReactNode;
  expandable?: TableProps<T>['expandable'];
  /** change it to fetch again (after a create or an edit) */
  reloadKey?: number;
  searchPlaceholder?: string;
  defaultSort?: string;
  testId?: string;
  /** the list's own .xlsx route (e.g. `/tasks/export.xlsx`), else the list path with `format=xlsx` */
  exportPath?: string;
}

interface TableState {
  page: number;
  pageSize: number;
  sort?: string;
  q: string;
  columnFilters: Record<string, string>;
}

export function DataTable<T extends object>(props: DataTableProps<T>) {
  const { path, columns, params, rowKey, toolbar, filters, expandable, reloadKey, testId } = props;
  const { lang, t } = useI18n();
  const [state, setState] = useState<TableState>({
    page: 1,
    pageSize: 20,
    sort: props.defaultSort,
    q: '',
    columnFilters: {},
  });
  const [data, setData] = useState<ListResponse<T> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [manualReload, setManualReload] = useState(0);

  // Outside filters are compared by value so a new object with the same content does not refetch.
  const paramsKey = JSON.stringify(params ?? {});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset to page 1 when the outside filters change
  useEffect(() => {
    setState((current) => (current.page === 1 ? current : { ...current, page: 1 }));
  }, [paramsKey]);

  const query = useMemo<QueryParams>(
    () => ({
      ...(JSON.parse(paramsKey) as QueryParams),
      ...state.columnFilters,
      q: state.q,
      sort: state.sort,
      page: state.page,
      pageSize: state.pageSize,
    }),
    [paramsKey, state],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey and manualReload only trigger a refetch
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<ListResponse<T>>(path, query, controller.signal)
      .then((result) => {
        setData(result);
        setError(null);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setError(errorText(err, lang, t));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, query, reloadKey, manualReload]);

  const onChange = useCallback<NonNullable<TableProps<T>['onChange']>>((pagination, tableFilters, sorter) => {
    const single = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
    const field = single?.order ? String(single.columnKey ?? single.field ?? '') : '';
    const columnFilters: Record<string, string> = {};
    for (const [key, values] of Object.entries(tableFilters)) {
      if (values?.length) columnFilters[key] = values.map(String).join(',');
    }
    setState((current) => {
      const sort = field ? (single?.order === 'descend' ? `-${field}` : field) : undefined;
      const filtersChanged = JSON.stringify(columnFilters) !== JSON.stringify(current.columnFilters);
      const sortChanged = sort !== current.sort;
      return {
        ...current,
        columnFilters,
        sort,
        pageSize: pagination.pageSize ?? current.pageSize,
        page: filtersChanged || sortChanged ? 1 : (pagination.current ?? 1),
      };
    });
  }, []);

  const exportXlsx = () => {
    const { page: _p, pageSize: _s, ...rest } = query;
    if (props.exportPath) downloadFile(props.exportPath, rest);
    else downloadXlsx(path, rest);
  };

  return (
    <div className="data-table" data-testid={testId}>
      <div className="data-table-toolbar">
        <Space wrap className="data-table-filters">
          <Input.Search
            allowClear
            placeholder={props.searchPlaceholder ?? t('table.search')}
            onSearch={(value) => setState((current) => ({ ...current, q: value.trim(), page: 1 }))}
            className="data-table-search"
            data-testid={testId ? `${testId}-search` : undefined}
          />
          {filters}
        </Space>
        <Space wrap className="data-table-actions">
          {toolbar}
          <Button icon={<ReloadOutlined />} onClick={() => setManualReload((n) => n + 1)} title={t('table.reload')} />
          <Button
            icon={<FileExcelOutlined />}
            onClick={exportXlsx}
            data-testid={testId ? `${testId}-export` : undefined}
          >
            {t('table.exportXlsx')}
          </Button>
        </Space>
      </div>
      {error && <Alert type="error" showIcon title={error} className="data-table-error" />}
      <Table<T>
        size="middle"
        rowKey={rowKey}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        expandable={expandable}
        onChange={onChange}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('table.empty')} /> }}
        pagination={{
          current: state.page,
          pageSize: state.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total, range) =>
            t('table.total', { from: formatNumber(range[0]), to: formatNumber(range[1]), total: formatNumber(total) }),
        }}
      />
    </div>
  );
}
