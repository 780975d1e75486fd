// Create or edit a key project: its identity, managing unit, capital and sources, dates and place.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, InputNumber, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api';
import { API_DATE_FORMAT, DATE_FORMAT } from '../../../format';
import { useT } from '../../../i18n';
import { FormModal } from '../../../ui/FormModal';
import { OrgUnitPicker } from '../../../ui/OrgUnitPicker';
import { statusKey } from '../common';
import { PROJECT_STATUSES, type Project, type ProjectDetail, type ProjectStatus } from '../types';

interface Values {
  code: string;
  name: string;
  investor: string;
  managingUnitId: number;
  totalCapital: number;
  capitalSources?: { source: string; amount: number }[];
  totalLengthKm?: number | null;
  status: ProjectStatus;
  startOn?: Dayjs | null;
  endOn?: Dayjs | null;
  description?: string | null;
  location?: string;
}

const toDate = (d: Dayjs | null | undefined) => (d ? d.format(API_DATE_FORMAT) : null);

export function ProjectFormModal({ open, project, onClose, onSaved }: { open: boolean; project?: Project; onClose: () => void; onSaved: (p: ProjectDetail) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const initialValues: Partial<Values> = project
    ? {
        code: project.code,
        name: project.name,
        investor: project.investor,
        managingUnitId: project.managingUnit.id,
        totalCapital: project.totalCapital,
        capitalSources: project.capitalSources,
        totalLengthKm: project.totalLengthKm,
        status: project.status,
        startOn: project.startOn ? dayjs(project.startOn) : null,
        endOn: project.endOn ? dayjs(project.endOn) : null,
        description: project.description,
        location: project.location ? JSON.stringify(project.location) : '',
      }
    : { status: 'in_progress', capitalSources: [] };

  const send = async (v: Values) => {
    let location: unknown = null;
    if (v.location?.trim()) {
      try {
        location = JSON.parse(v.location);
      } catch {
        form.setFields([{ name: 'location', errors: [t('pj.form.locationNotJson')] }]);
        throw new Error(t('pj.form.locationNotJson'));
      }
    }
    const body = {
      code: v.code.trim(),
      name: v.name,
      investor: v.investor,
      managingUnitId: v.managingUnitId,
      totalCapital: v.totalCapital,
      capitalSources: v.capitalSources ?? [],
      totalLengthKm: v.totalLengthKm ?? null,
      status: v.status,
      startOn: toDate(v.startOn),
      endOn: toDate(v.endOn),
      description: v.description?.trim() || null,
      location,
    };
    const saved = project ? await api.patch<ProjectDetail>(`/projects/${project.id}`, body) : await api.post<ProjectDetail>('/projects', body);
    onSaved(saved);
    return t('common.saved');
  };

  return (
    <FormModal<Values>
      open={open}
      title={project ? t('pj.edit') : t('pj.create')}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      send={send}
      initialValues={initialValues}
      width={720}
      formTestId="pj-form"
      okTestId="pj-form-ok"
    >
      <Space.Compact block>
        <Form.Item name="code" label={t('pj.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]+$/, message: t('pj.form.codeRule') }]} style={{ width: '30%' }}>
          <Input maxLength={40} data-testid="pj-form-code" />
        </Form.Item>
        <Form.Item name="name" label={t('pj.name')} rules={[{ required: true, whitespace: true }]} style={{ width: '70%' }}>
          <Input maxLength={500} data-testid="pj-form-name" />
        </Form.Item>
      </Space.Compact>
      <Form.Item name="investor" label={t('pj.investor')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={300} data-testid="pj-form-investor" />
      </Form.Item>
      <Form.Item name="managingUnitId" label={t('pj.managingUnit')} rules={[{ required: true }]}>
        <OrgUnitPicker activeOnly testId="pj-form-unit" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="totalCapital" label={t('pj.totalCapitalDong')} rules={[{ required: true }]}>
          <InputNumber<number> min={0} step={1_000_000_000} style={{ width: 220 }} data-testid="pj-form-capital" />
        </Form.Item>
        <Form.Item name="totalLengthKm" label={t('pj.totalLengthKm')}>
          <InputNumber<number> min={0} step={0.1} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="status" label={t('pj.status')} rules={[{ required: true }]}>
          <Select style={{ width: 180 }} options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))} />
        </Form.Item>
        <Form.Item name="startOn" label={t('pj.startOn')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item name="endOn" label={t('pj.endOn')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Space>
      <Form.Item label={t('pj.capitalSources')} extra={t('pj.form.sourcesHint')}>
        <Form.List name="capitalSources">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline">
                  <Form.Item name={[field.name, 'source']} rules={[{ required: true, whitespace: true }]}>
                    <Input placeholder={t('pj.form.source')} style={{ width: 280 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'amount']} rules={[{ required: true }]}>
                    <InputNumber<number> min={0} placeholder={t('pj.form.amountDong')} style={{ width: 200 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                {t('pj.form.addSource')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="location" label={t('pj.location')} extra={t('pj.form.locationHint')}>
        <Input.TextArea rows={3} placeholder='{"type":"LineString","coordinates":[[106.33,21.0],[106.40,21.02]]}' data-testid="pj-form-location" />
      </Form.Item>
      <Form.Item name="description" label={t('pj.description')}>
        <Input.TextArea rows={2} maxLength={4000} />
      </Form.Item>
    </FormModal>
  );
}
