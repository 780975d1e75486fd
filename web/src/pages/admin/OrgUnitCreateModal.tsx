import { Form } from 'antd';
import { useEffect } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { OrgUnit } from '../../types';
import { FormModal } from '../../ui/FormModal';
import { OrgUnitFields, type OrgUnitFormValues, toOrgUnitBody } from './orgUnitFields';

interface Props {
  open: boolean;
  parentId: number | null;
  onClose: () => void;
  onCreated: (unit: OrgUnit) => void;
}

export function OrgUnitCreateModal({ open, parentId, onClose, onCreated }: Props) {
  const t = useT();
  const [form] = Form.useForm<OrgUnitFormValues>();

  useEffect(() => {
    if (open) form.setFieldsValue({ parentId: parentId ?? undefined, kind: 'commune' });
  }, [open, parentId, form]);

  const send = async (values: OrgUnitFormValues) => {
    const unit = await api.post<OrgUnit>('/org-units', { ...toOrgUnitBody(values), parentId: values.parentId });
    form.resetFields();
    onCreated(unit);
    return t('orgUnit.created', { name: unit.name });
  };

  return (
    <FormModal
      open={open}
      title={t('orgUnit.createTitle')}
      okText={t('common.create')}
      onClose={onClose}
      form={form}
      send={send}
      okTestId="org-unit-form-submit"
      formTestId="org-unit-form"
      width={560}
    >
      <OrgUnitFields withParent testId="org-unit-form" />
    </FormModal>
  );
}
