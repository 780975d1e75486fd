// What can be done to a task now, exactly as the detail's `can` flags say: issue a draft, report
// progress (and send the result at 100 %), accept or return the result, ask for more time and decide
// on it, cancel. Each action is a dialog or a confirmation; after it the page loads the task again.
import { App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT, formatDate } from '../../format';
import { type MessageKey, useT } from '../../i18n';
import { useApiError } from '../../ui/errors';
import { FormModal } from '../../ui/FormModal';
import { required, requiredText } from '../../ui/rules';
import { buttonTestId } from '../../ui/testId';
import { useIssueTask } from './issue';
import { formatPercent } from './labels';
import { type ReportUpload, ReportFilesPicker, reportFilesRule, uploadedFiles } from './ReportFiles';
import type { TaskDetail } from './types';

type Dialog = 'report' | 'return' | 'cancel' | 'requestExtension' | 'decideExtension' | null;

interface Props {
  task: TaskDetail;
  /** the task changed: load it again */
  onChanged: () => void;
  /** the issue was refused for want of clears: show the sentence */
  onRefused: (text: string) => void;
}

export function TaskActions({ task, onChanged, onRefused }: Props) {
  const t = useT();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const issue = useIssueTask();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const can = task.can;
  const pending = task.extensions.find((e) => e.status === 'pending') ?? null;

  const done = (action: MessageKey) => {
    setDialog(null);
    onChanged();
    return t('task.actionDone', { action: t(action) });
  };

  const onIssue = async () => {
    setBusy('issue');
    try {
      const outcome = await issue(task);
      if (outcome.kind === 'issued') message.success(done('task.action.issue'));
      else if (outcome.kind === 'not_clear') onRefused(outcome.text);
    } finally {
      setBusy(null);
    }
  };

  const onAccept = () =>
    modal.confirm({
      title: t('task.accept.confirm', { code: task.code }),
      content: t('task.accept.hint'),
      okText: t('task.action.accept'),
      cancelText: t('common.cancel'),
      okButtonProps: buttonTestId('task-accept-confirm'),
      onOk: async () => {
        try {
          await api.post(`/tasks/${task.id}/accept`, { version: task.version });
          message.success(done('task.action.accept'));
        } catch (error) {
          showError(error);
          // Someone else may have accepted it first: show what it is now.
          onChanged();
        }
      },
    });

  const buttons: { key: string; show: boolean; label: MessageKey; onClick: () => void; primary?: boolean; danger?: boolean }[] = [
    { key: 'edit', show: can.edit, label: 'task.action.edit', onClick: () => navigate(`/tasks/${task.id}/edit`) },
    { key: 'issue', show: can.issue, label: 'task.action.issue', onClick: () => void onIssue(), primary: true },
    { key: 'report', show: can.report, label: 'task.action.report', onClick: () => setDialog('report'), primary: true },
    { key: 'accept', show: can.accept, label: 'task.action.accept', onClick: onAccept, primary: true },
    { key: 'return', show: can.return, label: 'task.action.return', onClick: () => setDialog('return') },
    { key: 'requestExtension', show: can.requestExtension && !pending, label: 'task.action.requestExtension', onClick: () => setDialog('requestExtension') },
    { key: 'decideExtension', show: can.decideExtension && !!pending, label: 'task.action.decideExtension', onClick: () => setDialog('decideExtension') },
    { key: 'cancel', show: can.cancel, label: 'task.action.cancel', onClick: () => setDialog('cancel'), danger: true },
  ];
  const shown = buttons.filter((b) => b.show);

  return (
    <>
      <Space wrap data-testid="task-actions">
        {shown.length === 0 && <span className="muted">{t('task.noActions')}</span>}
        {shown.map((b) => (
          <Button key={b.key} type={b.primary ? 'primary' : 'default'} danger={b.danger} loading={busy === b.key} onClick={b.onClick} data-testid={`task-action-${b.key}`}>
            {t(b.label)}
          </Button>
        ))}
      </Space>
      <ReportDialog open={dialog === 'report'} task={task} onClose={() => setDialog(null)} onDone={done} />
      <ReasonDialog
        open={dialog === 'return'}
        task={task}
        action="return"
        onClose={() => setDialog(null)}
        onDone={done}
        hint={t('task.return.hint')}
      />
      <ReasonDialog open={dialog === 'cancel'} task={task} action="cancel" onClose={() => setDialog(null)} onDone={done} hint={t('task.cancel.hint')} />
      <ExtensionDialog open={dialog === 'requestExtension'} task={task} onClose={() => setDialog(null)} onDone={done} />
      {pending && <DecisionDialog open={dialog === 'decideExtension'} task={task} extensionId={pending.id} onClose={() => setDialog(null)} onDone={done} />}
    </>
  );
}

interface DialogProps {
  open: boolean;
  task: TaskDetail;
  onClose: () => void;
  onDone: (action: MessageKey) => string;
}

interface ReportValues {
  percent: number;
  text: string;
  reportedOn: Dayjs;
  reason?: string;
  submit?: boolean;
  files?: ReportUpload[];
}

