// Files on a progress report: each is sent as soon as it is chosen (checked for type and size here
// first, by content on the server), and the report then lists the stored files; the report's files
// are shown as download links.
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload, type UploadFile } from 'antd';
import type { RuleObject } from 'antd/es/form';
import { api } from '../../api';
import { type Translate, useT } from '../../i18n';
import { useApiError } from '../../ui/errors';
import type { TaskReport, UploadedFile } from './types';

export const REPORT_FILES_MAX = 5;
export const REPORT_FILE_MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = '.pdf,.docx,.xlsx,.jpg,.jpeg,.png';
const EXTENSIONS = ACCEPT.split(',');

export type ReportUpload = UploadFile<UploadedFile>;

/** The files to list in the report body; only those the server stored. */
export const uploadedFiles = (list: ReportUpload[] | undefined) =>
  (list ?? []).flatMap((f) => (f.status === 'done' && f.response ? [{ key: f.response.key, name: f.response.name }] : []));

/** Refuses to send the report while a file is still on its way or failed. */
export const reportFilesRule = (t: Translate): RuleObject => ({
  validator: async (_, list: ReportUpload[] | undefined) => {
    if ((list ?? []).some((f) => f.status === 'uploading')) throw new Error(t('task.report.filesUploading'));
    if ((list ?? []).some((f) => f.status === 'error')) throw new Error(t('task.report.filesFailed'));
  },
});

interface PickerProps {
  taskId: number;
  value?: ReportUpload[];
  onChange?: (files: ReportUpload[]) => void;
}

export function ReportFilesPicker({ taskId, value = [], onChange }: PickerProps) {
  const t = useT();
  const { message } = App.useApp();
  const apiError = useApiError();
  return (
    <Upload<UploadedFile>
      fileList={value}
      multiple
      maxCount={REPORT_FILES_MAX}
      accept={ACCEPT}
      beforeUpload={(file) => {
        const name = file.name.toLowerCase();
        if (!EXTENSIONS.some((ext) => name.endsWith(ext))) {
          message.error(t('task.report.fileWrongType', { name: file.name }));
          return Upload.LIST_IGNORE;
        }
        if (file.size > REPORT_FILE_MAX_BYTES) {
          message.error(t('task.report.fileTooLarge', { name: file.name, mb: REPORT_FILE_MAX_BYTES / 1024 / 1024 }));
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={({ file, onSuccess, onError }) => {
        const body = new FormData();
        body.append('file', file as File);
        api.post<UploadedFile>(`/tasks/${taskId}/files`, body).then(
          (stored) => onSuccess?.(stored),
          (error: unknown) => {
            apiError(error);
            onError?.(error as Error);
          },
        );
      }}
      onChange={({ fileList }) => onChange?.(fileList)}
      data-testid="task-report-files"
    >
      <Button icon={<UploadOutlined />} disabled={value.length >= REPORT_FILES_MAX} data-testid="task-report-attach">
        {t('task.report.attach', { max: REPORT_FILES_MAX, mb: REPORT_FILE_MAX_BYTES / 1024 / 1024 })}
      </Button>
    </Upload>
  );
}

const sizeText = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** A report's files as download links. */
export function ReportFileLinks({ taskId, report }: { taskId: number; report: TaskReport }) {
  if (report.files.length === 0) return null;
  return (
    <ul className="task-report-files" data-testid="task-report-file-links">
      {report.files.map((f) => (
        <li key={f.id}>
          <a href={`/api/v1/tasks/${taskId}/reports/${report.id}/files/${f.id}`} download={f.name}>
            <PaperClipOutlined /> {f.name}
          </a>{' '}
          <span className="muted">({sizeText(f.size)})</span>
        </li>
      ))}
    </ul>
  );
}
