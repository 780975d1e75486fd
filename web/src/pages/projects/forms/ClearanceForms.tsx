// Site clearance: a commune's figures, an obstacle (issued as a task to its responsible unit),
// closing an obstacle, and site photos of one day.
import { UploadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, InputNumber, Select, Upload, type UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api';
import { API_DATE_FORMAT, DATE_FORMAT } from '../../../format';
import { useT } from '../../../i18n';
import { FormModal } from '../../../ui/FormModal';
import { OrgUnitPicker } from '../../../ui/OrgUnitPicker';
import { AssigneePicker } from '../../tasks/pickers';
import type { Clearance, Obstacle, ProjectDetail, Segment } from '../types';

interface EntryProps {
  open: boolean;
  projectId: number;
  onClose: () => void;
  onSaved: (p: ProjectDetail) => void;
}

interface ClearanceValues {
  communeUnitId: number;
  affectedHouseholds: number;
  affectedAreaM2: number;
  agreedHouseholds: number;
  compensationApproved: number;
  compensationPaid: number;
  handedOverAreaM2: number;
  note?: string;
}

export function ClearanceFormModal({ clearance, ...props }: EntryProps & { clearance?: Clearance }) {
  const t = useT();
  const [form] = Form.useForm<ClearanceValues>();
  // "Not above" rules, checked here for a quick answer; the server checks them again.
  const notAbove = (field: keyof ClearanceValues, message: string) => ({
    validator: (_: unknown, value: number | undefined) =>
      value === undefined || value === null || value <= (form.getFieldValue(field) ?? 0) ? Promise.resolve() : Promise.reject(new Error(message)),
  });
  const send = async ({ communeUnitId, ...v }: ClearanceValues) => {
    props.onSaved(await api.put<ProjectDetail>(`/projects/${props.projectId}/clearances/${communeUnitId}`, { ...v, note: v.note?.trim() || null }));
    return t('common.saved');
  };
  return (
    <FormModal<ClearanceValues>
      open={props.open}
      title={clearance ? t('pj.clearance.edit', { commune: clearance.commune.name }) : t('pj.clearance.add')}
      okText={t('common.save')}
      onClose={props.onClose}
      form={form}
      send={send}
      width={640}
      initialValues={
        clearance
          ? { ...clearance, communeUnitId: clearance.commune.id, note: clearance.note ?? '' }
          : { affectedHouseholds: 0, affectedAreaM2: 0, agreedHouseholds: 0, compensationApproved: 0, compensationPaid: 0, handedOverAreaM2: 0 }
      }
      formTestId="pj-clearance-form"
      okTestId="pj-clearance-ok"
    >
      <Form.Item name="communeUnitId" label={t('pj.commune')} rules={[{ required: true }]}>
        <OrgUnitPicker activeOnly disabled={!!clearance} testId="pj-clearance-commune" />
      </Form.Item>
      <Form.Item name="affectedHouseholds" label={t('pj.clearance.affectedHouseholds')} rules={[{ required: true }]}>
        <InputNumber<number> min={0} />
      </Form.Item>
      <Form.Item name="agreedHouseholds" label={t('pj.clearance.agreedHouseholds')} dependencies={['affectedHouseholds']} rules={[{ required: true }, notAbove('affectedHouseholds', t('pj.clearance.agreedRule'))]}>
        <InputNumber<number> min={0} />
      </Form.Item>
      <Form.Item name="affectedAreaM2" label={t('pj.clearance.affectedArea')} rules={[{ required: true }]}>
        <InputNumber<number> min={0} addonAfter="m²" />
      </Form.Item>
      <Form.Item name="handedOverAreaM2" label={t('pj.clearance.handedOverArea')} dependencies={['affectedAreaM2']} rules={[{ required: true }, notAbove('affectedAreaM2', t('pj.clearance.handedRule'))]}>
        <InputNumber<number> min={0} addonAfter="m²" data-testid="pj-clearance-handed" />
      </Form.Item>
      <Form.Item name="compensationApproved" label={t('pj.clearance.approved')} rules={[{ required: true }]}>
        <InputNumber<number> min={0} step={1_000_000} style={{ width: 240 }} addonAfter="đ" />
      </Form.Item>
      <Form.Item name="compensationPaid" label={t('pj.clearance.paid')} dependencies={['compensationApproved']} rules={[{ required: true }, notAbove('compensationApproved', t('pj.clearance.paidRule'))]}>
        <InputNumber<number> min={0} step={1_000_000} style={{ width: 240 }} addonAfter="đ" data-testid="pj-clearance-paid" />
      </Form.Item>
      <Form.Item name="note" label={t('pj.note')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

interface ObstacleValues {
  description: string;
  communeUnitId?: number | null;
  responsibleUnitId: number;
  assigneeUserId?: number | null;
  dueOn: Dayjs;
  expectedResult?: string;
}

export function ObstacleFormModal(props: EntryProps) {
  const t = useT();
  const [form] = Form.useForm<ObstacleValues>();
  const responsibleUnitId = Form.useWatch('responsibleUnitId', form);
  const send = async (v: ObstacleValues) => {
    const body = {
      description: v.description,
      communeUnitId: v.communeUnitId ?? null,
      responsibleUnitId: v.responsibleUnitId,
      assigneeUserId: v.assigneeUserId ?? null,
      dueOn: v.dueOn.format(API_DATE_FORMAT),
      ...(v.expectedResult?.trim() ? { expectedResult: v.expectedResult.trim() } : {}),
    };
    props.onSaved(await api.post<ProjectDetail>(`/projects/${props.projectId}/obstacles`, body));
    return t('pj.obstacle.issued');
  };
  return (
    <FormModal<ObstacleValues>
      open={props.open}
      title={t('pj.obstacle.add')}
      hint={t('pj.obstacle.hint')}
      okText={t('pj.obstacle.issue')}
      onClose={props.onClose}
      form={form}
      send={send}
      width={640}
      formTestId="pj-obstacle-form"
      okTestId="pj-obstacle-ok"
    >
      <Form.Item name="description" label={t('pj.obstacle.description')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="pj-obstacle-description" />
      </Form.Item>
      <Form.Item name="communeUnitId" label={t('pj.commune')}>
        <OrgUnitPicker allowClear activeOnly />
      </Form.Item>
      <Form.Item name="responsibleUnitId" label={t('pj.obstacle.responsibleUnit')} rules={[{ required: true }]}>
        <OrgUnitPicker activeOnly onChange={() => form.setFieldValue('assigneeUserId', null)} testId="pj-obstacle-unit" />
      </Form.Item>
      <Form.Item name="assigneeUserId" label={t('pj.obstacle.assignee')} rules={[{ required: true, message: t('pj.obstacle.assigneeRule') }]}>
        <AssigneePicker unitId={responsibleUnitId} testId="pj-obstacle-assignee" />
      </Form.Item>
      <Form.Item name="dueOn" label={t('pj.obstacle.dueOn')} rules={[{ required: true }]}>
        <DatePicker format={DATE_FORMAT} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="expectedResult" label={t('pj.obstacle.expectedResult')} extra={t('pj.obstacle.expectedHint')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

export function ResolveObstacleModal({ obstacle, ...props }: EntryProps & { obstacle: Obstacle | null }) {
  const t = useT();
  const [form] = Form.useForm<{ resolution: string }>();
  const send = async (v: { resolution: string }) => {
    if (!obstacle) return;
    props.onSaved(await api.post<ProjectDetail>(`/projects/${props.projectId}/obstacles/${obstacle.id}/resolve`, { resolution: v.resolution }));
    return t('common.saved');
  };
  return (
    <FormModal open={props.open && !!obstacle} title={t('pj.obstacle.resolve')} okText={t('pj.obstacle.resolve')} onClose={props.onClose} form={form} send={send} hint={obstacle?.description}>
      <Form.Item name="resolution" label={t('pj.obstacle.resolution')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

interface PhotoValues {
  takenOn: Dayjs;
  caption?: string;
  segmentId?: number | null;
  photos: UploadFile[];
}

export function PhotoUploadModal({ segments, ...props }: EntryProps & { segments: Segment[] }) {
  const t = useT();
  const [form] = Form.useForm<PhotoValues>();
  const send = async (v: PhotoValues) => {
    const body = new FormData();
    body.append('takenOn', v.takenOn.format(API_DATE_FORMAT));
    if (v.caption?.trim()) body.append('caption', v.caption.trim());
    if (v.segmentId) body.append('segmentId', String(v.segmentId));
    for (const file of v.photos) if (file.originFileObj) body.append('photos', file.originFileObj);
    props.onSaved(await api.post<ProjectDetail>(`/projects/${props.projectId}/photos`, body));
    return t('common.saved');
  };
  return (
    <FormModal<PhotoValues>
      open={props.open}
      title={t('pj.photo.add')}
      hint={t('pj.photo.hint')}
      okText={t('pj.photo.upload')}
      onClose={props.onClose}
      form={form}
      send={send}
      initialValues={{ takenOn: dayjs(), photos: [] }}
      formTestId="pj-photo-form"
      okTestId="pj-photo-ok"
    >
      <Form.Item name="takenOn" label={t('pj.photo.takenOn')} rules={[{ required: true }]}>
        <DatePicker format={DATE_FORMAT} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="segmentId" label={t('pj.segment')}>
        <Select allowClear options={segments.map((s) => ({ value: s.id, label: s.name }))} />
      </Form.Item>
      <Form.Item name="caption" label={t('pj.photo.caption')}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="photos" valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList} rules={[{ required: true, type: 'array', min: 1, message: t('pj.photo.required') }]}>
        <Upload accept="image/*" multiple maxCount={5} beforeUpload={() => false} listType="picture">
          <Button icon={<UploadOutlined />}>{t('pj.photo.choose')}</Button>
        </Upload>
      </Form.Item>
    </FormModal>
  );
}