function ReportDialog({ open, task, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<ReportValues>();
  const percent = Form.useWatch('percent', form);
  const lower = typeof percent === 'number' && percent < task.progress;
  return (
    <FormModal
      open={open}
      title={t('task.report.title', { code: task.code })}
      okText={t('task.action.report')}
      onClose={onClose}
      form={form}
      hint={t('task.report.last', { percent: formatPercent(task.progress) })}
      initialValues={{ percent: task.progress, reportedOn: dayjs() }}
      formTestId="task-report-form"
      okTestId="task-report-submit"
      send={async (values) => {
        await api.post(`/tasks/${task.id}/reports`, {
          percent: values.percent,
          text: values.text.trim(),
          reportedOn: values.reportedOn.format(API_DATE_FORMAT),
          reason: values.reason?.trim() || undefined,
          submit: values.percent === 100 && values.submit ? true : undefined,
          files: uploadedFiles(values.files),
        });
        return onDone(values.percent === 100 && values.submit ? 'task.action.submit' : 'task.action.report');
      }}
    >
      <Form.Item name="percent" label={t('task.report.percent')} rules={[required(t), { type: 'number', min: 0, max: 100, message: t('validation.range', { min: 0, max: 100 }) }]}>
        <InputNumber<number> min={0} max={100} precision={0} suffix="%" data-testid="task-report-percent" />
      </Form.Item>
      <Form.Item name="text" label={t('task.report.text')} rules={requiredText(t, 4000)}>
        <Input.TextArea rows={4} showCount maxLength={4000} data-testid="task-report-text" />
      </Form.Item>
      <Form.Item name="reportedOn" label={t('task.report.reportedOn')} rules={[required(t)]}>
        <DatePicker format={DATE_FORMAT} disabledDate={(date) => date.isAfter(dayjs(), 'day')} data-testid="task-report-date" />
      </Form.Item>
      <Form.Item name="files" label={t('task.report.files')} rules={[reportFilesRule(t)]}>
        <ReportFilesPicker taskId={task.id} />
      </Form.Item>
      {lower && (
        <Form.Item name="reason" label={t('task.report.reason')} extra={t('task.report.reasonHint', { percent: formatPercent(task.progress) })} rules={requiredText(t, 2000)}>
          <Input.TextArea rows={2} data-testid="task-report-reason" />
        </Form.Item>
      )}
      {percent === 100 && (
        <Form.Item name="submit" valuePropName="checked">
          <Checkbox data-testid="task-report-submit-result">{t('task.report.submit')}</Checkbox>
        </Form.Item>
      )}
    </FormModal>
  );
}

function ReasonDialog({ open, task, action, onClose, onDone, hint }: DialogProps & { action: 'return' | 'cancel'; hint: string }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const label: MessageKey = action === 'return' ? 'task.action.return' : 'task.action.cancel';
  return (
    <FormModal
      open={open}
      title={`${t(label)} ${task.code}`}
      okText={t(label)}
      onClose={onClose}
      form={form}
      hint={hint}
      formTestId={`task-${action}-form`}
      okTestId={`task-${action}-submit`}
      send={async (values) => {
        await api.post(`/tasks/${task.id}/${action}`, { version: task.version, reason: values.reason.trim() });
        return onDone(label);
      }}
    >
      <Form.Item name="reason" label={t('task.reason')} rules={requiredText(t, 2000)}>
        <Input.TextArea rows={3} data-testid={`task-${action}-reason`} />
      </Form.Item>
    </FormModal>
  );
}

function ExtensionDialog({ open, task, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ dueOn: Dayjs; reason: string }>();
  const current = task.dueOn ? dayjs(task.dueOn) : dayjs();
  return (
    <FormModal
      open={open}
      title={t('task.extension.title', { code: task.code })}
      okText={t('task.action.requestExtension')}
      onClose={onClose}
      form={form}
      hint={t('task.extension.current', { date: formatDate(task.dueOn) })}
      formTestId="task-extension-form"
      okTestId="task-extension-submit"
      send={async (values) => {
        await api.post(`/tasks/${task.id}/extensions`, { dueOn: values.dueOn.format(API_DATE_FORMAT), reason: values.reason.trim() });
        return onDone('task.action.requestExtension');
      }}
    >
      <Form.Item name="dueOn" label={t('task.extension.dueOn')} rules={[required(t)]}>
        <DatePicker format={DATE_FORMAT} disabledDate={(date) => !date.isAfter(current, 'day')} data-testid="task-extension-date" />
      </Form.Item>
      <Form.Item name="reason" label={t('task.reason')} rules={requiredText(t, 2000)}>
        <Input.TextArea rows={3} data-testid="task-extension-reason" />
      </Form.Item>
    </FormModal>
  );
}

function DecisionDialog({ open, task, extensionId, onClose, onDone }: DialogProps & { extensionId: number }) {
  const t = useT();
  const [form] = Form.useForm<{ approve: boolean; note?: string }>();
  const pending = task.extensions.find((e) => e.id === extensionId);
  return (
    <FormModal
      open={open}
      title={t('task.decision.title', { code: task.code })}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      hint={pending ? t('task.decision.pending', { from: formatDate(pending.previousDueOn), to: formatDate(pending.requestedDueOn), reason: pending.reason }) : undefined}
      formTestId="task-decision-form"
      okTestId="task-decision-submit"
      send={async (values) => {
        await api.post(`/tasks/${task.id}/extensions/${extensionId}/decision`, { approve: values.approve, note: values.note?.trim() || undefined });
        return onDone('task.action.decideExtension');
      }}
    >
      <Form.Item name="approve" rules={[required(t)]}>
        <Radio.Group data-testid="task-decision">
          <Radio value={true}>
            <span data-testid="task-decision-approve">{t('task.decision.approve')}</span>
          </Radio>
          <Radio value={false}>
            <span data-testid="task-decision-refuse">{t('task.decision.refuse')}</span>
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="note" label={t('task.decision.note')} rules={[{ max: 2000, message: t('validation.maxLength', { max: 2000 }) }]}>
        <Input.TextArea rows={2} data-testid="task-decision-note" />
      </Form.Item>
    </FormModal>
  );
}
