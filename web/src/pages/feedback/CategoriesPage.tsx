// Danh mục lĩnh vực (the Open311 services): name, default handling-unit kind, deadline in working
// days, optional extra fields (Open311 attributes). Administrators edit them.
import { EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Divider, Form, Input, InputNumber, Row, Select, Switch, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { type MessageKey, useT } from '../../i18n';
import { ORG_UNIT_KINDS } from '../../types';
import { DataTable } from '../../ui/DataTable';
import { FormModal } from '../../ui/FormModal';
import { PageHeader } from '../../ui/PageHeader';
import { codeRules, rangeRule, required, requiredText } from '../../ui/rules';
import { FeedbackNav } from './common';
import type { Category, CategoryAttribute, UnitKind } from './types';

const DATATYPES: CategoryAttribute['datatype'][] = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];

interface AttributeValues {
  code: string;
  description: string;
  datatype: CategoryAttribute['datatype'];
  required: boolean;
  /** one `key: name` per line, for the list types */
  values?: string;
}

interface Values {
  code: string;
  name: string;
  description?: string;
  group?: string;
  unitKind: UnitKind;
  deadlineDays: number;
  active: boolean;
  attributes: AttributeValues[];
}

function toValues(category: Category | null): Partial<Values> {
  if (!category) return { unitKind: 'commune', deadlineDays: 3, active: true, attributes: [] };
  return {
    ...category,
    attributes: category.attributes.map((a) => ({
      code: a.code,
      description: a.description,
      datatype: a.datatype,
      required: a.required,
      values: (a.values ?? []).map((v) => `${v.key}: ${v.name}`).join('\n'),
    })),
  };
}

function toBody(values: Values) {
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    description: values.description?.trim() ?? '',
    group: values.group?.trim() ?? '',
    unitKind: values.unitKind,
    deadlineDays: values.deadlineDays,
    active: values.active,
    attributes: (values.attributes ?? []).map((a, index) => ({
      code: a.code.trim(),
      variable: true,
      datatype: a.datatype,
      required: !!a.required,
      description: a.description.trim(),
      order: index + 1,
      ...(a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist'
        ? {
            values: (a.values ?? '')
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean)
              .map((line) => {
                const at = line.indexOf(':');
                return at > 0
                  ? { key: line.slice(0, at).trim(), name: line.slice(at + 1).trim() }
                  : { key: line, name: line };
              }),
          }
        : {}),
    })),
  };
}

