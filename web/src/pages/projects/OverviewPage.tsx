// The province view (tổng hợp dự án trọng điểm): every key project in scope with its disbursement,
// physical progress, clearance rate and overdue obstacles; the totals, a map, and the list.
import { FileExcelOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Select, Space, Statistic, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { downloadXlsx } from '../../api';
import { useAuth } from '../../auth';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { DataTable } from '../../ui/DataTable';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { useApiGet } from '../../ui/useApiGet';
import { RateBar, StatusTag, formatBillions, statusKey } from './common';
import { ProjectFormModal } from './forms/ProjectFormModal';
import { ProjectMap } from './ProjectMap';
import { type Overview, PROJECT_STATUSES, type Project, type ProjectStatus } from './types';

export default function OverviewPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [unitId, setUnitId] = useState<number | null>(null);
  const [status, setStatus] = useState<ProjectStatus | null>(null);
  const [creating, setCreating] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  // The unit chosen in the header, unless one is picked here.
  const { filterUnitId } = useOrgUnits();
  const canCreate = !!user?.grants.some((g) => g.role === 'leader' || g.role === 'operator');
  const params = { unitId: unitId ?? filterUnitId ?? undefined, status: status ?? undefined };

  const { data: overview, error } = useApiGet<Overview>('/projects/overview', params, { keepPrevious: true, reloadKey });

  const totals = overview?.totals;
  const mapProjects = useMemo(() => (overview?.items ?? []).map((p) => ({ id: p.id, label: `${p.code} · ${p.name}`, status: p.status, location: p.location })), [overview]);

  const columns: ColumnsType<Project> = [
    { title: t('pj.code'), dataIndex: 'code', key: 'code', sorter: true, width: 120 },
    { title: t('pj.name'), dataIndex: 'name', key: 'name', sorter: true, render: (_, p) => <Link to={`/projects/${p.id}`} data-testid={`pj-row-${p.code}`}>{p.name}</Link> },
    { title: t('pj.managingUnit'), key: 'unit', render: (_, p) => p.managingUnit.name },
    { title: t('pj.status'), dataIndex: 'status', key: 'status', sorter: true, render: (_, p) => <StatusTag status={p.status} /> },
    { title: t('pj.totalCapitalBillions'), dataIndex: 'totalCapital', key: 'totalCapital', sorter: true, align: 'right', render: (_, p) => formatBillions(p.totalCapital) },
    { title: t('pj.disbursementRate'), key: 'disbursementRate', sorter: true, render: (_, p) => <RateBar value={p.figures.disbursementRate} /> },
    { title: t('pj.physicalProgress'), key: 'physicalProgress', sorter: true, render: (_, p) => <RateBar value={p.figures.physicalProgress} /> },
    { title: t('pj.clearanceRate'), key: 'clearanceRate', sorter: true, render: (_, p) => <RateBar value={p.figures.clearanceRate} /> },
    {
      title: t('pj.obstaclesOverdue'),
      key: 'overdue',
      align: 'center',
      render: (_, p) => (p.figures.obstaclesOverdue ? <Tag color="error" icon={<WarningOutlined />}>{p.figures.obstaclesOverdue}</Tag> : <span className="pj-none">0</span>),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('pj.title')}
        subtitle={t('pj.subtitle')}
        extra={
          <Space wrap>
            <Button icon={<FileExcelOutlined />} onClick={() => downloadXlsx('/projects/overview', params)} data-testid="pj-overview-export">
              {t('pj.exportOverview')}
            </Button>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="pj-create">
                {t('pj.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgUnitPicker value={unitId} onChange={setUnitId} allowClear placeholder={t('pj.filter.unit')} className="pj-filter" testId="pj-filter-unit" />
        <Select<ProjectStatus>
          allowClear
          placeholder={t('pj.filter.status')}
          value={status ?? undefined}
          onChange={(v) => setStatus(v ?? null)}
          options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
          style={{ minWidth: 180 }}
          data-testid="pj-filter-status"
        />
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {totals && (
        <Row gutter={[16, 16]} className="pj-totals" style={{ marginBottom: 16 }} data-testid="pj-totals">
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic title={t('pj.total.projects')} value={totals.projects} />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic title={t('pj.totalCapitalBillions')} value={formatBillions(totals.totalCapital)} />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small" title={t('pj.disbursementRate')}>
              <RateBar value={totals.disbursementRate} testId="pj-total-disbursement" />
              <small>{t('pj.disbursedOf', { disbursed: formatBillions(totals.disbursed), total: formatBillions(totals.totalCapital) })}</small>
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small" title={t('pj.physicalProgress')}>
              <RateBar value={totals.physicalProgress} testId="pj-total-physical" />
              <small>{t('pj.lengthKm', { km: formatNumber(totals.segmentsLengthKm) })}</small>
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small" title={t('pj.clearanceRate')}>
              <RateBar value={totals.clearanceRate} testId="pj-total-clearance" />
              <small>{t('pj.householdsAgreed', { agreed: formatNumber(totals.agreedHouseholds), affected: formatNumber(totals.affectedHouseholds) })}</small>
            </Card>
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic
                title={t('pj.obstaclesOverdue')}
                value={totals.obstaclesOverdue}
                suffix={`/ ${totals.obstaclesOpen}`}
                valueStyle={totals.obstaclesOverdue ? { color: '#cf1322' } : undefined}
              />
            </Card>
          </Col>
        </Row>
      )}
      <Card size="small" title={t('pj.map')} style={{ marginBottom: 16 }}>
        <ProjectMap projects={mapProjects} onSelect={(id) => navigate(`/projects/${id}`)} testId="pj-map" />
      </Card>
      <DataTable<Project>
        path="/projects"
        params={params}
        columns={columns}
        rowKey="id"
        reloadKey={reloadKey}
        searchPlaceholder={t('pj.search')}
        defaultSort="code"
        testId="pj-list"
      />
      <ProjectFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(p) => {
          setCreating(false);
          setReloadKey((k) => k + 1);
          navigate(`/projects/${p.id}`);
        }}
      />
    </>
  );
}
