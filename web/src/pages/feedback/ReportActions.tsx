// The lifecycle buttons of a report: exactly the actions the server lists in `allowedActions`,
// each with its dialog (verify with the routing suggestion and duplicates, reject, merge, assign,
// send back, extension request and decision, resolve with photos) or a confirmation.
import { App, Button, DatePicker, Form, Input, List, Radio, Select, Space, Switch, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT, formatDateTime } from '../../format';
import { useT } from '../../i18n';
import type { ListResponse } from '../../types';
import { useApiError } from '../../ui/errors';
import { FormModal } from '../../ui/FormModal';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { required, requiredText } from '../../ui/rules';
import { buttonTestId } from '../../ui/testId';
import { actionLabel, DESCRIPTION_MAX, reasonLabel, StatusTag } from './labels';
import { PhotoPicker } from './PhotoPicker';
import { REJECTION_REASONS, type RejectionReason, type Report, type ReportListItem, type Suggestions } from './types';

type Dialog =
  | 'verify'
  | 'reject'
  | 'merge'
  | 'assign'
  | 'send_back'
  | 'request_extension'
  | 'decide_extension'
  | 'resolve'
  | null;

const ORDER = [
  'verify',
  'assign',
  'start',
  'resolve',
  'request_extension',
  'decide_extension',
  'send_back',
  'merge',
  'reject',
  'close',
];

interface Props {
  report: Report;
  onChanged: (report: Report) => void;
}

export function ReportActions({ report, onChanged }: Props) {
  const t = useT();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const allowed = new Set(report.allowedActions);
  const base = `/feedback/reports/${report.id}`;

  const done = (updated: Report, action: string) => {
    setDialog(null);
    onChanged(updated);
    return t('fb.actionDone', { action: actionLabel(t, action) });
  };

  const direct = async (action: 'start' | 'close') => {
    setBusy(action);
    try {
      const updated = await api.post<Report>(`${base}/${action}`);
      message.success(done(updated, action));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const click = (action: string) => {
    if (action === 'start') void direct('start');
    else if (action === 'close') {
      modal.confirm({
        title: t('fb.closeConfirm'),
        okText: actionLabel(t, 'close'),
        cancelText: t('common.cancel'),
        okButtonProps: buttonTestId('fb-close-confirm'),
        onOk: () => direct('close'),
      });
    } else setDialog(action as Dialog);
  };

  const actions = ORDER.filter((a) => allowed.has(a));
  return (
    <>
      <Space wrap data-testid="fb-actions">
        {actions.length === 0 && <span className="muted">{t('fb.noActions')}</span>}
        {actions.map((action) => (
          <Button
            key={action}
            type={action === ORDER.find((a) => allowed.has(a)) ? 'primary' : 'default'}
            danger={action === 'reject'}
            loading={busy === action}
            onClick={() => click(action)}
            data-testid={`fb-action-${action}`}
          >
            {actionLabel(t, action)}
          </Button>
        ))}
      </Space>
      <VerifyDialog open={dialog === 'verify'} report={report} onClose={() => setDialog(null)} onDone={done} />
      <RejectDialog open={dialog === 'reject'} report={report} onClose={() => setDialog(null)} onDone={done} />
      <MergeDialog open={dialog === 'merge'} report={report} onClose={() => setDialog(null)} onDone={done} />
      <AssignDialog open={dialog === 'assign'} report={report} onClose={() => setDialog(null)} onDone={done} />
      <SendBackDialog open={dialog === 'send_back'} report={report} onClose={() => setDialog(null)} onDone={done} />
      <ExtensionDialog open={dialog === 'request_extension'} report={report} onClose={() => setDialog(null)} onDone={done} />
      <DecisionDialog open={dialog === 'decide_extension'} report={report} onClose={() => setDialog(null)} onDone={done} />
      <ResolveDialog open={dialog === 'resolve'} report={report} onClose={() => setDialog(null)} onDone={done} />
    </>
  );
}

interface DialogProps {
  open: boolean;
  report: Report;
  onClose: () => void;
  onDone: (report: Report, action: string) => string;
}

function useSuggestions(report: Report, open: boolean) {
  const [suggestions, setSuggestions] = useState<Suggestions | null>(null);
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    api
      .get<Suggestions>(`/feedback/reports/${report.id}/suggestions`, {}, controller.signal)
      .then(setSuggestions)
      .catch(() => setSuggestions(null));
    return () => controller.abort();
  }, [open, report.id]);
  return suggestions;
}

