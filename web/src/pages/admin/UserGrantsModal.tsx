// A user's grants: each a role on a unit and its subtree; add one, remove one.
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, Empty, Form, Modal, Row, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { Role, User } from '../../types';
import { useApiError } from '../../ui/errors';
import { useFormSubmit } from '../../ui/forms';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { GrantTag, roleOptions } from '../../ui/roles';
import { required } from '../../ui/rules';

interface Props {
  user: User | null;
  onClose: () => void;
  onChanged: (user: User) => void;
}

export function UserGrantsModal({ user, onClose, onChanged }: Props) {
  const t = useT();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ role: Role; orgUnitId: number }>();
  const [current, setCurrent] = useState<User | null>(user);

  useEffect(() => setCurrent(user), [user]);

  const { save: add, saving } = useFormSubmit(form, async (values) => {
    if (!current) return;
    if (current.grants.some((g) => g.role === values.role && g.orgUnitId === values.orgUnitId)) {
      form.setFields([{ name: 'orgUnitId', errors: [t('user.grantExists')] }]);
      return;
    }
    const saved = await api.post<User>(`/users/${current.id}/grants`, values);
    setCurrent(saved);
    form.resetFields(['orgUnitId']);
    onChanged(saved);
    return t('user.grantAdded');
  });

  const remove = (grantId: number) => {
    if (!current) return;
    if (current.grants.length === 1) {
      message.warning(t('user.lastGrant'));
      return;
    }
    modal.confirm({
      title: t('user.removeGrantConfirm'),
      okText: t('common.remove'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const saved = await api.delete<User>(`/users/${current.id}/grants/${grantId}`);
          setCurrent(saved);
          onChanged(saved);
        } catch (error) {
          showError(error);
        }
      },
    });
  };

  return (
    <Modal
      open={!!user}
      title={t('user.grantsTitle', { name: current?.username ?? '' })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('common.close')}</Button>}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('user.grantsHint')}</Typography.Paragraph>
      <div className="grant-list" data-testid="user-grants">
        {current?.grants.length ? (
          <Space wrap>
            {current.grants.map((grant) => (
              <GrantTag key={grant.id} grant={grant} t={t} onClose={() => remove(grant.id)} />
            ))}
          </Space>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('user.noGrants')} />
        )}
      </div>
      <Form form={form} layout="vertical" onFinish={add} initialValues={{ role: 'officer' }} className="section-gap">
        <Row gutter={8} align="bottom">
          <Col span={8}>
            <Form.Item name="role" label={t('user.role')} rules={[required(t)]}>
              <Select options={roleOptions(t)} data-testid="user-grant-role" />
            </Form.Item>
          </Col>
          <Col span={11}>
            <Form.Item name="orgUnitId" label={t('user.grantUnit')} rules={[required(t)]}>
              <OrgUnitPicker activeOnly testId="user-grant-unit" />
            </Form.Item>
          </Col>
          <Col span={5}>
            <Form.Item>
              <Button htmlType="submit" icon={<PlusOutlined />} loading={saving} block data-testid="user-grant-add">
                {t('common.add')}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
