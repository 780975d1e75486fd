import { App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { User } from '../../types';
import { useApiError } from '../../ui/errors';
import { validValues } from '../../ui/forms';
import { passwordRules, required } from '../../ui/rules';

interface Props {
  user: User | null;
  onClose: () => void;
}

export function UserPasswordModal({ user, onClose }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    if (!user) return;
    const values = await validValues(form);
    if (!values) return;
    const { password } = values;
    setSaving(true);
    try {
      await api.post(`/users/${user.id}/password`, { password });
      message.success(t('user.passwordReset', { name: user.username }));
      onClose();
    } catch (error) {
      showError(error, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!user}
      title={t('user.resetPasswordTitle', { name: user?.username ?? '' })}
      okText={t('user.resetPassword')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('user.resetPasswordHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="password" label={t('password.new')} rules={passwordRules(t, () => user?.username)}>
          <Input.Password autoComplete="new-password" data-testid="user-password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['password']}
          rules={[
            required(t),
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('validation.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
