// The parts of the import screen: the column mapping with the file's first rows, the progress of a
// run, the dry run's totals with every bad row, and the import's result.
import { Alert, Card, Col, Progress, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { formatNumber } from '../../format';
import { type MessageKey, type Translate, useT } from '../../i18n';
import { DataTable } from '../../ui/DataTable';
import type { ColumnMapping, DossierField, DossierImport, ImportProblem } from './types';

export type Sample = { line: number; cells: string[] }[];

/** A number with its title; `data-value` carries it unformatted for tests. */
function Figure({ title, value, testId, danger }: { title: string; value: number; testId: string; danger?: boolean }) {
  return (
    <div data-testid={testId} data-value={value} className={danger ? 'dos-figure-danger' : undefined}>
      <Statistic title={title} value={value} formatter={(v) => formatNumber(Number(v))} />
    </div>
  );
}

/** The field each column feeds, editable: one select per field, with the file's first values beside it. */
export function MappingStep({ upload, mapping, sample, onChange }: { upload: DossierImport; mapping: ColumnMapping; sample: Sample; onChange: (mapping: ColumnMapping) => void }) {
  const t = useT();
  const columnOptions = upload.header.map((name, index) => ({ value: index, label: t('dos.imp.column', { n: index + 1, name: name || '—' }) }));
  const setColumn = (field: DossierField, column: number | undefined) => {
    const columns = { ...mapping.columns };
    if (column === undefined) delete columns[field];
    else columns[field] = column;
    onChange({ ...mapping, columns });
  };
  const missing = upload.fields.filter((f) => f.required && mapping.columns[f.field] === undefined);
  return (
    <div data-testid="dos-import-mapping">
      <Typography.Paragraph type="secondary">{t('dos.imp.mappingHint', { line: mapping.headerLine })}</Typography.Paragraph>
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="section-gap-bottom"
          title={t('dos.imp.mappingMissing', { fields: missing.map((f) => fieldLabel(t, f.field, f.label)).join(', ') })}
        />
      )}
      <Table
        size="small"
        pagination={false}
        rowKey="field"
        scroll={{ x: 'max-content' }}
        dataSource={upload.fields}
        columns={[
          {
            title: t('dos.imp.field'),
            key: 'field',
            render: (_, f) => (
              <span>
                {fieldLabel(t, f.field, f.label)}
                {f.required && <span className="dos-required"> *</span>}
              </span>
            ),
          },
          {
            title: t('dos.imp.fileColumn'),
            key: 'column',
            render: (_, f) => (
              <Select<number>
                allowClear={!f.required}
                value={mapping.columns[f.field]}
                onChange={(column) => setColumn(f.field, column)}
                options={columnOptions}
                placeholder={t('dos.imp.notMapped')}
                className="filter-select-wide"
                popupMatchSelectWidth={false}
                data-testid={`dos-import-map-${f.field}`}
              />
            ),
          },
          {
            title: t('dos.imp.sampleValues'),
            key: 'sample',
            render: (_, f) => {
              const column = mapping.columns[f.field];
              if (column === undefined) return null;
              return <span className="muted dos-sample">{sample.map((row) => row.cells[column] ?? '').filter(Boolean).slice(0, 3).join(' · ')}</span>;
            },
          },
        ]}
      />
      {sample.length > 0 && (
        <>
          <Typography.Title level={5} className="section-gap">
            {t('dos.imp.sample')}
          </Typography.Title>
          <Table
            size="small"
            pagination={false}
            bordered
            rowKey="line"
            scroll={{ x: 'max-content' }}
            dataSource={sample}
            data-testid="dos-import-sample"
            columns={[
              { title: t('dos.imp.line'), dataIndex: 'line', key: 'line', fixed: 'left' },
              ...upload.header.map((name, index) => ({
                title: name || `#${index + 1}`,
                key: String(index),
                render: (_: unknown, row: Sample[number]) => row.cells[index] ?? '',
              })),
            ]}
          />
        </>
      )}
    </div>
  );
}

export const fieldLabel = (t: Translate, field: string, fallback: string) => {
  const key = `dos.field.${field}` as MessageKey;
  const text = t(key);
  return text === key ? fallback : text;
};

/** A run's progress: the bytes read of the file, then the merge and the write. */
export function RunProgress({ run }: { run: DossierImport }) {
  const t = useT();
  const percent = run.bytesTotal > 0 ? Math.min(100, Math.floor((run.bytesRead / run.bytesTotal) * 100)) : 0;
  const phase = run.phase ? t(`dos.imp.phase.${run.phase}` as MessageKey) : '';
  return (
    <div data-testid="dos-import-progress">
      <Progress percent={run.phase === 'reading' || !run.phase ? percent : 100} status="active" />
      <Typography.Text type="secondary">
        {phase} · {t('dos.imp.rowsSoFar', { n: formatNumber(run.rowsRead) })}
      </Typography.Text>
    </div>
  );
}

