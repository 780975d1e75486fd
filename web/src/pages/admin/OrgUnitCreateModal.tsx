import { App, Form, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { OrgUnit } from '../../types';
import { useApiError } from '../../ui/errors';
import { validValues } from '../../ui/forms';
import { buttonTestId } from '../../ui/testId';
import { OrgUnitFields, type OrgUnitFormValues, toOrgUnitBody } from './orgUnitFields';

interface Props {
  open: boolean;
  parentId: number | null;
  onClose: () => void;
  onCreated: (unit: OrgUnit) => void;
}

export function OrgUnitCreateModal({ open, parentId, onClose, onCreated }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<OrgUnitFormValues>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ parentId: parentId ?? undefined, kind: 'commune' });
  }, [open, parentId, form]);

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    setSaving(true);
    try {
      const unit = await api.post<OrgUnit>('/org-units', { ...toOrgUnitBody(values), parentId: values.parentId });
      message.success(t('orgUnit.created', { name: unit.name }));
      form.resetFields();
      onCreated(unit);
    } catch (error) {
      showError(error, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('orgUnit.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={buttonTestId('org-unit-form-submit')}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" preserve={false} data-testid="org-unit-form">
        <OrgUnitFields withParent testId="org-unit-form" />
      </Form>
    </Modal>
  );
}
