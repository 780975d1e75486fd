// Before/after of one audit entry: the changed fields side by side, and the raw JSON.
import { Col, Row, Table, Typography } from 'antd';
import { useT } from '../../i18n';
import type { AuditEntry } from '../../types';

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const left = isRecord(before) ? before : {};
  const right = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(left), ...Object.keys(right)])];
  return fields.map((field) => ({
    field,
    before: left[field],
    after: right[field],
    changed: JSON.stringify(left[field]) !== JSON.stringify(right[field]),
  }));
}

export function AuditDiff({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const rows = diffRows(entry.before, entry.after);
  const structured = isRecord(entry.before) || isRecord(entry.after);
  return (
    <div className="audit-diff" data-testid={`audit-diff-${entry.id}`}>
      {structured && (
        <Table<DiffRow>
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          rowClassName={(row) => (row.changed ? 'diff-changed' : '')}
          columns={[
            { title: t('audit.field'), dataIndex: 'field', width: 200 },
            {
              title: t('audit.before'),
              dataIndex: 'before',
              render: (value: unknown, row) => <span className={row.changed ? 'diff-old' : ''}>{show(value)}</span>,
            },
            {
              title: t('audit.after'),
              dataIndex: 'after',
              render: (value: unknown, row) => <span className={row.changed ? 'diff-new' : ''}>{show(value)}</span>,
            },
          ]}
        />
      )}
      <Row gutter={12} className="section-gap">
        <Col span={12}>
          <Typography.Text strong>{t('audit.before')}</Typography.Text>
          <pre className="json-block">{entry.before === null ? '—' : JSON.stringify(entry.before, null, 2)}</pre>
        </Col>
        <Col span={12}>
          <Typography.Text strong>{t('audit.after')}</Typography.Text>
          <pre className="json-block">{entry.after === null ? '—' : JSON.stringify(entry.after, null, 2)}</pre>
        </Col>
      </Row>
    </div>
  );
}
