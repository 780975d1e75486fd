// Import a dossier file (.csv or .xlsx) under a source: upload → the header and first rows with the
// suggested column mapping, editable → a dry run with a progress bar that reports every bad row →
// the import with a progress bar → created / updated / unchanged / rejected.
import { ArrowLeftOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Result, Select, Space, Spin, Steps, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import type { ListResponse } from '../../types';
import { errorText, useApiError } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { DossiersNav } from './common';
import { CheckReport, ImportResult, MappingStep, RunProgress, type Sample } from './importSteps';
import { ImportStateTag } from './ImportsPage';
import type { ColumnMapping, DossierImport, ImportState, ImportUpload, Source } from './types';

const RUNNING: readonly ImportState[] = ['checking', 'importing'];
const POLL_MS = 1000;

/** The step an import is at: 0 file, 1 mapping, 2 dry run, 3 import, 4 result. */
function stepOf(run: DossierImport, editing: boolean): number {
  if (editing || run.state === 'uploaded') return 1;
  if (run.state === 'checking' || run.state === 'checked') return 2;
  if (run.state === 'importing') return 3;
  if (run.state === 'imported') return 4;
  return run.run === 'import' ? 3 : 2;
}

function UploadStep() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const showError = useApiError();
  const [sources, setSources] = useState<Source[]>([]);
  const [sourceId, setSourceId] = useState<number | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListResponse<Source>>('/dossiers/sources', { active: true, pageSize: 500, sort: 'name' }, controller.signal)
      .then((result) => {
        setSources(result.items);
        if (result.items.length === 1) setSourceId(result.items[0].id);
      })
      .catch((err) => {
        if (!controller.signal.aborted) showError(err);
      });
    return () => controller.abort();
  }, [showError]);

  const choose = (chosen: File) => {
    if (!/\.(csv|xlsx)$/i.test(chosen.name)) {
      setFileError(t('dos.imp.wrongType'));
      setFile(null);
    } else {
      setFileError(null);
      setFile(chosen);
    }
    return false;
  };

  const upload = async () => {
    if (!sourceId || !file) return;
    const body = new FormData();
    body.append('sourceId', String(sourceId));
    body.append('file', file);
    setBusy(true);
    try {
      const result = await api.post<ImportUpload>('/dossiers/imports', body);
      navigate(`/dossiers/imports/${result.import.id}`, { state: { sample: result.sample } });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card data-testid="dos-import-upload">
      <Form layout="vertical">
        <Form.Item label={t('dos.source')} required>
          <Select<number>
            value={sourceId}
            onChange={setSourceId}
            options={sources.map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))}
            placeholder={t('dos.imp.chooseSource')}
            className="filter-select-wide"
            data-testid="dos-import-source"
          />
        </Form.Item>
        <Form.Item label={t('dos.imp.file')} required validateStatus={fileError ? 'error' : undefined} help={fileError ?? t('dos.imp.fileHint')}>
          <div data-testid="dos-import-file">
            <Upload.Dragger accept=".csv,.xlsx" maxCount={1} beforeUpload={choose} fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []} onRemove={() => setFile(null)}>
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('dos.imp.drop')}</p>
            </Upload.Dragger>
          </div>
        </Form.Item>
        <Button type="primary" onClick={upload} loading={busy} disabled={!sourceId || !file} data-testid="dos-import-upload-submit">
          {t('dos.imp.upload')}
        </Button>
      </Form>
    </Card>
  );
}