function DuplicateList({ suggestions, onMerge }: { suggestions: Suggestions | null; onMerge?: (id: number) => void }) {
  const t = useT();
  if (!suggestions?.duplicates.length) return <Typography.Paragraph type="secondary">{t('fb.verify.noDuplicates')}</Typography.Paragraph>;
  return (
    <List
      size="small"
      bordered
      className="section-gap-bottom"
      data-testid="fb-duplicates"
      header={<strong>{t('fb.verify.duplicates')}</strong>}
      dataSource={suggestions.duplicates}
      renderItem={(d) => (
        <List.Item
          actions={
            onMerge
              ? [
                  <Button key="merge" size="small" onClick={() => onMerge(d.id)} data-testid={`fb-duplicate-merge-${d.code}`}>
                    {t('fb.verify.mergeInto')}
                  </Button>,
                ]
              : undefined
          }
        >
          <div>
            <Link to={`/feedback/reports/${d.id}`} target="_blank">
              {d.code}
            </Link>{' '}
            <StatusTag status={d.status} t={t} />
            {d.distanceMeters !== null && <Tag>{Math.round(d.distanceMeters)} m</Tag>}
            <div className="fb-cell-text">{d.description}</div>
            <div className="muted">{formatDateTime(d.receivedAt)}</div>
          </div>
        </List.Item>
      )}
    />
  );
}

function VerifyDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ unitId?: number | null; urgent: boolean }>();
  const suggestions = useSuggestions(report, open);
  useEffect(() => {
    const suggested = suggestions?.routing.unitId ?? report.suggestedUnitId;
    if (open && suggested && form.getFieldValue('unitId') === undefined) form.setFieldValue('unitId', suggested);
  }, [open, suggestions, report.suggestedUnitId, form]);

  const merge = async (targetId: number) => {
    try {
      const updated = await api.post<Report>(`/feedback/reports/${report.id}/merge`, { targetId });
      message.success(onDone(updated, 'merge'));
    } catch (error) {
      showError(error);
    }
  };

  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'verify')} ${report.code}`}
      okText={t('fb.verify.submit')}
      onClose={onClose}
      form={form}
      width={640}
      initialValues={{ urgent: report.urgent }}
      formTestId="fb-verify-form"
      okTestId="fb-verify-submit"
      send={async (values) => {
        const updated = await api.post<Report>(`/feedback/reports/${report.id}/verify`, {
          unitId: values.unitId ?? undefined,
          urgent: values.urgent,
        });
        return onDone(updated, 'verify');
      }}
    >
      {suggestions && (
        <Typography.Paragraph data-testid="fb-verify-suggestion">
          {t('fb.verify.suggested')}: <strong>{suggestions.routing.unitName ?? t('fb.verify.noSuggestion')}</strong>
          {suggestions.routing.method !== 'none' && (
            <span className="muted">
              {' '}
              ({t(suggestions.routing.method === 'boundary' ? 'fb.verify.byBoundary' : 'fb.verify.byNearest')}
              {suggestions.routing.distanceMeters !== null ? `, ${Math.round(suggestions.routing.distanceMeters)} m` : ''})
            </span>
          )}
        </Typography.Paragraph>
      )}
      <Form.Item name="unitId" label={t('fb.verify.unit')} extra={t('fb.verify.unitHint')}>
        <OrgUnitPicker allowClear activeOnly placeholder={t('fb.verify.unitPlaceholder')} testId="fb-verify-unit" />
      </Form.Item>
      <Form.Item name="urgent" label={t('fb.urgent')} valuePropName="checked">
        <Switch data-testid="fb-verify-urgent" />
      </Form.Item>
      <DuplicateList suggestions={suggestions} onMerge={(id) => void merge(id)} />
    </FormModal>
  );
}

function RejectDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ reason: RejectionReason; text: string }>();
  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'reject')} ${report.code}`}
      okText={actionLabel(t, 'reject')}
      onClose={onClose}
      form={form}
      hint={t('fb.reject.hint')}
      formTestId="fb-reject-form"
      okTestId="fb-reject-submit"
      send={async (values) => onDone(await api.post<Report>(`/feedback/reports/${report.id}/reject`, values), 'reject')}
    >
      <Form.Item name="reason" label={t('fb.detail.reason')} rules={[required(t)]}>
        <Radio.Group data-testid="fb-reject-reason">
          <Space direction="vertical">
            {REJECTION_REASONS.map((r) => (
              <Radio key={r} value={r}>
                <span data-testid={`fb-reject-reason-${r}`}>{reasonLabel(t, r)}</span>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="text" label={t('fb.reject.text')} rules={requiredText(t, 2000)}>
        <Input.TextArea rows={3} data-testid="fb-reject-text" />
      </Form.Item>
    </FormModal>
  );
}

function ReportSearch({ value, onChange, excludeId }: { value?: number; onChange?: (id?: number) => void; excludeId: number }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<ListResponse<ReportListItem>>('/feedback/reports', { q: search, pageSize: 20 }, controller.signal)
        .then((result) =>
          setOptions(
            result.items
              .filter((r) => r.id !== excludeId && r.status !== 'merged' && r.status !== 'rejected')
              .map((r) => ({ value: r.id, label: `${r.code} — ${r.description.slice(0, 80)}` })),
          ),
        )
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search, excludeId]);
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      onChange={(id) => onChange?.(id ?? undefined)}
      options={options}
      placeholder={t('fb.merge.placeholder')}
      data-testid="fb-merge-target"
    />
  );
}

function MergeDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ targetId: number }>();
  const suggestions = useSuggestions(report, open);
  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'merge')} ${report.code}`}
      okText={actionLabel(t, 'merge')}
      onClose={onClose}
      form={form}
      width={640}
      hint={t('fb.merge.hint')}
      formTestId="fb-merge-form"
      okTestId="fb-merge-submit"
      send={async (values) => onDone(await api.post<Report>(`/feedback/reports/${report.id}/merge`, values), 'merge')}
    >
      <Form.Item name="targetId" label={t('fb.merge.target')} rules={[required(t)]}>
        <ReportSearch excludeId={report.id} />
      </Form.Item>
      <DuplicateList suggestions={suggestions} onMerge={(id) => form.setFieldValue('targetId', id)} />
    </FormModal>
  );
}

function AssignDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ unitId: number }>();
  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'assign')} ${report.code}`}
      okText={actionLabel(t, 'assign')}
      onClose={onClose}
      form={form}
      initialValues={{ unitId: report.unitId ?? report.suggestedUnitId ?? undefined }}
      formTestId="fb-assign-form"
      okTestId="fb-assign-submit"
      send={async (values) => onDone(await api.post<Report>(`/feedback/reports/${report.id}/assign`, values), 'assign')}
    >
      <Form.Item name="unitId" label={t('fb.unit')} rules={[required(t)]}>
        <OrgUnitPicker activeOnly placeholder={t('fb.verify.unitPlaceholder')} testId="fb-assign-unit" />
      </Form.Item>
    </FormModal>
  );
}

function SendBackDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'send_back')} ${report.code}`}
      okText={actionLabel(t, 'send_back')}
      onClose={onClose}
      form={form}
      hint={t('fb.sendBack.hint')}
      formTestId="fb-send-back-form"
      okTestId="fb-send-back-submit"
      send={async (values) => onDone(await api.post<Report>(`/feedback/reports/${report.id}/send-back`, values), 'send_back')}
    >
      <Form.Item name="reason" label={t('fb.detail.reason')} rules={requiredText(t, 2000)}>
        <Input.TextArea rows={3} data-testid="fb-send-back-reason" />
      </Form.Item>
    </FormModal>
  );
}

function ExtensionDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ proposedDate: Dayjs; reason: string }>();
  const current = report.deadline ? dayjs(report.deadline) : dayjs();
  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'request_extension')} ${report.code}`}
      okText={actionLabel(t, 'request_extension')}
      onClose={onClose}
      form={form}
      hint={report.deadline ? `${t('fb.deadline')}: ${formatDateTime(report.deadline)}` : undefined}
      formTestId="fb-extension-form"
      okTestId="fb-extension-submit"
      send={async (values) =>
        onDone(
          await api.post<Report>(`/feedback/reports/${report.id}/extension`, {
            proposedDate: values.proposedDate.format(API_DATE_FORMAT),
            reason: values.reason,
          }),
          'request_extension',
        )
      }
    >
      <Form.Item name="proposedDate" label={t('fb.detail.proposed')} rules={[required(t)]}>
        <DatePicker
          format={DATE_FORMAT}
          className="full-width"
          disabledDate={(date) => date.isBefore(current, 'day') || date.isSame(current, 'day')}
          data-testid="fb-extension-date"
        />
      </Form.Item>
      <Form.Item name="reason" label={t('fb.detail.reason')} rules={requiredText(t, 2000)}>
        <Input.TextArea rows={3} data-testid="fb-extension-reason" />
      </Form.Item>
    </FormModal>
  );
}

function DecisionDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ decision: 'approve' | 'refuse'; reason?: string }>();
  const pending = report.pendingExtension;
  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'decide_extension')} ${report.code}`}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      formTestId="fb-decision-form"
      okTestId="fb-decision-submit"
      hint={
        pending
          ? t('fb.extension.pending', { date: formatDateTime(pending.proposedDeadline), reason: pending.reason })
          : undefined
      }
      send={async (values) =>
        onDone(
          await api.post<Report>(`/feedback/reports/${report.id}/extension/decision`, {
            decision: values.decision,
            reason: values.reason?.trim() || undefined,
          }),
          'decide_extension',
        )
      }
    >
      <Form.Item name="decision" rules={[required(t)]}>
        <Radio.Group data-testid="fb-decision">
          <Radio value="approve">
            <span data-testid="fb-decision-approve">{t('fb.extension.approve')}</span>
          </Radio>
          <Radio value="refuse">
            <span data-testid="fb-decision-refuse">{t('fb.extension.refuse')}</span>
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="reason" label={t('fb.detail.reason')} rules={[{ max: 2000, message: t('validation.maxLength', { max: 2000 }) }]}>
        <Input.TextArea rows={2} data-testid="fb-decision-reason" />
      </Form.Item>
    </FormModal>
  );
}

function ResolveDialog({ open, report, onClose, onDone }: DialogProps) {
  const t = useT();
  const [form] = Form.useForm<{ answer: string; photos?: File[] }>();
  return (
    <FormModal
      open={open}
      title={`${actionLabel(t, 'resolve')} ${report.code}`}
      okText={actionLabel(t, 'resolve')}
      onClose={onClose}
      form={form}
      width={640}
      hint={t('fb.resolve.hint')}
      initialValues={{ photos: [] }}
      formTestId="fb-resolve-form"
      okTestId="fb-resolve-submit"
      send={async (values) => {
        const path = `/feedback/reports/${report.id}/resolve`;
        let updated: Report;
        if (values.photos?.length) {
          const body = new FormData();
          body.set('answer', values.answer.trim());
          for (const photo of values.photos) body.append('photos', photo, photo.name);
          updated = await api.post<Report>(path, body);
        } else {
          updated = await api.post<Report>(path, { answer: values.answer.trim() });
        }
        return onDone(updated, 'resolve');
      }}
    >
      <Form.Item name="answer" label={t('fb.answer')} rules={requiredText(t, DESCRIPTION_MAX)}>
        <Input.TextArea rows={5} showCount maxLength={DESCRIPTION_MAX} data-testid="fb-resolve-answer" />
      </Form.Item>
      <Form.Item name="photos" label={t('pub.form.photos')}>
        <PhotoPicker testId="fb-resolve-photos" />
      </Form.Item>
    </FormModal>
  );
}
