// The entries of a project's progress: a segment, a dated physical-progress figure, capital
// disbursed in a period, a milestone. Each dialog sends one request and hands back the project.
import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api';
import { API_DATE_FORMAT, DATE_FORMAT } from '../../../format';
import { useT } from '../../../i18n';
import { FormModal } from '../../../ui/FormModal';
import { OrgUnitPicker } from '../../../ui/OrgUnitPicker';
import type { Milestone, ProjectDetail, Segment } from '../types';

interface EntryProps {
  open: boolean;
  projectId: number;
  onClose: () => void;
  onSaved: (p: ProjectDetail) => void;
}

const toDate = (d: Dayjs | null | undefined) => (d ? d.format(API_DATE_FORMAT) : null);

export function SegmentFormModal({ segment, ...props }: EntryProps & { segment?: Segment }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; lengthKm: number; communeUnitId?: number | null; investor?: string; position?: number }>();
  const send = async (v: { name: string; lengthKm: number; communeUnitId?: number | null; investor?: string; position?: number }) => {
    const body = { name: v.name, lengthKm: v.lengthKm, communeUnitId: v.communeUnitId ?? null, investor: v.investor?.trim() || null, position: v.position ?? 0 };
    props.onSaved(segment ? await api.patch<ProjectDetail>(`/projects/${props.projectId}/segments/${segment.id}`, body) : await api.post<ProjectDetail>(`/projects/${props.projectId}/segments`, body));
    return t('common.saved');
  };
  return (
    <FormModal
      open={props.open}
      title={segment ? t('pj.segment.edit') : t('pj.segment.add')}
      okText={t('common.save')}
      onClose={props.onClose}
      form={form}
      send={send}
      initialValues={segment ? { name: segment.name, lengthKm: segment.lengthKm, communeUnitId: segment.commune?.id ?? null, investor: segment.investor ?? '', position: segment.position } : { position: 0 }}
      formTestId="pj-segment-form"
      okTestId="pj-segment-ok"
    >
      <Form.Item name="name" label={t('pj.segment.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={300} data-testid="pj-segment-name" />
      </Form.Item>
      <Form.Item name="lengthKm" label={t('pj.segment.lengthKm')} rules={[{ required: true }]}>
        <InputNumber<number> min={0.001} step={0.1} data-testid="pj-segment-length" />
      </Form.Item>
      <Form.Item name="communeUnitId" label={t('pj.commune')}>
        <OrgUnitPicker allowClear activeOnly />
      </Form.Item>
      <Form.Item name="investor" label={t('pj.investor')}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="position" label={t('pj.segment.position')}>
        <InputNumber<number> min={0} />
      </Form.Item>
    </FormModal>
  );
}

export function ProgressFormModal({ segment, ...props }: EntryProps & { segment: Segment | null }) {
  const t = useT();
  const [form] = Form.useForm<{ onDate: Dayjs; percent: number; note?: string }>();
  const send = async (v: { onDate: Dayjs; percent: number; note?: string }) => {
    if (!segment) return;
    props.onSaved(await api.post<ProjectDetail>(`/projects/${props.projectId}/segments/${segment.id}/progress`, { onDate: toDate(v.onDate), percent: v.percent, note: v.note?.trim() || null }));
    return t('common.saved');
  };
  return (
    <FormModal
      open={props.open && !!segment}
      title={t('pj.progress.add', { segment: segment?.name ?? '' })}
      okText={t('common.save')}
      onClose={props.onClose}
      form={form}
      send={send}
      initialValues={{ onDate: dayjs(), percent: segment?.progress ?? 0 }}
      formTestId="pj-progress-form"
      okTestId="pj-progress-ok"
    >
      <Form.Item name="onDate" label={t('pj.progress.onDate')} rules={[{ required: true }]}>
        <DatePicker format={DATE_FORMAT} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="percent" label={t('pj.progress.percent')} rules={[{ required: true }, { type: 'number', min: 0, max: 100, message: t('pj.progress.range') }]}>
        <InputNumber<number> min={0} max={100} step={1} addonAfter="%" data-testid="pj-progress-percent" />
      </Form.Item>
      <Form.Item name="note" label={t('pj.note')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

type PeriodKind = 'year' | 'quarter' | 'month';
interface DisbursementValues {
  year: number;
  kind: PeriodKind;
  quarter?: number;
  month?: number;
  amount: number;
  note?: string;
}

export function DisbursementFormModal({ remaining, ...props }: EntryProps & { remaining: number }) {
  const t = useT();
  const [form] = Form.useForm<DisbursementValues>();
  const kind = Form.useWatch('kind', form);
  const send = async (v: DisbursementValues) => {
    const body = { year: v.year, quarter: v.kind === 'quarter' ? v.quarter : null, month: v.kind === 'month' ? v.month : null, amount: v.amount, note: v.note?.trim() || null };
    props.onSaved(await api.post<ProjectDetail>(`/projects/${props.projectId}/disbursements`, body));
    return t('common.saved');
  };
  return (
    <FormModal
      open={props.open}
      title={t('pj.disbursement.add')}
      hint={t('pj.disbursement.remaining', { amount: remaining.toLocaleString('vi-VN') })}
      okText={t('common.save')}
      onClose={props.onClose}
      form={form}
      send={send}
      initialValues={{ year: dayjs().year(), kind: 'quarter', quarter: Math.ceil((dayjs().month() + 1) / 3) }}
      formTestId="pj-disbursement-form"
      okTestId="pj-disbursement-ok"
    >
      <Form.Item name="year" label={t('pj.disbursement.year')} rules={[{ required: true }]}>
        <InputNumber<number> min={2000} max={2100} />
      </Form.Item>
      <Form.Item name="kind" label={t('pj.disbursement.period')}>
        <Radio.Group
          options={[
            { value: 'year', label: t('pj.disbursement.kind.year') },
            { value: 'quarter', label: t('pj.disbursement.kind.quarter') },
            { value: 'month', label: t('pj.disbursement.kind.month') },
          ]}
        />
      </Form.Item>
      {kind === 'quarter' && (
        <Form.Item name="quarter" label={t('pj.disbursement.kind.quarter')} rules={[{ required: true }]}>
          <Select style={{ width: 120 }} options={[1, 2, 3, 4].map((q) => ({ value: q, label: `${t('pj.disbursement.kind.quarter')} ${q}` }))} />
        </Form.Item>
      )}
      {kind === 'month' && (
        <Form.Item name="month" label={t('pj.disbursement.kind.month')} rules={[{ required: true }]}>
          <Select style={{ width: 120 }} options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${t('pj.disbursement.kind.month')} ${i + 1}` }))} />
        </Form.Item>
      )}
      <Form.Item
        name="amount"
        label={t('pj.form.amountDong')}
        rules={[{ required: true }, { type: 'number', min: 1, max: remaining, message: t('pj.disbursement.aboveCapital', { amount: remaining.toLocaleString('vi-VN') }) }]}
      >
        <InputNumber<number> min={1} step={1_000_000_000} style={{ width: 240 }} data-testid="pj-disbursement-amount" />
      </Form.Item>
      <Form.Item name="note" label={t('pj.note')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

export function MilestoneFormModal({ milestone, ...props }: EntryProps & { milestone?: Milestone }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; plannedOn: Dayjs; actualOn?: Dayjs | null; note?: string }>();
  const send = async (v: { name: string; plannedOn: Dayjs; actualOn?: Dayjs | null; note?: string }) => {
    const body = { name: v.name, plannedOn: toDate(v.plannedOn), actualOn: toDate(v.actualOn), note: v.note?.trim() || null };
    props.onSaved(
      milestone ? await api.patch<ProjectDetail>(`/projects/${props.projectId}/milestones/${milestone.id}`, body) : await api.post<ProjectDetail>(`/projects/${props.projectId}/milestones`, body),
    );
    return t('common.saved');
  };
  return (
    <FormModal
      open={props.open}
      title={milestone ? t('pj.milestone.edit') : t('pj.milestone.add')}
      okText={t('common.save')}
      onClose={props.onClose}
      form={form}
      send={send}
      initialValues={
        milestone ? { name: milestone.name, plannedOn: dayjs(milestone.plannedOn), actualOn: milestone.actualOn ? dayjs(milestone.actualOn) : null, note: milestone.note ?? '' } : undefined
      }
      formTestId="pj-milestone-form"
      okTestId="pj-milestone-ok"
    >
      <Form.Item name="name" label={t('pj.milestone.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={300} data-testid="pj-milestone-name" />
      </Form.Item>
      <Form.Item name="plannedOn" label={t('pj.milestone.plannedOn')} rules={[{ required: true }]}>
        <DatePicker format={DATE_FORMAT} data-testid="pj-milestone-planned" />
      </Form.Item>
      <Form.Item name="actualOn" label={t('pj.milestone.actualOn')}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item name="note" label={t('pj.note')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}
