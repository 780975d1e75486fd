// The past imports of dossier files, newest first, and the way to a new one.
import { UploadOutlined } from '@ant-design/icons';
import { Button, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { formatDateTime, formatNumber } from '../../format';
import { type MessageKey, useT } from '../../i18n';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { DossiersNav } from './common';
import type { DossierImport, ImportState } from './types';

export const IMPORT_STATE_COLORS: Record<ImportState, string> = {
  uploaded: 'default',
  checking: 'processing',
  checked: 'cyan',
  importing: 'processing',
  imported: 'green',
  failed: 'red',
  cancelled: 'default',
};

export function ImportStateTag({ state }: { state: ImportState }) {
  const t = useT();
  return (
    <Tag color={IMPORT_STATE_COLORS[state]} data-testid="dos-import-state" data-state={state}>
      {t(`dos.imp.state.${state}` as MessageKey)}
    </Tag>
  );
}

const number = (value: number) => formatNumber(value);

export default function ImportsPage() {
  const t = useT();
  return (
    <div>
      <DossiersNav />
      <PageHeader
        title={t('dos.imp.title')}
        subtitle={t('dos.imp.subtitle')}
        extra={
          <Link to="/dossiers/imports/new">
            <Button type="primary" icon={<UploadOutlined />} data-testid="dos-import-new">
              {t('dos.imp.new')}
            </Button>
          </Link>
        }
      />
      <DataTable<DossierImport>
        path="/dossiers/imports"
        rowKey="id"
        testId="dos-imports"
        defaultSort="-createdAt"
        searchPlaceholder={t('dos.imp.search')}
        columns={[
          {
            title: t('dos.imp.createdAt'),
            dataIndex: 'createdAt',
            key: 'createdAt',
            sorter: true,
            defaultSortOrder: 'descend',
            render: formatDateTime,
          },
          {
            title: t('dos.imp.file'),
            dataIndex: 'fileName',
            key: 'fileName',
            sorter: true,
            render: (name: string, row) => (
              <Link to={`/dossiers/imports/${row.id}`} data-testid={`dos-import-row-${row.id}`}>
                {name}
              </Link>
            ),
          },
          { title: t('dos.source'), dataIndex: 'sourceName', key: 'sourceName' },
          { title: t('dos.imp.state'), dataIndex: 'state', key: 'state', sorter: true, render: (state: ImportState) => <ImportStateTag state={state} /> },
          { title: t('dos.imp.rowsRead'), dataIndex: 'rowsRead', key: 'rowsRead', align: 'right', render: number },
          { title: t('dos.imp.created'), dataIndex: 'rowsCreated', key: 'rowsCreated', align: 'right', render: number },
          { title: t('dos.imp.updated'), dataIndex: 'rowsUpdated', key: 'rowsUpdated', align: 'right', render: number },
          { title: t('dos.imp.unchanged'), dataIndex: 'rowsUnchanged', key: 'rowsUnchanged', align: 'right', render: number },
          { title: t('dos.imp.rejected'), dataIndex: 'rowsBad', key: 'rowsBad', align: 'right', render: number },
          { title: t('dos.imp.createdBy'), dataIndex: 'createdBy', key: 'createdBy' },
          { title: t('dos.imp.finishedAt'), dataIndex: 'finishedAt', key: 'finishedAt', sorter: true, render: formatDateTime },
        ]}
      />
    </div>
  );
}
