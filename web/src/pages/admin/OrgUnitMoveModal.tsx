import { Form } from 'antd';
import { useMemo } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { OrgUnit } from '../../types';
import { FormModal } from '../../ui/FormModal';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { subtreeIds } from '../../ui/orgTree';
import { required } from '../../ui/rules';

interface Values {
  parentId: number;
}

interface Props {
  unit: OrgUnit | null;
  onClose: () => void;
  onMoved: (unit: OrgUnit) => void;
}

export function OrgUnitMoveModal({ unit, onClose, onMoved }: Props) {
  const t = useT();
  const { tree } = useOrgUnits();
  const [form] = Form.useForm<Values>();

  // A unit cannot move under itself or one of its descendants.
  const excluded = useMemo(() => {
    const node = unit ? tree.byId.get(unit.id) : undefined;
    return node ? subtreeIds(node) : new Set<number>();
  }, [unit, tree]);

  const send = async ({ parentId }: Values) => {
    if (!unit) return;
    if (parentId === unit.parentId) {
      form.setFields([{ name: 'parentId', errors: [t('orgUnit.moveSameParent')] }]);
      return;
    }
    const moved = await api.post<OrgUnit>(`/org-units/${unit.id}/move`, { parentId });
    onMoved(moved);
    return t('orgUnit.moved', { name: moved.name });
  };

  return (
    <FormModal
      open={!!unit}
      title={t('orgUnit.moveTitle', { name: unit?.name ?? '' })}
      okText={t('orgUnit.move')}
      onClose={onClose}
      form={form}
      send={send}
      hint={t('orgUnit.moveHint')}
      initialValues={{ parentId: unit?.parentId ?? undefined }}
    >
      <Form.Item name="parentId" label={t('orgUnit.newParent')} rules={[required(t)]}>
        <OrgUnitPicker excludeIds={excluded} activeOnly testId="org-unit-move-parent" />
      </Form.Item>
    </FormModal>
  );
}
