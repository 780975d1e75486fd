// /phan-anh/cong-khai: the public list and map of reports — no personal data; filters by category,
// status, handling unit (with the units under it), date and text (the search ignores diacritics on the server).
import { Card, DatePicker, Empty, Input, List, Pagination, Segmented, Select, Space, TreeSelect, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT, foldText, formatDateTime, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { errorText } from '../../ui/errors';
import { buildOrgTree, type OrgTreeNode } from '../../ui/orgTree';
import { FeedbackMap, type MapPoint } from '../feedback/FeedbackMap';
import { STATUS_MAP_COLORS, StatusTag, statusLabel } from '../feedback/labels';
import type { PublicCategory, PublicListItem, ReportStatus } from '../feedback/types';
import type { ListResponse, OrgUnitNode } from '../../types';

/** The states a public report can be in (rejected, merged and unverified ones are never listed). */
const PUBLIC_STATUSES: ReportStatus[] = ['verified', 'assigned', 'in_progress', 'resolved', 'closed'];

export default function PublicListPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [categories, setCategories] = useState<PublicCategory[]>([]);
  const [categoryCode, setCategoryCode] = useState<string | undefined>();
  const [status, setStatus] = useState<ReportStatus | undefined>();
  const [units, setUnits] = useState<OrgTreeNode[]>([]);
  const [unitId, setUnitId] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [view, setView] = useState<'list' | 'map'>('list');
  const [data, setData] = useState<ListResponse<PublicListItem> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<{ items: PublicCategory[] }>('/public/feedback/categories')
      .then((result) => setCategories(result.items))
      .catch(() => undefined);
    api
      .get<{ items: Omit<OrgUnitNode, 'active'>[] }>('/public/feedback/units')
      .then((result) => setUnits(buildOrgTree(result.items.map((u) => ({ ...u, active: true }))).roots))
      .catch(() => undefined);
  }, []);

  const query = useMemo(
    () => ({
      categoryCode,
      status,
      unitId,
      from: range?.[0]?.format(API_DATE_FORMAT),
      to: range?.[1]?.format(API_DATE_FORMAT),
      q,
      page,
      pageSize,
      sort: '-receivedAt',
    }),
    [categoryCode, status, unitId, range, q, page, pageSize],
  );

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<ListResponse<PublicListItem>>('/public/feedback', query, controller.signal)
      .then((result) => {
        setData(result);
        setError(null);
      })
      .catch((err) => {
        if (!controller.signal.aborted) setError(errorText(err, lang, t));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, lang, t]);

  const items = useMemo(() => data?.items ?? [], [data]);
  const points = useMemo<MapPoint[]>(
    () =>
      items
        .filter((item) => item.lat !== null && item.lng !== null)
        .map((item) => ({
          key: item.code,
          lat: item.lat!,
          lng: item.lng!,
          color: STATUS_MAP_COLORS[item.status],
          label: `${item.code} · ${item.categoryName}`,
        })),
    [items],
  );
  const firstPage = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPage(1);
  };

  return (
    <div className="pub-list-page">
      <Typography.Title level={3} className="pub-title">
        {t('pub.list.title')}
      </Typography.Title>
      <div className="pub-filters" data-testid="fb-public-filters">
        <Input.Search
          allowClear
          placeholder={t('pub.list.search')}
          onSearch={(value) => firstPage(setQ)(value.trim())}
          data-testid="fb-public-search"
        />
        <Select
          allowClear
          placeholder={t('fb.category')}
          value={categoryCode}
          onChange={firstPage(setCategoryCode)}
          options={categories.map((c) => ({ value: c.code, label: c.name }))}
          data-testid="fb-public-category"
        />
        <Select
          allowClear
          placeholder={t('common.status')}
          value={status}
          onChange={firstPage(setStatus)}
          options={PUBLIC_STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }))}
          data-testid="fb-public-status"
        />
        <TreeSelect<number | undefined>
          allowClear
          showSearch
          placeholder={t('fb.unit')}
          value={unitId}
          onChange={firstPage(setUnitId)}
          treeData={units}
          treeDefaultExpandedKeys={units.map((node) => node.key)}
          filterTreeNode={(input, node) => ((node as unknown as OrgTreeNode).search ?? '').includes(foldText(input))}
          treeNodeLabelProp="title"
          popupMatchSelectWidth={false}
          data-testid="fb-public-unit"
        />
        <DatePicker.RangePicker
          format={DATE_FORMAT}
          value={range}
          onChange={firstPage(setRange)}
          placeholder={[t('audit.from'), t('audit.to')]}
          data-testid="fb-public-dates"
        />
      </div>
      <div className="pub-list-bar">
        <span className="muted">{t('pub.list.count', { n: formatNumber(data?.total ?? 0) })}</span>
        <Segmented<'list' | 'map'>
          value={view}
          onChange={setView}
          options={[
            { value: 'list', label: t('pub.list.viewList') },
            { value: 'map', label: t('pub.list.viewMap') },
          ]}
          data-testid="fb-public-view"
        />
      </div>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {view === 'map' ? (
        <FeedbackMap
          points={points}
          height="60vh"
          onPointClick={(point) => navigate(`/phan-anh/${encodeURIComponent(String(point.key))}`)}
          testId="fb-public-map"
        />
      ) : (
        <List<PublicListItem>
          loading={loading}
          dataSource={items}
          data-testid="fb-public-list"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('table.empty')} /> }}
          renderItem={(item) => (
            <List.Item key={item.code} className="pub-list-item">
              <Card size="small" className="full-width">
                <div className="pub-list-row">
                  {item.photoUrl && <img src={item.photoUrl} alt="" className="pub-list-photo" loading="lazy" />}
                  <div className="pub-list-text">
                    <Space size={4} wrap>
                      <Link to={`/phan-anh/${encodeURIComponent(item.code)}`} data-testid={`fb-public-item-${item.code}`}>
                        <strong>{item.code}</strong>
                      </Link>
                      <StatusTag status={item.status} t={t} />
                    </Space>
                    <div>{item.categoryName}</div>
                    <Typography.Paragraph ellipsis={{ rows: 2 }} className="pub-list-desc">
                      {item.description}
                    </Typography.Paragraph>
                    <div className="muted">
                      {formatDateTime(item.receivedAt)}
                      {item.unitName ? ` · ${item.unitName}` : ''}
                      {item.address ? ` · ${item.address}` : ''}
                    </div>
                  </div>
                </div>
              </Card>
            </List.Item>
          )}
        />
      )}
      <Pagination
        className="section-gap"
        size="small"
        current={page}
        pageSize={pageSize}
        total={data?.total ?? 0}
        onChange={(next, size) => {
          setPage(size !== pageSize ? 1 : next);
          setPageSize(size);
        }}
        showSizeChanger
        pageSizeOptions={[20, 50, 100]}
      />
    </div>
  );
}
