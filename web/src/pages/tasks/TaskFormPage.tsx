// Soạn nhiệm vụ: a new draft (/tasks/new) or an existing one (/tasks/:id/edit). "Lưu nháp" keeps it
// as it is, however incomplete; "Ban hành" saves and issues it, and a refusal names the clears still
// missing (the fields are marked too). An issued task changes only its title, description,
// supporting units and assignee.
import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Result, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { useI18n } from '../../i18n';
import { errorText, useApiError } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { useIssuerUnits } from './common';
import { useIssueTask } from './issue';
import { useTaskSettings } from './settings';
import { ClearChecklist, type TaskFormValues, TaskFields, toDraftInput, toFormValues } from './TaskFields';
import { CLEAR_FIELDS, type ClearKey, type Task } from './types';

export default function TaskFormPage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const issue = useIssueTask();
  const issuerUnits = useIssuerUnits();
  const { settings } = useTaskSettings();
  const [form] = Form.useForm<TaskFormValues>();
  const [task, setTask] = useState<Task | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'issue' | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const creating = id === undefined;

  useEffect(() => {
    if (creating) return;
    const controller = new AbortController();
    api
      .get<Task>(`/tasks/${id}`, undefined, controller.signal)
      .then(setTask)
      .catch((error) => {
        if (!controller.signal.aborted) setLoadError(error);
      });
    return () => controller.abort();
  }, [creating, id]);

  /** Saves the form: creates the draft the first time, else patches it. Null when it failed. */
  const save = async (): Promise<Task | null> => {
    const values = form.getFieldsValue(true) as TaskFormValues;
    const input = toDraftInput(values);
    try {
      let saved: Task;
      if (!task) {
        // From now on this page edits the draft it created.
        saved = await api.post<Task>('/tasks', { ...input, issuerUnitId: values.issuerUnitId });
      } else if (task.status === 'draft') {
        saved = await api.patch<Task>(`/tasks/${task.id}`, { ...input, version: task.version });
      } else {
        const { title, description, supportUnitIds, assigneeUserId } = input;
        saved = await api.patch<Task>(`/tasks/${task.id}`, { title, description, supportUnitIds, assigneeUserId, version: task.version });
      }
      setTask(saved);
      return saved;
    } catch (error) {
      showError(error, form);
      return null;
    }
  };

  const markMissing = (missing: ClearKey[]) =>
    form.setFields(missing.map((key) => ({ name: CLEAR_FIELDS[key], errors: [t('task.issue.missingField')] })));

  const onSave = async () => {
    if (!(await form.validateFields().then(() => true, () => false))) return;
    setBusy('save');
    setRefusal(null);
    const saved = await save();
    setBusy(null);
    if (!saved) return;
    message.success(t('common.saved'));
    navigate(`/tasks/${saved.id}`);
  };

  const onIssue = async () => {
    if (!(await form.validateFields().then(() => true, () => false))) return;
    setBusy('issue');
    setRefusal(null);
    try {
      const saved = await save();
      if (!saved) return;
      const outcome = await issue(saved);
      if (outcome.kind === 'issued') navigate(`/tasks/${outcome.task.id}`);
      else if (outcome.kind === 'not_clear') {
        setRefusal(outcome.text);
        markMissing(outcome.missing);
      }
    } finally {
      setBusy(null);
    }
  };

  if (loadError) {
    return (
      <Result
        status={loadError instanceof ApiError && loadError.status === 404 ? '404' : 'error'}
        title={errorText(loadError, lang, t)}
        extra={
          <Link to="/tasks">
            <Button>{t('task.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  if ((!creating && !task) || !settings) {
    return (
      <div className="full-page-spin">
        <Spin size="large" />
      </div>
    );
  }
  if (creating && issuerUnits.length === 0) return <Result status="403" title={t('task.form.notIssuer')} />;

  const issued = !!task && task.status !== 'draft';
  return (
    <div data-testid="task-form-page">
      <PageHeader
        title={task ? t('task.form.editTitle', { code: task.code }) : t('task.form.createTitle')}
        subtitle={issued ? t('task.form.issuedHint') : t('task.form.hint')}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(task ? `/tasks/${task.id}` : '/tasks')}>
            {t('task.back')}
          </Button>
        }
      />
      <Card className="task-form-card">
        <Form<TaskFormValues>
          form={form}
          layout="vertical"
          initialValues={task ? toFormValues(task) : { issuerUnitId: issuerUnits[0]?.id, supportUnitIds: [] }}
          data-testid="task-form"
          onValuesChange={() => setRefusal(null)}
        >
          <div className="section-gap-bottom">
            <ClearChecklist form={form} sixClears={settings.sixClears} t={t} />
          </div>
          {refusal && <Alert type="error" showIcon title={refusal} className="section-gap-bottom" data-testid="task-issue-refusal" />}
          <TaskFields
            form={form}
            sixClears={settings.sixClears}
            issued={issued}
            issuerUnits={task ? undefined : issuerUnits}
            currentAssignee={task?.assignee ?? null}
          />
          <Space wrap>
            <Button onClick={onSave} loading={busy === 'save'} disabled={busy === 'issue'} data-testid="task-form-save">
              {issued ? t('common.save') : t('task.form.saveDraft')}
            </Button>
            {!issued && (
              <Button type="primary" icon={<SendOutlined />} onClick={onIssue} loading={busy === 'issue'} disabled={busy === 'save'} data-testid="task-form-issue">
                {t('task.action.issue')}
              </Button>
            )}
          </Space>
        </Form>
      </Card>
    </div>
  );
}
