// Create a user: identity, an initial password, and at least one grant (role on a unit).
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Divider, Form, Input, Row, Select } from 'antd';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { Role, User } from '../../types';
import { FormModal } from '../../ui/FormModal';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { roleOptions } from '../../ui/roles';
import { emailRule, passwordRules, phoneRule, required, requiredText, usernameRules, confirmRules } from '../../ui/rules';

interface Values {
  username: string;
  fullName: string;
  password: string;
  confirm: string;
  email?: string;
  phone?: string;
  grants: { role: Role; orgUnitId: number }[];
}

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (user: User) => void;
}

export function UserCreateModal({ open, onClose, onCreated }: Props) {
  const t = useT();
  const { selectedId } = useOrgUnits();
  const [form] = Form.useForm<Values>();

  const send = async (values: Values) => {
    const user = await api.post<User>('/users', {
      username: values.username.trim(),
      fullName: values.fullName.trim(),
      password: values.password,
      email: values.email?.trim() || undefined,
      phone: values.phone?.trim() || undefined,
      grants: values.grants,
    });
    onCreated(user);
    return t('user.created', { name: user.username });
  };

  return (
    <FormModal
      open={open}
      title={t('user.createTitle')}
      okText={t('common.create')}
      onClose={onClose}
      form={form}
      send={send}
      okTestId="user-form-submit"
      formTestId="user-form"
      initialValues={{ grants: [{ role: 'officer', orgUnitId: selectedId ?? undefined }] }}
      width={640}
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="username" label={t('user.username')} rules={usernameRules(t)}>
            <Input autoComplete="off" data-testid="user-form-username" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="fullName" label={t('user.fullName')} rules={requiredText(t, 120)}>
            <Input data-testid="user-form-fullname" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="password" label={t('user.password')} dependencies={['username']} rules={passwordRules(t, () => form.getFieldValue('username'))}>
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['password']}
            rules={confirmRules(t)}
          >
            <Input.Password autoComplete="new-password" data-testid="user-form-confirm" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="email" label={t('user.email')} rules={[emailRule(t)]}>
            <Input data-testid="user-form-email" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="phone" label={t('user.phone')} rules={[phoneRule(t)]}>
            <Input data-testid="user-form-phone" />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>
        {t('user.grants')}
      </Divider>
      <Form.List
        name="grants"
        rules={[
          {
            validator: async (_, grants?: unknown[]) => {
              if (!grants || grants.length === 0) throw new Error(t('user.grantRequired'));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, index) => (
              <Row gutter={8} key={field.key} align="top">
                <Col span={8}>
                  <Form.Item name={[field.name, 'role']} rules={[required(t)]}>
                    <Select options={roleOptions(t)} data-testid={`user-form-grant-role-${index}`} />
                  </Form.Item>
                </Col>
                <Col span={14}>
                  <Form.Item name={[field.name, 'orgUnitId']} rules={[required(t)]}>
                    <OrgUnitPicker
                      activeOnly
                      placeholder={t('user.grantUnit')}
                      testId={`user-form-grant-unit-${index}`}
                    />
                  </Form.Item>
                </Col>
                <Col span={2}>
                  {fields.length > 1 && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                      title={t('common.remove')}
                    />
                  )}
                </Col>
              </Row>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ role: 'officer' })}
              data-testid="user-form-grant-add"
            >
              {t('user.addGrant')}
            </Button>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </FormModal>
  );
}
