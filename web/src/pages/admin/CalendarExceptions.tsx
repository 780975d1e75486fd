// The administrator's exceptions to the computed calendar: extra days off, make-up working days.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT, formatDate } from '../../format';
import { useT } from '../../i18n';
import type { CalendarException } from '../../types';
import { useApiError } from '../../ui/errors';
import { useFormSubmit } from '../../ui/forms';
import { required, requiredText } from '../../ui/rules';

interface Values {
  date: Dayjs;
  kind: 'off' | 'work';
  name: string;
}

interface Props {
  year: number;
  items: CalendarException[];
  loading: boolean;
  pickedDate: string | null;
  onChanged: () => void;
}

export function CalendarExceptions({ year, items, loading, pickedDate, onChanged }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (pickedDate) form.setFieldsValue({ date: dayjs(pickedDate) });
  }, [pickedDate, form]);

  const { save: add } = useFormSubmit(form, async (values) => {
    const date = values.date.format(API_DATE_FORMAT);
    if (items.some((item) => item.date === date)) {
      form.setFields([{ name: 'date', errors: [t('calendar.exceptionExists')] }]);
      return;
    }
    await api.post<CalendarException>('/calendar/exceptions', { date, kind: values.kind, name: values.name.trim() });
    form.resetFields(['date', 'name']);
    onChanged();
    return t('calendar.exceptionAdded');
  });

  const remove = async (item: CalendarException) => {
    try {
      await api.delete(`/calendar/exceptions/${item.id}`);
      message.success(t('calendar.exceptionDeleted'));
      onChanged();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div>
      <Form<Values>
        form={form}
        layout="inline"
        onFinish={add}
        initialValues={{ kind: 'off' }}
        className="exception-form"
        data-testid="calendar-exception-form"
      >
        <Form.Item name="date" rules={[required(t)]}>
          <DatePicker
            format={DATE_FORMAT}
            placeholder={t('calendar.date')}
            disabledDate={(d) => d.year() !== year}
            defaultPickerValue={dayjs(`${year}-01-01`)}
            data-testid="calendar-exception-date"
          />
        </Form.Item>
        <Form.Item name="kind" rules={[required(t)]}>
          <Select
            className="filter-select"
            options={[
              { value: 'off', label: t('calendar.exceptionOff') },
              { value: 'work', label: t('calendar.exceptionWork') },
            ]}
            data-testid="calendar-exception-kind"
          />
        </Form.Item>
        <Form.Item name="name" rules={requiredText(t, 200)} className="exception-name">
          <Input placeholder={t('calendar.exceptionName')} data-testid="calendar-exception-name" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} data-testid="calendar-exception-add">
            {t('common.add')}
          </Button>
        </Form.Item>
      </Form>
      <Table<CalendarException>
        className="section-gap"
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        data-testid="calendar-exceptions-table"
        locale={{ emptyText: t('calendar.noExceptions') }}
        columns={[
          { title: t('calendar.date'), dataIndex: 'date', width: 130, render: formatDate },
          {
            title: t('calendar.exceptionKind'),
            dataIndex: 'kind',
            width: 160,
            render: (kind: CalendarException['kind']) =>
              kind === 'off' ? (
                <Tag color="purple">{t('calendar.exceptionOff')}</Tag>
              ) : (
                <Tag color="blue">{t('calendar.exceptionWork')}</Tag>
              ),
          },
          { title: t('calendar.exceptionName'), dataIndex: 'name' },
          {
            title: '',
            key: 'actions',
            width: 60,
            render: (_, item) => (
              <Space>
                <Popconfirm
                  title={t('calendar.deleteConfirm', { date: formatDate(item.date) })}
                  okText={t('common.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove(item)}
                >
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('common.delete')}
                    data-testid={`calendar-exception-delete-${item.date}`}
                  />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
