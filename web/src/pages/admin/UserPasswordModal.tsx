import { Form, Input } from 'antd';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { User } from '../../types';
import { FormModal } from '../../ui/FormModal';
import { confirmRules, passwordRules } from '../../ui/rules';

interface Values {
  password: string;
  confirm: string;
}

interface Props {
  user: User | null;
  onClose: () => void;
}

export function UserPasswordModal({ user, onClose }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  const send = async ({ password }: Values) => {
    if (!user) return;
    await api.post(`/users/${user.id}/password`, { password });
    onClose();
    return t('user.passwordReset', { name: user.username });
  };

  return (
    <FormModal
      open={!!user}
      title={t('user.resetPasswordTitle', { name: user?.username ?? '' })}
      okText={t('user.resetPassword')}
      onClose={onClose}
      form={form}
      send={send}
      hint={t('user.resetPasswordHint')}
    >
      <Form.Item name="password" label={t('password.new')} rules={passwordRules(t, () => user?.username)}>
        <Input.Password autoComplete="new-password" data-testid="user-password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['password']}
        rules={confirmRules(t)}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