/** The dry run's totals and every bad row (line, field, reason), exportable. */
export function CheckReport({ run }: { run: DossierImport }) {
  const t = useT();
  return (
    <div data-testid="dos-import-report">
      <Row gutter={[16, 16]} className="section-gap-bottom">
        <Col xs={12} md={6}>
          <Figure title={t('dos.imp.rowsRead')} value={run.rowsRead} testId="dos-import-rows" />
        </Col>
        <Col xs={12} md={6}>
          <Figure title={t('dos.imp.rowsOk')} value={run.rowsOk} testId="dos-import-ok" />
        </Col>
        <Col xs={12} md={6}>
          <Figure title={t('dos.imp.rowsBad')} value={run.rowsBad} testId="dos-import-bad" danger={run.rowsBad > 0} />
        </Col>
        <Col xs={12} md={6}>
          <Figure title={t('dos.imp.rowsWarned')} value={run.rowsWarned} testId="dos-import-warned" />
        </Col>
      </Row>
      {run.problemsTotal > run.problemsKept && <Alert type="info" showIcon className="section-gap-bottom" title={t('dos.imp.problemsCut', { kept: formatNumber(run.problemsKept), total: formatNumber(run.problemsTotal) })} />}
      {run.problemsTotal > 0 ? <ProblemsTable run={run} /> : <Alert type="success" showIcon title={t('dos.imp.noProblem')} />}
    </div>
  );
}

function ProblemsTable({ run }: { run: DossierImport }) {
  const t = useT();
  return (
    <DataTable<ImportProblem>
      key={`${run.id}-${run.finishedAt}`}
      path={`/dossiers/imports/${run.id}/problems`}
      rowKey={(p) => `${p.line}-${p.field}-${p.code}-${p.message}`}
      testId="dos-import-problems"
      defaultSort="line"
      searchPlaceholder={t('dos.imp.searchProblems')}
      columns={[
        { title: t('dos.imp.line'), dataIndex: 'line', key: 'line', sorter: true, defaultSortOrder: 'ascend', render: (line: number | null) => (line === null ? '' : <strong data-testid="dos-problem-line">{line}</strong>) },
        {
          title: t('dos.imp.field'),
          dataIndex: 'field',
          key: 'field',
          sorter: true,
          render: (field: string | null, p) => (field ? fieldLabel(t, field, p.fieldLabel ?? field) : ''),
        },
        {
          title: t('dos.imp.reason'),
          dataIndex: 'message',
          key: 'message',
          render: (message: string, p) => (
            <div className="dos-cell-text" data-testid="dos-problem-message">
              {message}
              {p.otherLine !== null && <div className="muted">{t('dos.imp.otherLine', { line: p.otherLine })}</div>}
            </div>
          ),
        },
        {
          title: t('dos.imp.severity'),
          dataIndex: 'severity',
          key: 'severity',
          sorter: true,
          render: (severity: string) => <Tag color={severity === 'error' ? 'red' : 'gold'}>{t(severity === 'error' ? 'dos.imp.error' : 'dos.imp.warning')}</Tag>,
        },
      ]}
    />
  );
}

/** The import's outcome: created, updated, unchanged, rejected. */
export function ImportResult({ run }: { run: DossierImport }) {
  const t = useT();
  const figures: [MessageKey, number, string][] = [
    ['dos.imp.created', run.rowsCreated, 'created'],
    ['dos.imp.updated', run.rowsUpdated, 'updated'],
    ['dos.imp.unchanged', run.rowsUnchanged, 'unchanged'],
    ['dos.imp.rejected', run.rowsBad, 'rejected'],
  ];
  return (
    <Card data-testid="dos-import-result">
      <Row gutter={[16, 16]}>
        {figures.map(([label, value, key]) => (
          <Col xs={12} md={6} key={key}>
            <Figure title={t(label)} value={value} testId={`dos-import-${key}`} danger={key === 'rejected' && value > 0} />
          </Col>
        ))}
      </Row>
      <Typography.Paragraph className="section-gap">
        <Link to="/dossiers/list" data-testid="dos-import-dossiers">
          {t('dos.imp.seeDossiers')}
        </Link>
      </Typography.Paragraph>
    </Card>
  );
}
