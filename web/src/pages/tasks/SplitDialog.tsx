// Giao việc cho đơn vị cấp dưới: the lead unit splits its task into a sub-task for a unit of its own
// subtree, with a weight in the parent's roll-up and a deadline no later than the parent's. "Giao
// việc" creates the sub-task and issues it at once (a refusal names the missing clears and keeps the
// draft, which the next attempt updates); "Lưu nháp" only creates it.
import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Modal } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useApiError } from '../../ui/errors';
import { useIssueTask } from './issue';
import { ClearChecklist, type TaskFormValues, TaskFields, toDraftInput } from './TaskFields';
import { CLEAR_FIELDS, type Task, type TaskDetail } from './types';

interface Props {
  open: boolean;
  parent: TaskDetail;
  sixClears: boolean;
  onClose: () => void;
  /** a sub-task was created (issued or not): load the parent again */
  onDone: () => void;
}

export function SplitDialog({ open, parent, sixClears, onClose, onDone }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const issue = useIssueTask();
  const [form] = Form.useForm<TaskFormValues>();
  const [draft, setDraft] = useState<Task | null>(null);
  const [busy, setBusy] = useState<'save' | 'issue' | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const leadUnitId = parent.leadUnit?.id;

  const close = () => {
    setDraft(null);
    setRefusal(null);
    form.resetFields();
    if (draft) onDone();
    onClose();
  };

  const save = async (): Promise<Task | null> => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return null;
    // A sub-task has no source of its own: it comes from its parent.
    const { sourceKind: _kind, sourceRef: _ref, ...input } = toDraftInput(values);
    try {
      const saved = draft
        ? await api.patch<Task>(`/tasks/${draft.id}`, { ...input, version: draft.version })
        : await api.post<Task>(`/tasks/${parent.id}/subtasks`, { ...input, weight: values.weight });
      setDraft(saved);
      return saved;
    } catch (error) {
      showError(error, form);
      return null;
    }
  };

  const finish = (text: string) => {
    message.success(text);
    setDraft(null);
    setRefusal(null);
    form.resetFields();
    onDone();
    onClose();
  };

  const onSave = async () => {
    setBusy('save');
    try {
      const saved = await save();
      if (saved) finish(t('task.split.saved', { code: saved.code }));
    } finally {
      setBusy(null);
    }
  };

  const onIssue = async () => {
    setBusy('issue');
    setRefusal(null);
    try {
      const saved = await save();
      if (!saved) return;
      const outcome = await issue(saved);
      if (outcome.kind === 'issued') finish(t('task.split.issued', { code: outcome.task.code }));
      else if (outcome.kind === 'not_clear') {
        setRefusal(outcome.text);
        form.setFields(outcome.missing.map((key) => ({ name: CLEAR_FIELDS[key], errors: [t('task.issue.missingField')] })));
      }
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      open={open}
      title={t('task.split.title', { code: parent.code })}
      onCancel={close}
      width={720}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" onClick={onSave} loading={busy === 'save'} disabled={busy === 'issue'} data-testid="task-split-save">
          {t('task.form.saveDraft')}
        </Button>,
        <Button key="issue" type="primary" icon={<SendOutlined />} onClick={onIssue} loading={busy === 'issue'} disabled={busy === 'save'} data-testid="task-split-issue">
          {t('task.split.issue')}
        </Button>,
      ]}
    >
      {leadUnitId && (
        <Form<TaskFormValues>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ weight: 1, supportUnitIds: [], expectedResult: parent.expectedResult ?? '' }}
          data-testid="task-split-form"
          onValuesChange={() => setRefusal(null)}
        >
          <div className="section-gap-bottom">
            <ClearChecklist form={form} sixClears={sixClears} t={t} />
          </div>
          {draft && <Alert type="info" showIcon className="section-gap-bottom" title={t('task.split.draftKept', { code: draft.code })} />}
          {refusal && <Alert type="error" showIcon title={refusal} className="section-gap-bottom" data-testid="task-split-refusal" />}
          <TaskFields form={form} sixClears={sixClears} splitFrom={{ unitId: leadUnitId, dueOn: parent.dueOn }} />
        </Form>
      )}
    </Modal>
  );
}
