// The fields of a task, grouped by the clears ("5 rõ", "6 rõ" with rõ thẩm quyền) so the issuer sees
// which point each field answers and which are still missing. Used by the draft form and by the
// split dialog (a sub-task for a unit below).
import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { DatePicker, Form, type FormInstance, Input, InputNumber, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { API_DATE_FORMAT, DATE_FORMAT, formatDate } from '../../format';
import { type Translate, useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { subtreeIds } from '../../ui/orgTree';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { rangeRule } from '../../ui/rules';
import { clearLabel, sourceKindLabel } from './labels';
import { AssigneePicker, UnitsPicker } from './pickers';
import { CLEAR_KEYS, type ClearKey, PICKED_SOURCE_KINDS, type SourceKind, type Task, type TaskDraftInput } from './types';

export interface TaskFormValues {
  issuerUnitId?: number;
  title?: string;
  description?: string;
  expectedResult?: string;
  authority?: string;
  leadUnitId?: number | null;
  supportUnitIds?: number[];
  assigneeUserId?: number | null;
  dueOn?: Dayjs | null;
  sourceKind?: SourceKind | null;
  sourceRef?: string;
  weight?: number;
}

const blank = (text: string | undefined | null) => (text?.trim() ? text.trim() : null);

/** The form's values as the API takes them: blanks as null, the date as YYYY-MM-DD. */
export function toDraftInput(values: TaskFormValues): TaskDraftInput {
  return {
    title: blank(values.title),
    description: blank(values.description),
    expectedResult: blank(values.expectedResult),
    authority: blank(values.authority),
    leadUnitId: values.leadUnitId ?? null,
    supportUnitIds: values.supportUnitIds ?? [],
    assigneeUserId: values.assigneeUserId ?? null,
    dueOn: values.dueOn ? values.dueOn.format(API_DATE_FORMAT) : null,
    sourceKind: values.sourceKind ?? null,
    sourceRef: blank(values.sourceRef),
  };
}

/** A task's fields as the form holds them. */
export function toFormValues(task: Task): TaskFormValues {
  return {
    issuerUnitId: task.issuerUnit.id,
    title: task.title ?? '',
    description: task.description ?? '',
    expectedResult: task.expectedResult ?? '',
    authority: task.authority ?? '',
    leadUnitId: task.leadUnit?.id ?? null,
    supportUnitIds: task.supportUnits.map((u) => u.id),
    assigneeUserId: task.assignee?.id ?? null,
    dueOn: task.dueOn ? dayjs(task.dueOn) : null,
    sourceKind: task.source && (PICKED_SOURCE_KINDS as readonly string[]).includes(task.source.kind) ? task.source.kind : null,
    sourceRef: task.source?.ref ?? '',
    weight: task.weight,
  };
}

/** The clears the values leave open, as the server judges them (non-blank text, a chosen value). */
export function missingClears(values: TaskFormValues, sixClears: boolean): ClearKey[] {
  const filled: Record<ClearKey, boolean> = {
    viec: !!blank(values.title),
    nguoi: !!values.assigneeUserId,
    trachNhiem: !!values.leadUnitId,
    thoiGian: !!values.dueOn,
    ketQua: !!blank(values.expectedResult),
    thamQuyen: !sixClears || !!blank(values.authority),
  };
  return CLEAR_KEYS.filter((key) => !filled[key]);
}

/** The clears in a row, each ticked or marked missing as the form is filled. */
export function ClearChecklist({ form, sixClears, t }: { form: FormInstance<TaskFormValues>; sixClears: boolean; t: Translate }) {
  const values = Form.useWatch([], form) ?? {};
  const missing = new Set(missingClears(values, sixClears));
  const keys = CLEAR_KEYS.filter((key) => sixClears || key !== 'thamQuyen');
  return (
    <Space wrap size={[4, 4]} data-testid="task-clear-checklist">
      {keys.map((key) => (
        <Tag
          key={key}
          color={missing.has(key) ? 'warning' : 'success'}
          icon={missing.has(key) ? <ExclamationCircleFilled /> : <CheckCircleFilled />}
          data-testid={`task-clear-${key}`}
          data-clear={missing.has(key) ? 'missing' : 'ok'}
        >
          {clearLabel(t, key)}
        </Tag>
      ))}
    </Space>
  );
}

function ClearHeading({ index, clear, hint }: { index: number; clear: ClearKey; hint: string }) {
  const t = useT();
  return (
    <div className="task-clear-heading">
      <span className="task-clear-index">{index}</span>
      <strong>{clearLabel(t, clear)}</strong>
      <span className="muted"> — {hint}</span>
    </div>
  );
}

interface TaskFieldsProps {
  form: FormInstance<TaskFormValues>;
  sixClears: boolean;
  /** an issued task: only the title, description, supporting units and assignee change */
  issued?: boolean;
  /** a sub-task: the lead unit lies in this unit's subtree, with a weight, no source */
  splitFrom?: { unitId: number; dueOn: string | null };
  /** the units the user may issue for (a new task only) */
  issuerUnits?: { id: number; name: string }[];
  currentAssignee?: { id: number; fullName: string } | null;
}

export function TaskFields({ form, sixClears, issued, splitFrom, issuerUnits, currentAssignee }: TaskFieldsProps) {
  const t = useT();
  const { tree } = useOrgUnits();
  const leadUnitId = Form.useWatch('leadUnitId', form);
  const locked = !!issued;

  // A sub-task goes to a unit below the parent's lead unit: every other unit is greyed out.
  const outside = useMemo(() => {
    if (!splitFrom) return undefined;
    const node = tree.byId.get(splitFrom.unitId);
    if (!node) return undefined;
    const inside = subtreeIds(node);
    inside.delete(splitFrom.unitId);
    return new Set([...tree.byId.keys()].filter((id) => !inside.has(id)));
  }, [splitFrom, tree]);

  const maxDue = splitFrom?.dueOn ? dayjs(splitFrom.dueOn) : null;
  let index = 0;

  return (
    <>
      {issuerUnits && (
        <Form.Item name="issuerUnitId" label={t('task.field.issuerUnit')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={issuerUnits.map((u) => ({ value: u.id, label: u.name }))} data-testid="task-field-issuer" />
        </Form.Item>
      )}
      {!splitFrom && (
        <Space.Compact className="full-width task-source">
          <Form.Item name="sourceKind" label={t('task.field.sourceKind')} className="task-source-kind">
            <Select
              allowClear
              disabled={locked}
              placeholder={t('task.field.sourceKindPick')}
              options={PICKED_SOURCE_KINDS.map((kind) => ({ value: kind, label: sourceKindLabel(t, kind) }))}
              data-testid="task-field-source-kind"
            />
          </Form.Item>
          <Form.Item name="sourceRef" label={t('task.field.sourceRef')} className="task-source-ref" rules={[{ max: 500, message: t('validation.maxLength', { max: 500 }) }]}>
            <Input disabled={locked} placeholder={t('task.field.sourceRefHint')} data-testid="task-field-source-ref" />
          </Form.Item>
        </Space.Compact>
      )}

      <ClearHeading index={++index} clear="viec" hint={t('task.clearHint.viec')} />
      <Form.Item name="title" label={t('task.field.title')} rules={[{ max: 1000, message: t('validation.maxLength', { max: 1000 }) }]}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="task-field-title" />
      </Form.Item>
      <Form.Item name="description" label={t('task.field.description')} rules={[{ max: 10000, message: t('validation.maxLength', { max: 10000 }) }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} data-testid="task-field-description" />
      </Form.Item>

      <ClearHeading index={++index} clear="trachNhiem" hint={t('task.clearHint.trachNhiem')} />
      <Form.Item name="leadUnitId" label={t('task.field.leadUnit')}>
        <OrgUnitPicker
          allowClear
          activeOnly
          disabled={locked}
          excludeIds={outside}
          placeholder={t('task.field.leadUnitPick')}
          testId="task-field-lead"
          onChange={() => form.setFieldValue('assigneeUserId', null)}
        />
      </Form.Item>
      <Form.Item name="supportUnitIds" label={t('task.field.supportUnits')}>
        <UnitsPicker placeholder={t('task.field.supportUnitsPick')} testId="task-field-support" />
      </Form.Item>

      <ClearHeading index={++index} clear="nguoi" hint={t('task.clearHint.nguoi')} />
      <Form.Item name="assigneeUserId" label={t('task.field.assignee')}>
        <AssigneePicker allowClear unitId={leadUnitId} current={currentAssignee} testId="task-field-assignee" />
      </Form.Item>

      <ClearHeading index={++index} clear="thoiGian" hint={t('task.clearHint.thoiGian')} />
      <Form.Item
        name="dueOn"
        label={t('task.field.dueOn')}
        extra={maxDue ? t('task.field.dueOnParent', { date: formatDate(splitFrom?.dueOn) }) : t('task.field.dueOnHint')}
      >
        <DatePicker
          format={DATE_FORMAT}
          disabled={locked}
          className="task-date"
          disabledDate={(date) => date.isBefore(dayjs(), 'day') || (maxDue !== null && date.isAfter(maxDue, 'day'))}
          data-testid="task-field-due"
        />
      </Form.Item>

      <ClearHeading index={++index} clear="ketQua" hint={t('task.clearHint.ketQua')} />
      <Form.Item name="expectedResult" label={t('task.field.expectedResult')} rules={[{ max: 2000, message: t('validation.maxLength', { max: 2000 }) }]}>
        <Input.TextArea disabled={locked} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="task-field-result" />
      </Form.Item>

      {sixClears && (
        <>
          <ClearHeading index={++index} clear="thamQuyen" hint={t('task.clearHint.thamQuyen')} />
          <Form.Item name="authority" label={t('task.field.authority')} rules={[{ max: 1000, message: t('validation.maxLength', { max: 1000 }) }]}>
            <Input.TextArea disabled={locked} autoSize={{ minRows: 1, maxRows: 4 }} data-testid="task-field-authority" />
          </Form.Item>
        </>
      )}

      {splitFrom && (
        <Form.Item
          name="weight"
          label={t('task.field.weight')}
          extra={t('task.field.weightHint')}
          rules={[{ required: true, message: t('validation.required') }, rangeRule(t, 0.01, 999999)]}
        >
          <InputNumber<number> min={0.01} step={1} decimalSeparator="," data-testid="task-field-weight" />
        </Form.Item>
      )}
    </>
  );
}