export default function ImportPage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const location = useLocation();
  const showError = useApiError();
  const [run, setRun] = useState<DossierImport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [editing, setEditing] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const sample = ((location.state as { sample?: Sample } | null)?.sample ?? []) as Sample;
  const isNew = id === 'new';

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const next = await api.get<DossierImport>(`/dossiers/imports/${id}`, undefined, signal);
        setRun(next);
        setMapping((current) => current ?? next.mapping);
        setError(null);
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [id],
  );

  useEffect(() => {
    if (isNew) return;
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [isNew, load]);

  // While a run goes on, its progress is polled.
  const running = !!run && RUNNING.includes(run.state);
  useEffect(() => {
    if (!running) return;
    const controller = new AbortController();
    const timer = setInterval(() => void load(controller.signal), POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [running, load]);

  const start = async (mode: 'check' | 'import') => {
    if (!run || !mapping) return;
    setBusy(true);
    try {
      const body = mode === 'check' ? { mapping } : { mapping, skipInvalid };
      setRun(await api.post<DossierImport>(`/dossiers/imports/${run.id}/${mode === 'check' ? 'check' : 'run'}`, body));
      setEditing(false);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!run) return;
    try {
      setRun(await api.post<DossierImport>(`/dossiers/imports/${run.id}/cancel`));
    } catch (err) {
      showError(err);
    }
  };

  const header = (
    <>
      <DossiersNav />
      <PageHeader
        title={run ? `${t('dos.imp.title')}: ${run.fileName}` : t('dos.imp.new')}
        subtitle={run ? `${run.sourceName} · ${formatDateTime(run.createdAt)}${run.createdBy ? ` · ${run.createdBy}` : ''}` : t('dos.imp.subtitle')}
        extra={
          <Space wrap>
            {run && <ImportStateTag state={run.state} />}
            <Link to="/dossiers/imports">
              <Button icon={<ArrowLeftOutlined />}>{t('dos.imp.back')}</Button>
            </Link>
          </Space>
        }
      />
    </>
  );
  const steps = (current: number, failed = false) => (
    <Steps
      className="dos-import-steps"
      current={current}
      status={failed ? 'error' : current === 4 ? 'finish' : 'process'}
      items={[{ title: t('dos.imp.step.file') }, { title: t('dos.imp.step.mapping') }, { title: t('dos.imp.step.check') }, { title: t('dos.imp.step.import') }, { title: t('dos.imp.step.result') }]}
    />
  );

  if (isNew) {
    return (
      <div>
        {header}
        {steps(0)}
        <UploadStep />
      </div>
    );
  }
  if (error) {
    return <Result status={error instanceof ApiError && error.status === 404 ? '404' : 'error'} title={errorText(error, lang, t)} />;
  }
  if (!run || !mapping) {
    return (
      <div className="full-page-spin">
        <Spin size="large" />
      </div>
    );
  }

  const failed = run.state === 'failed' || run.state === 'cancelled';
  const current = stepOf(run, editing);
  const showMapping = current === 1 || (failed && run.run === 'check');
  const mayImport = (run.state === 'checked' || (failed && run.run === 'import')) && (run.rowsBad === 0 || skipInvalid);

  return (
    <div data-testid="dos-import" data-state={run.state}>
      {header}
      {steps(current, failed)}
      {failed && (
        <Alert
          type={run.state === 'failed' ? 'error' : 'warning'}
          showIcon
          className="section-gap-bottom"
          title={run.state === 'failed' ? (run.error ?? t('dos.imp.failed')) : t('dos.imp.cancelled')}
          description={run.run === 'import' ? t('dos.imp.nothingWritten') : undefined}
          data-testid="dos-import-error"
        />
      )}
      {showMapping && (
        <Card title={t('dos.imp.step.mapping')}>
          <MappingStep upload={run} mapping={mapping} sample={sample} onChange={setMapping} />
          <Space className="section-gap">
            <Button type="primary" onClick={() => start('check')} loading={busy} data-testid="dos-import-check">
              {t('dos.imp.runCheck')}
            </Button>
          </Space>
        </Card>
      )}
      {running && (
        <Card title={run.state === 'checking' ? t('dos.imp.checking') : t('dos.imp.importing')}>
          <RunProgress run={run} />
          <Button className="section-gap" onClick={cancel} data-testid="dos-import-cancel">
            {t('dos.imp.cancel')}
          </Button>
        </Card>
      )}
      {!showMapping && (run.state === 'checked' || (failed && run.run === 'import')) && (
        <Card title={t('dos.imp.checkReport')}>
          <CheckReport run={run} />
          <div className="section-gap">
            {run.rowsBad > 0 && (
              <Checkbox checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} data-testid="dos-import-skip">
                {t('dos.imp.skipInvalid', { n: run.rowsBad })}
              </Checkbox>
            )}
            <Typography.Paragraph type="secondary" className="section-gap">
              {run.rowsBad > 0 && !skipInvalid ? t('dos.imp.fixOrSkip') : t('dos.imp.importHint')}
            </Typography.Paragraph>
            <Space wrap>
              <Button onClick={() => setEditing(true)} data-testid="dos-import-remap">
                {t('dos.imp.editMapping')}
              </Button>
              <Button type="primary" disabled={!mayImport} loading={busy} onClick={() => start('import')} data-testid="dos-import-run">
                {t('dos.imp.runImport')}
              </Button>
            </Space>
          </div>
        </Card>
      )}
      {run.state === 'imported' && (
        <>
          <ImportResult run={run} />
          {run.problemsTotal > 0 && (
            <Card title={t('dos.imp.checkReport')} className="section-gap">
              <CheckReport run={run} />
            </Card>
          )}
        </>
      )}
    </div>
  );
}