function CategoryModal({ category, open, onClose, onSaved }: { category: Category | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  return (
    <FormModal
      open={open}
      title={category ? t('fb.cat.editTitle', { name: category.name }) : t('fb.cat.create')}
      okText={category ? t('common.save') : t('common.create')}
      onClose={onClose}
      form={form}
      width={760}
      initialValues={toValues(category)}
      formTestId="fb-category-form"
      okTestId="fb-category-submit"
      send={async (values) => {
        if (category) await api.patch<Category>(`/feedback/categories/${category.id}`, toBody(values));
        else await api.post<Category>('/feedback/categories', toBody(values));
        onSaved();
        return t('common.saved');
      }}
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="code" label={t('orgUnit.code')} rules={codeRules(t)}>
            <Input data-testid="fb-category-code" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="name" label={t('fb.cat.name')} rules={requiredText(t, 200)}>
            <Input data-testid="fb-category-name" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="description" label={t('fb.description')} rules={[{ max: 2000, message: t('validation.maxLength', { max: 2000 }) }]}>
            <Input.TextArea rows={2} data-testid="fb-category-description" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="group" label={t('fb.cat.group')}>
            <Input data-testid="fb-category-group" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="unitKind" label={t('fb.cat.unitKind')} rules={[required(t)]}>
            <Select
              options={ORG_UNIT_KINDS.map((k) => ({ value: k, label: t(`orgUnit.kind.${k}` as MessageKey) }))}
              data-testid="fb-category-unit-kind"
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={5}>
          <Form.Item name="deadlineDays" label={t('fb.cat.deadlineDays')} rules={[required(t), rangeRule(t, 1, 365)]}>
            <InputNumber min={1} max={365} className="full-width" data-testid="fb-category-deadline" />
          </Form.Item>
        </Col>
        <Col xs={12} md={3}>
          <Form.Item name="active" label={t('user.active')} valuePropName="checked">
            <Switch data-testid="fb-category-active" />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>
        {t('fb.cat.attributes')}
      </Divider>
      <Form.List name="attributes">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <Row gutter={8} key={field.key} align="top">
                <Col xs={12} md={5}>
                  <Form.Item name={[field.name, 'code']} rules={codeRules(t)}>
                    <Input placeholder={t('orgUnit.code')} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={8}>
                  <Form.Item name={[field.name, 'description']} rules={requiredText(t, 255)}>
                    <Input placeholder={t('fb.cat.attrLabel')} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={5}>
                  <Form.Item name={[field.name, 'datatype']} rules={[required(t)]} initialValue="string">
                    <Select options={DATATYPES.map((d) => ({ value: d, label: t(`fb.cat.type.${d}` as MessageKey) }))} />
                  </Form.Item>
                </Col>
                <Col xs={10} md={4}>
                  <Form.Item name={[field.name, 'required']} valuePropName="checked" initialValue={false}>
                    <Switch checkedChildren={t('fb.cat.required')} unCheckedChildren={t('fb.cat.optional')} />
                  </Form.Item>
                </Col>
                <Col xs={2} md={2}>
                  <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} title={t('common.remove')} />
                </Col>
                <Form.Item noStyle shouldUpdate>
                  {() => {
                    const type = form.getFieldValue(['attributes', field.name, 'datatype']);
                    return type === 'singlevaluelist' || type === 'multivaluelist' ? (
                      <Col span={22}>
                        <Form.Item name={[field.name, 'values']} rules={[required(t)]} extra={t('fb.cat.valuesHint')}>
                          <Input.TextArea rows={3} placeholder={'ngap: Ngập nước\nsut-lun: Sụt lún'} />
                        </Form.Item>
                      </Col>
                    ) : null;
                  }}
                </Form.Item>
              </Row>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ datatype: 'string', required: false })}>
              {t('fb.cat.addAttribute')}
            </Button>
          </>
        )}
      </Form.List>
    </FormModal>
  );
}

export default function CategoriesPage() {
  const t = useT();
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<Category | null>(null);
  const [open, setOpen] = useState(false);
  return (
    <div>
      <FeedbackNav />
      <PageHeader title={t('fb.nav.categories')} subtitle={t('fb.cat.subtitle')} />
      <DataTable<Category>
        path="/feedback/categories"
        rowKey="id"
        testId="fb-categories-table"
        reloadKey={reloadKey}
        defaultSort="name"
        toolbar={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
            data-testid="fb-category-create"
          >
            {t('fb.cat.create')}
          </Button>
        }
        columns={[
          { title: t('orgUnit.code'), dataIndex: 'code', key: 'code', sorter: true },
          { title: t('fb.cat.name'), dataIndex: 'name', key: 'name', sorter: true, defaultSortOrder: 'ascend' },
          { title: t('fb.cat.group'), dataIndex: 'group', key: 'group' },
          {
            title: t('fb.cat.unitKind'),
            dataIndex: 'unitKind',
            key: 'unitKind',
            render: (kind: UnitKind) => t(`orgUnit.kind.${kind}` as MessageKey),
          },
          { title: t('fb.cat.deadlineDays'), dataIndex: 'deadlineDays', key: 'deadlineDays', sorter: true },
          {
            title: t('fb.cat.attributes'),
            key: 'attributes',
            render: (_, c) => c.attributes.map((a) => <Tag key={a.code}>{a.description || a.code}</Tag>),
          },
          {
            title: t('user.active'),
            dataIndex: 'active',
            key: 'active',
            filterMultiple: false,
            filters: [
              { text: t('common.active'), value: 'true' },
              { text: t('common.inactive'), value: 'false' },
            ],
            render: (active: boolean) => (active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
          },
          {
            title: '',
            key: 'actions',
            render: (_, c) => (
              <Button
                size="small"
                icon={<EditOutlined />}
                onClick={() => {
                  setEditing(c);
                  setOpen(true);
                }}
                data-testid={`fb-category-edit-${c.code}`}
              >
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <CategoryModal
        key={editing?.id ?? 'new'}
        open={open}
        category={editing}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          setReloadKey((n) => n + 1);
        }}
      />
    </div>
  );
}
