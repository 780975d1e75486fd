// Import units from .csv/.xlsx: a dry run first shows every row error, then the real import.
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { formatNumber } from '../../format';
import { useT } from '../../i18n';
import type { OrgUnitImportResult } from '../../types';
import { useApiError } from '../../ui/errors';

const COLUMNS = 'code,name,kind,parentCode,lat,lng';
const MAX_BYTES = 10 * 1024 * 1024;

interface Props {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}

function downloadTemplate() {
  const sample = `${COLUMNS}\nXA01,Xã Mẫu,commune,CL,21.13,106.39\n`;
  // BOM so Excel opens the UTF-8 Vietnamese text correctly.
  const url = URL.createObjectURL(new Blob(['\uFEFF', sample], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'don-vi-mau.csv';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function OrgUnitImportModal({ open, onClose, onImported }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<OrgUnitImportResult | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setFile(null);
    setResult(null);
    setFileError(null);
  };

  const chooseFile = (chosen: File) => {
    setResult(null);
    if (!/\.(csv|xlsx)$/i.test(chosen.name)) {
      setFileError(t('import.wrongType'));
      setFile(null);
    } else if (chosen.size > MAX_BYTES) {
      setFileError(t('import.tooLarge', { mb: 10 }));
      setFile(null);
    } else {
      setFileError(null);
      setFile(chosen);
    }
    return false; // keep the file here; it is sent on "Kiểm tra" / "Nhập"
  };

  const run = async (dryRun: boolean) => {
    if (!file) {
      setFileError(t('import.chooseFile'));
      return;
    }
    const body = new FormData();
    body.append('file', file);
    setBusy(true);
    try {
      const outcome = await api.post<OrgUnitImportResult>('/org-units/import', body, { dryRun });
      setResult(outcome);
      if (!dryRun && outcome.errors.length === 0) {
        message.success(
          t('import.done', { created: formatNumber(outcome.created), updated: formatNumber(outcome.updated) }),
        );
        reset();
        onImported();
      }
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  const canImport = !!file && !!result?.dryRun && result.errors.length === 0;

  return (
    <Modal
      open={open}
      title={t('import.title')}
      onCancel={() => {
        reset();
        onClose();
      }}
      width={720}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={() => run(true)} loading={busy && !canImport} disabled={!file} data-testid="org-unit-import-dry-run">
            {t('import.dryRun')}
          </Button>
          <Button type="primary" onClick={() => run(false)} loading={busy && canImport} disabled={!canImport} data-testid="org-unit-import-submit">
            {t('import.submit')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph>
        {t('import.hint')} <Typography.Text code>{COLUMNS}</Typography.Text>{' '}
        <Button type="link" size="small" icon={<DownloadOutlined />} onClick={downloadTemplate}>
          {t('import.template')}
        </Button>
      </Typography.Paragraph>
      <div data-testid="org-unit-import-file">
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={chooseFile}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          onRemove={() => reset()}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t('import.drop')}</p>
        </Upload.Dragger>
      </div>
      {fileError && <Alert className="section-gap" type="error" showIcon title={fileError} />}
      {result && <ImportResult result={result} />}
    </Modal>
  );
}

function ImportResult({ result }: { result: OrgUnitImportResult }) {
  const t = useT();
  const counts = {
    total: formatNumber(result.total),
    created: formatNumber(result.created),
    updated: formatNumber(result.updated),
    errors: formatNumber(result.errors.length),
  };
  if (result.errors.length === 0) {
    return (
      <Alert
        className="section-gap"
        type="success"
        showIcon
        title={result.dryRun ? t('import.dryRunOk', counts) : t('import.doneSummary', counts)}
        data-testid="org-unit-import-result"
      />
    );
  }
  return (
    <div className="section-gap" data-testid="org-unit-import-result">
      <Alert type="error" showIcon title={t('import.hasErrors', counts)} />
      <Table
        className="section-gap"
        size="small"
        rowKey={(row) => `${row.row}-${row.message}`}
        dataSource={result.errors}
        pagination={result.errors.length > 10 ? { pageSize: 10 } : false}
        columns={[
          { title: t('import.row'), dataIndex: 'row', width: 80 },
          { title: t('import.error'), dataIndex: 'message' },
        ]}
      />
    </div>
  );
}
