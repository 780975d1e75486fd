import { Form, Input } from 'antd';
import { api } from '../api';
import { useAuth } from '../auth';
import { useT } from '../i18n';
import { FormModal } from './FormModal';
import { confirmRules, passwordRules } from './rules';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { user } = useAuth();

  const send = async (values: Values) => {
    await api.post('/auth/password', {
      currentPassword: values.currentPassword,
      newPassword: values.newPassword,
    });
    form.resetFields();
    onClose();
    return t('password.changed');
  };

  return (
    <FormModal
      open={open}
      title={t('header.changePassword')}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      send={send}
    >
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} rules={passwordRules(t, () => user?.username)}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={confirmRules(t, 'newPassword')}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
