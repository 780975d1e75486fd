import { App, Form, Modal, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { OrgUnit } from '../../types';
import { useApiError } from '../../ui/errors';
import { validValues } from '../../ui/forms';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { subtreeIds } from '../../ui/orgTree';
import { required } from '../../ui/rules';

interface Props {
  unit: OrgUnit | null;
  onClose: () => void;
  onMoved: (unit: OrgUnit) => void;
}

export function OrgUnitMoveModal({ unit, onClose, onMoved }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const { tree } = useOrgUnits();
  const [form] = Form.useForm<{ parentId: number }>();
  const [saving, setSaving] = useState(false);

  // A unit cannot move under itself or one of its descendants.
  const excluded = useMemo(() => {
    const node = unit ? tree.byId.get(unit.id) : undefined;
    return node ? subtreeIds(node) : new Set<number>();
  }, [unit, tree]);

  const submit = async () => {
    if (!unit) return;
    const values = await validValues(form);
    if (!values) return;
    const { parentId } = values;
    if (parentId === unit.parentId) {
      form.setFields([{ name: 'parentId', errors: [t('orgUnit.moveSameParent')] }]);
      return;
    }
    setSaving(true);
    try {
      const moved = await api.post<OrgUnit>(`/org-units/${unit.id}/move`, { parentId });
      message.success(t('orgUnit.moved', { name: moved.name }));
      onMoved(moved);
    } catch (error) {
      showError(error, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!unit}
      title={t('orgUnit.moveTitle', { name: unit?.name ?? '' })}
      okText={t('orgUnit.move')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('orgUnit.moveHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ parentId: unit?.parentId ?? undefined }}>
        <Form.Item name="parentId" label={t('orgUnit.newParent')} rules={[required(t)]}>
          <OrgUnitPicker excludeIds={excluded} activeOnly testId="org-unit-move-parent" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
