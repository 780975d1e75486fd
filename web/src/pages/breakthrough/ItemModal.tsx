// One item of a list: the five clears ("6 rõ" adds the authority) and the target, a number and its
// unit. Blank points are allowed in a draft; submitting the list names those still missing.
import { AutoComplete, DatePicker, Form, Input, InputNumber, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT } from '../../format';
import { useT } from '../../i18n';
import { FormModal } from '../../ui/FormModal';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { AssigneePicker } from '../tasks/pickers';
import { type Item, type Registration, TARGET_UNITS } from './types';

interface ItemValues {
  title?: string;
  description?: string;
  targetValue?: number | null;
  targetUnit?: string;
  leadUnitId?: number | null;
  assigneeUserId?: number | null;
  dueOn?: Dayjs | null;
  expectedResult?: string;
  authority?: string;
}

const blank = (text: string | undefined | null) => (text?.trim() ? text.trim() : null);

function toValues(item: Item | null): ItemValues {
  if (!item) return {};
  return {
    title: item.title ?? '',
    description: item.description ?? '',
    targetValue: item.targetValue,
    targetUnit: item.targetUnit ?? '',
    leadUnitId: item.leadUnit?.id ?? null,
    assigneeUserId: item.assignee?.id ?? null,
    dueOn: item.dueOn ? dayjs(item.dueOn) : null,
    expectedResult: item.expectedResult ?? '',
    authority: item.authority ?? '',
  };
}

export function ItemModal(props: { list: Registration; item: Item | null; open: boolean; onClose: () => void; onSaved: (list: Registration) => void }) {
  const { list, item, open, onClose, onSaved } = props;
  const t = useT();
  const [form] = Form.useForm<ItemValues>();
  const leadUnitId = Form.useWatch('leadUnitId', form);

  const send = async (values: ItemValues) => {
    const body = {
      version: list.version,
      title: blank(values.title),
      description: blank(values.description),
      targetValue: values.targetValue ?? null,
      targetUnit: blank(values.targetUnit),
      leadUnitId: values.leadUnitId ?? null,
      assigneeUserId: values.assigneeUserId ?? null,
      dueOn: values.dueOn ? values.dueOn.format(API_DATE_FORMAT) : null,
      expectedResult: blank(values.expectedResult),
      authority: blank(values.authority),
    };
    const saved = item
      ? await api.patch<Registration>(`/breakthrough/registrations/${list.id}/items/${item.id}`, body)
      : await api.post<Registration>(`/breakthrough/registrations/${list.id}/items`, body);
    onSaved(saved);
    return t('common.saved');
  };

  return (
    <FormModal<ItemValues>
      open={open}
      title={item ? t('bt.item.editTitle', { n: item.position }) : t('bt.item.addTitle')}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      send={send}
      initialValues={toValues(item)}
      width={720}
      formTestId="bt-item-form"
      okTestId="bt-item-save"
    >
      <Form.Item name="title" label={t('bt.item.titleLabel')} rules={[{ max: 1000 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} data-testid="bt-item-title" />
      </Form.Item>
      <Form.Item name="description" label={t('bt.item.description')} rules={[{ max: 10000 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      <Form.Item label={t('bt.col.target')} extra={t('bt.item.targetHint')} required={false}>
        <Space.Compact block>
          <Form.Item
            name="targetValue"
            noStyle
            dependencies={['targetUnit']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  (value === null || value === undefined) === !blank(getFieldValue('targetUnit')) ? Promise.resolve() : Promise.reject(new Error(t('bt.item.targetBoth'))),
              }),
            ]}
          >
            <InputNumber min={0} style={{ width: '50%' }} placeholder={t('bt.item.targetValue')} data-testid="bt-item-target-value" />
          </Form.Item>
          <Form.Item name="targetUnit" noStyle>
            <AutoComplete
              style={{ width: '50%' }}
              placeholder={t('bt.item.targetUnit')}
              options={TARGET_UNITS.map((u) => ({ value: u }))}
              data-testid="bt-item-target-unit"
            />
          </Form.Item>
        </Space.Compact>
      </Form.Item>
      <Form.Item name="leadUnitId" label={t('bt.item.lead')}>
        <OrgUnitPicker allowClear activeOnly onChange={() => form.setFieldValue('assigneeUserId', null)} testId="bt-item-lead" />
      </Form.Item>
      <Form.Item name="assigneeUserId" label={t('bt.item.assignee')}>
        <AssigneePicker unitId={leadUnitId ?? list.unit.id} current={item?.assignee ? { ...item.assignee } : null} allowClear testId="bt-item-assignee" />
      </Form.Item>
      <Form.Item name="dueOn" label={t('bt.item.due')}>
        <DatePicker format={DATE_FORMAT} data-testid="bt-item-due" />
      </Form.Item>
      <Form.Item name="expectedResult" label={t('bt.item.expectedResult')} rules={[{ max: 2000 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} data-testid="bt-item-result" />
      </Form.Item>
      <Form.Item name="authority" label={t('bt.item.authority')} rules={[{ max: 1000 }]}>
        <Input />
      </Form.Item>
    </FormModal>
  );
}
