import { App, Form, Input, Modal, Switch } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { User } from '../../types';
import { useApiError } from '../../ui/errors';
import { validValues } from '../../ui/forms';
import { emailRule, phoneRule, requiredText } from '../../ui/rules';
import { buttonTestId } from '../../ui/testId';

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
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    if (!user) return;
    const values = await validValues(form);
    if (!values) return;
    setSaving(true);
    try {
      const saved = await api.patch<User>(`/users/${user.id}`, {
        fullName: values.fullName.trim(),
        email: values.email?.trim() || null,
        phone: values.phone?.trim() || null,
        active: values.active,
      });
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      showError(error, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!user}
      title={t('user.editTitle', { name: user?.username ?? '' })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={buttonTestId('user-edit-submit')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
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
      </Form>
    </Modal>
  );
}
