import { Form, Input, Switch } from 'antd';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { User } from '../../types';
import { FormModal } from '../../ui/FormModal';
import { emailRule, phoneRule, requiredText } from '../../ui/rules';

interface Values {
  fullName: string;
  email?: string | null;
  phone?: string | null;
  active: boolean;
}

interface Props {
  user: User | null;
  onClose: () => void;
  onSaved: (user: User) => void;
}

export function UserEditModal({ user, onClose, onSaved }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  const send = async (values: Values) => {
    if (!user) return;
    const saved = await api.patch<User>(`/users/${user.id}`, {
      fullName: values.fullName.trim(),
      email: values.email?.trim() || null,
      phone: values.phone?.trim() || null,
      active: values.active,
    });
    onSaved(saved);
    return t('common.saved');
  };

  return (
    <FormModal
      open={!!user}
      title={t('user.editTitle', { name: user?.username ?? '' })}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      send={send}
      okTestId="user-edit-submit"
      initialValues={{ fullName: user?.fullName, email: user?.email, phone: user?.phone, active: user?.active }}
    >
      <Form.Item name="fullName" label={t('user.fullName')} rules={requiredText(t, 120)}>
        <Input data-testid="user-edit-fullname" />
      </Form.Item>
      <Form.Item name="email" label={t('user.email')} rules={[emailRule(t)]}>
        <Input />
      </Form.Item>
      <Form.Item name="phone" label={t('user.phone')} rules={[phoneRule(t)]}>
        <Input />
      </Form.Item>
      <Form.Item name="active" label={t('user.active')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}
