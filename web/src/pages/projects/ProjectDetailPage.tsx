// One key project: its figures, map, segments and their progress, capital disbursed, site clearance
// per commune, obstacles with their tasks, milestones and photos by date; forms for every entry.
import { DeleteOutlined, EditOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Image, Popconfirm, Row, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api';
import { formatDate, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { errorText } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { RateBar, StatusTag, formatBillions } from './common';
import { DisbursementChart, periodLabel } from './DisbursementChart';
import { ClearanceFormModal, ObstacleFormModal, PhotoUploadModal, ResolveObstacleModal } from './forms/ClearanceForms';
import { DisbursementFormModal, MilestoneFormModal, ProgressFormModal, SegmentFormModal } from './forms/EntryForms';
import { ProjectFormModal } from './forms/ProjectFormModal';
import { ProjectMap } from './ProjectMap';
import type { Clearance, Milestone, Obstacle, ProjectDetail, Segment } from './types';

type Dialog =
  | { kind: 'project' }
  | { kind: 'segment'; segment?: Segment }
  | { kind: 'progress'; segment: Segment }
  | { kind: 'disbursement' }
  | { kind: 'milestone'; milestone?: Milestone }
  | { kind: 'clearance'; clearance?: Clearance }
  | { kind: 'obstacle' }
  | { kind: 'resolve'; obstacle: Obstacle }
  | { kind: 'photo' }
  | null;

/** The editors' column of a table (buttons for a row), for those who may edit. */
function editColumn<T>(edit: boolean, render: (row: T) => ReactNode) {
  return edit ? [{ title: '', key: 'actions', render: (_: unknown, row: T) => render(row) }] : [];
}

export default function ProjectDetailPage() {
  const { id } = useParams();
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [project, setProject] = useState<ProjectDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const load = useCallback(() => {
    api
      .get<ProjectDetail>(`/projects/${id}`)
      .then((p) => {
        setProject(p);
        setError(null);
      })
      .catch((e) => setError(errorText(e, lang, t)));
  }, [id, lang, t]);
  useEffect(load, [load]);

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!project) return <Spin />;
  const p = project;
  const edit = p.can.edit;
  const close = () => setDialog(null);
  const saved = (next: ProjectDetail) => {
    setProject(next);
    setDialog(null);
  };
  const entry = { open: true, projectId: p.id, onClose: close, onSaved: saved };
  const addButton = (label: string, open: Dialog, testId: string) =>
    edit && (
      <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog(open)} data-testid={testId}>
        {label}
      </Button>
    );

  /** Deletes an entry (`path` under the project) and shows the project as it then is. */
  const remove = async (path: string) => {
    try {
      setProject(await api.delete<ProjectDetail>(`/projects/${p.id}/${path}`));
    } catch (e) {
      message.error(errorText(e, lang, t));
    }
  };
  const deleteButton = (confirm: string, path: string, testId: string) => (
    <Popconfirm title={confirm} onConfirm={() => remove(path)}>
      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid={testId} />
    </Popconfirm>
  );

  const editButton = (open: Dialog) => <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setDialog(open)} aria-label={t('common.edit')} />;

  const deleteProject = async () => {
    try {
      await api.delete(`/projects/${p.id}`);
      navigate('/projects');
    } catch (e) {
      message.error(errorText(e, lang, t));
    }
  };

  const photosByDay = new Map<string, typeof p.photos>();
  for (const photo of p.photos) photosByDay.set(photo.takenOn, [...(photosByDay.get(photo.takenOn) ?? []), photo]);

  return (
    <>
      <PageHeader
        title={`${p.code} · ${p.name}`}
        subtitle={
          <Space wrap>
            <StatusTag status={p.status} />
            <span>{p.managingUnit.name}</span>
            <Link to="/projects">{t('pj.backToOverview')}</Link>
          </Space>
        }
        extra={
          edit && (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => setDialog({ kind: 'project' })} data-testid="pj-edit">
                {t('pj.edit')}
              </Button>
              <Popconfirm title={t('pj.deleteConfirm')} onConfirm={deleteProject}>
                <Button danger icon={<DeleteOutlined />} data-testid="pj-delete">
                  {t('pj.delete')}
                </Button>
              </Popconfirm>
            </Space>
          )
        }
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={12}>
          <Card size="small" data-testid="pj-figures">
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('pj.investor')}>{p.investor}</Descriptions.Item>
              <Descriptions.Item label={t('pj.totalCapitalBillions')}>
                {formatBillions(p.totalCapital)}
                {p.capitalSources.length > 0 && (
                  <div>
                    {p.capitalSources.map((s) => (
                      <Tag key={s.source}>
                        {s.source}: {formatBillions(s.amount)}
                      </Tag>
                    ))}
                  </div>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('pj.period')}>
                {formatDate(p.startOn)} – {formatDate(p.endOn)}
              </Descriptions.Item>
              <Descriptions.Item label={t('pj.disbursementRate')}>
                <RateBar value={p.figures.disbursementRate} testId="pj-detail-disbursement" />
              </Descriptions.Item>
              <Descriptions.Item label={t('pj.physicalProgress')}>
                <RateBar value={p.figures.physicalProgress} testId="pj-detail-physical" />
              </Descriptions.Item>
              <Descriptions.Item label={t('pj.clearanceRate')}>
                <RateBar value={p.figures.clearanceRate} testId="pj-detail-clearance" />
              </Descriptions.Item>
              <Descriptions.Item label={t('pj.obstaclesOverdue')}>
                {p.figures.obstaclesOverdue ? <Tag color="error">{p.figures.obstaclesOverdue}</Tag> : 0} / {p.figures.obstaclesOpen}
              </Descriptions.Item>
            </Descriptions>
            {p.description && <Typography.Paragraph style={{ marginTop: 8 }}>{p.description}</Typography.Paragraph>}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <ProjectMap projects={[{ id: p.id, label: p.name, status: p.status, location: p.location }]} height={300} testId="pj-detail-map" />
        </Col>
      </Row>
      <Tabs
        items={[
          {
            key: 'segments',
            label: t('pj.tab.segments'),
            children: (
              <Card size="small" title={t('pj.segmentsOf', { km: formatNumber(p.figures.segmentsLengthKm) })} extra={addButton(t('pj.segment.add'), { kind: 'segment' }, 'pj-add-segment')}>
                <Table<Segment>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.segments}
                  data-testid="pj-segments"
                  expandable={{
                    rowExpandable: (s) => s.entries.length > 0,
                    expandedRowRender: (s) => (
                      <Table
                        rowKey="id"
                        size="small"
                        pagination={false}
                        dataSource={[...s.entries].reverse()}
                        columns={[
                          { title: t('pj.progress.onDate'), dataIndex: 'onDate', render: formatDate },
                          { title: t('pj.progress.percent'), dataIndex: 'percent', render: (v: number) => `${formatNumber(v)}%` },
                          { title: t('pj.note'), dataIndex: 'note' },
                          ...editColumn(edit, (e: { id: number }) =>
                                    deleteButton(t('pj.progress.deleteConfirm'), `segments/${s.id}/progress/${e.id}`, `pj-progress-delete-${e.id}`)),
                        ]}
                      />
                    ),
                  }}
                  columns={[
                    { title: t('pj.segment.name'), dataIndex: 'name' },
                    { title: t('pj.segment.lengthKm'), dataIndex: 'lengthKm', align: 'right', render: (v: number) => formatNumber(v) },
                    { title: t('pj.commune'), key: 'commune', render: (_, s) => s.commune?.name ?? '' },
                    { title: t('pj.progress.percent'), key: 'progress', render: (_, s) => <RateBar value={s.progress} /> },
                    { title: t('pj.progress.onDate'), dataIndex: 'progressOn', render: formatDate },
                    ...editColumn(edit, (s: Segment) => (
                              <Space>
                                <Button size="small" onClick={() => setDialog({ kind: 'progress', segment: s })} data-testid={`pj-progress-${s.id}`}>
                                  {t('pj.progress.enter')}
                                </Button>
                                {editButton({ kind: 'segment', segment: s })}
                                {deleteButton(t('pj.segment.deleteConfirm'), `segments/${s.id}`, `pj-segment-delete-${s.id}`)}
                              </Space>
                            )),
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'capital',
            label: t('pj.tab.capital'),
            children: (
              <Card size="small" title={t('pj.disbursedOf', { disbursed: formatBillions(p.figures.disbursed), total: formatBillions(p.totalCapital) })} extra={addButton(t('pj.disbursement.add'), { kind: 'disbursement' }, 'pj-add-disbursement')}>
                <DisbursementChart disbursements={p.disbursements} totalCapital={p.totalCapital} />
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.disbursements}
                  data-testid="pj-disbursements"
                  columns={[
                    { title: t('pj.disbursement.period'), key: 'period', render: (_, d) => periodLabel(d) },
                    { title: t('pj.form.amountDong'), dataIndex: 'amount', align: 'right', render: (v: number) => formatNumber(v) },
                    { title: t('pj.disbursement.cumulative'), dataIndex: 'cumulative', align: 'right', render: (v: number) => formatNumber(v) },
                    { title: t('pj.note'), dataIndex: 'note' },
                    ...editColumn(edit, (d: { id: number }) => deleteButton(t('pj.disbursement.deleteConfirm'), `disbursements/${d.id}`, `pj-disbursement-delete-${d.id}`)),
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'clearance',
            label: t('pj.tab.clearance'),
            children: (
              <Card size="small" title={t('pj.clearanceRate')} extra={addButton(t('pj.clearance.add'), { kind: 'clearance' }, 'pj-add-clearance')}>
                <Table<Clearance>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.clearances}
                  data-testid="pj-clearances"
                  scroll={{ x: true }}
                  columns={[
                    { title: t('pj.commune'), key: 'commune', render: (_, c) => c.commune.name },
                    { title: t('pj.clearance.households'), key: 'households', render: (_, c) => `${formatNumber(c.agreedHouseholds)} / ${formatNumber(c.affectedHouseholds)}` },
                    { title: t('pj.clearance.area'), key: 'area', render: (_, c) => `${formatNumber(c.handedOverAreaM2)} / ${formatNumber(c.affectedAreaM2)} m²` },
                    { title: t('pj.clearance.rate'), key: 'rate', render: (_, c) => <RateBar value={c.handedOverRate} /> },
                    { title: t('pj.clearance.compensation'), key: 'money', render: (_, c) => `${formatNumber(c.compensationPaid)} / ${formatNumber(c.compensationApproved)} đ` },
                    { title: t('pj.note'), dataIndex: 'note' },
                    ...editColumn(edit, (c: Clearance) => (
                              <Space>
                                {editButton({ kind: 'clearance', clearance: c })}
                                {deleteButton(t('pj.clearance.deleteConfirm'), `clearances/${c.commune.id}`, `pj-clearance-delete-${c.commune.id}`)}
                              </Space>
                            )),
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'obstacles',
            label: (
              <span>
                {t('pj.tab.obstacles')} {p.figures.obstaclesOverdue > 0 && <WarningOutlined style={{ color: '#cf1322' }} />}
              </span>
            ),
            children: (
              <Card size="small" title={t('pj.tab.obstacles')} extra={addButton(t('pj.obstacle.add'), { kind: 'obstacle' }, 'pj-add-obstacle')}>
                <Table<Obstacle>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.obstacles}
                  data-testid="pj-obstacles"
                  columns={[
                    { title: t('pj.obstacle.description'), dataIndex: 'description' },
                    { title: t('pj.commune'), key: 'commune', render: (_, o) => o.commune?.name ?? '' },
                    { title: t('pj.obstacle.responsibleUnit'), key: 'unit', render: (_, o) => o.responsibleUnit.name },
                    { title: t('pj.obstacle.dueOn'), dataIndex: 'dueOn', render: formatDate },
                    {
                      title: t('pj.status'),
                      key: 'status',
                      render: (_, o) =>
                        o.status === 'resolved' ? <Tag color="success">{t('pj.obstacle.resolved')}</Tag> : o.overdue ? <Tag color="error">{t('pj.obstacle.overdue')}</Tag> : <Tag color="processing">{t('pj.obstacle.open')}</Tag>,
                    },
                    {
                      title: t('pj.obstacle.task'),
                      key: 'task',
                      render: (_, o) => (o.task ? <Link to={`/tasks/${o.task.id}`} data-testid={`pj-obstacle-task-${o.id}`}>{`${o.task.code} · ${formatNumber(o.task.progress)}%`}</Link> : ''),
                    },
                    ...editColumn(edit, (o: Obstacle) => (
                              <Space>
                                {o.status === 'open' && (
                                  <Button size="small" onClick={() => setDialog({ kind: 'resolve', obstacle: o })}>
                                    {t('pj.obstacle.resolve')}
                                  </Button>
                                )}
                                {o.task?.status !== 'completed' && deleteButton(t('pj.obstacle.deleteConfirm'), `obstacles/${o.id}`, `pj-obstacle-delete-${o.id}`)}
                              </Space>
                            )),
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'milestones',
            label: t('pj.tab.milestones'),
            children: (
              <Card size="small" title={t('pj.tab.milestones')} extra={addButton(t('pj.milestone.add'), { kind: 'milestone' }, 'pj-add-milestone')}>
                <Table<Milestone>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.milestones}
                  data-testid="pj-milestones"
                  columns={[
                    { title: t('pj.milestone.name'), dataIndex: 'name' },
                    { title: t('pj.milestone.plannedOn'), dataIndex: 'plannedOn', render: formatDate },
                    {
                      title: t('pj.milestone.actualOn'),
                      key: 'actual',
                      render: (_, m) => (m.actualOn ? <Tag color={m.actualOn <= m.plannedOn ? 'success' : 'warning'}>{formatDate(m.actualOn)}</Tag> : ''),
                    },
                    { title: t('pj.note'), dataIndex: 'note' },
                    ...editColumn(edit, (m: Milestone) => (
                              <Space>
                                {editButton({ kind: 'milestone', milestone: m })}
                                {deleteButton(t('pj.milestone.deleteConfirm'), `milestones/${m.id}`, `pj-milestone-delete-${m.id}`)}
                              </Space>
                            )),
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'photos',
            label: t('pj.tab.photos'),
            children: (
              <Card size="small" title={t('pj.tab.photos')} extra={addButton(t('pj.photo.add'), { kind: 'photo' }, 'pj-add-photo')}>
                {photosByDay.size === 0 && <Empty description={t('pj.photo.none')} />}
                {[...photosByDay.entries()].map(([day, photos]) => (
                  <div key={day} className="pj-photo-day">
                    <Typography.Title level={5}>{formatDate(day)}</Typography.Title>
                    <Image.PreviewGroup>
                      <Space wrap>
                        {photos.map((photo) => (
                          <Image key={photo.id} src={photo.url} width={160} height={120} alt={photo.caption ?? ''} title={photo.caption ?? ''} />
                        ))}
                      </Space>
                    </Image.PreviewGroup>
                  </div>
                ))}
              </Card>
            ),
          },
        ]}
      />
      {dialog?.kind === 'project' && <ProjectFormModal open project={p} onClose={close} onSaved={saved} />}
      {dialog?.kind === 'segment' && <SegmentFormModal {...entry} segment={dialog.segment} />}
      {dialog?.kind === 'progress' && <ProgressFormModal {...entry} segment={dialog.segment} />}
      {dialog?.kind === 'disbursement' && <DisbursementFormModal {...entry} remaining={p.totalCapital - p.figures.disbursed} />}
      {dialog?.kind === 'milestone' && <MilestoneFormModal {...entry} milestone={dialog.milestone} />}
      {dialog?.kind === 'clearance' && <ClearanceFormModal {...entry} clearance={dialog.clearance} />}
      {dialog?.kind === 'obstacle' && <ObstacleFormModal {...entry} />}
      {dialog?.kind === 'resolve' && <ResolveObstacleModal {...entry} obstacle={dialog.obstacle} />}
      {dialog?.kind === 'photo' && <PhotoUploadModal {...entry} segments={p.segments} />}
    </>
  );
}
