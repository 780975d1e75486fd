// One unit: its facts, the edit form, and the actions (create child, move, deactivate/activate).
import { ApartmentOutlined, CheckCircleOutlined, PlusOutlined, StopOutlined, SwapOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Descriptions, Empty, Form, Popconfirm, Space, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { formatNumber } from '../../format';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { OrgUnit } from '../../types';
import { useApiError } from '../../ui/errors';
import { useFormSubmit } from '../../ui/forms';
import { OrgUnitFields, type OrgUnitFormValues, toOrgUnitBody } from './orgUnitFields';

interface Props {
  unitId: number | null;
  version: number;
  onChanged: (unit: OrgUnit) => void;
  onCreateChild: (parentId: number) => void;
  onMove: (unit: OrgUnit) => void;
}

export function OrgUnitDetail({ unitId, version, onChanged, onCreateChild, onMove }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useApiError();
  const { nameOf } = useOrgUnits();
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  const [loading, setLoading] = useState(false);
  // The edit form is remounted with fresh initial values after each load.
  const [formKey, setFormKey] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version only asks for a fresh copy
  useEffect(() => {
    if (unitId === null) {
      setUnit(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    api
      .get<OrgUnit>(`/org-units/${unitId}`, undefined, controller.signal)
      .then((loaded) => {
        setUnit(loaded);
        setFormKey((key) => key + 1);
      })
      .catch((error) => {
        if (!controller.signal.aborted) showError(error);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [unitId, version, showError]);

  if (unitId === null) {
    return (
      <Card className="org-detail">
        <Empty description={t('orgUnit.selectHint')} />
      </Card>
    );
  }
  if (!unit) return <Card className="org-detail" loading />;

  const saved = (next: OrgUnit) => {
    setUnit(next);
    onChanged(next);
  };

  const toggleActive = async () => {
    try {
      const action = unit.active ? 'deactivate' : 'activate';
      const saved = await api.post<OrgUnit>(`/org-units/${unit.id}/${action}`);
      setUnit(saved);
      message.success(t(saved.active ? 'orgUnit.activated' : 'orgUnit.deactivated', { name: saved.name }));
      onChanged(saved);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Card
      className="org-detail"
      title={
        <Space>
          <ApartmentOutlined />
          {unit.name}
          {unit.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
        </Space>
      }
    >
      <Spin spinning={loading}>
        <Space wrap className="org-detail-actions">
          <Button
            icon={<PlusOutlined />}
            onClick={() => onCreateChild(unit.id)}
            disabled={!unit.active}
            data-testid="org-unit-create-child"
          >
            {t('orgUnit.createChild')}
          </Button>
          <Button icon={<SwapOutlined />} onClick={() => onMove(unit)} disabled={unit.parentId === null} data-testid="org-unit-move">
            {t('orgUnit.move')}
          </Button>
          <Popconfirm
            title={unit.active ? t('orgUnit.deactivateConfirm') : t('orgUnit.activateConfirm')}
            description={unit.active ? t('orgUnit.deactivateHint') : undefined}
            okText={t('common.yes')}
            cancelText={t('common.no')}
            onConfirm={toggleActive}
          >
            <Button
              danger={unit.active}
              icon={unit.active ? <StopOutlined /> : <CheckCircleOutlined />}
              data-testid="org-unit-toggle-active"
            >
              {unit.active ? t('orgUnit.deactivate') : t('orgUnit.activate')}
            </Button>
          </Popconfirm>
        </Space>
        <Breadcrumb className="org-detail-path" items={unit.path.map((id) => ({ title: nameOf(id) }))} />
        <Descriptions size="small" column={3} className="org-detail-facts">
          <Descriptions.Item label={t('orgUnit.level')}>{unit.level}</Descriptions.Item>
          <Descriptions.Item label={t('orgUnit.childCount')}>{formatNumber(unit.childCount)}</Descriptions.Item>
          <Descriptions.Item label={t('orgUnit.parent')}>{nameOf(unit.parentId) || '—'}</Descriptions.Item>
        </Descriptions>
        <OrgUnitEditForm key={`${unit.id}-${formKey}`} unit={unit} onSaved={saved} />
      </Spin>
    </Card>
  );
}

/** The edit form, mounted afresh (own form store) for each loaded copy of the unit. */
function OrgUnitEditForm({ unit, onSaved }: { unit: OrgUnit; onSaved: (unit: OrgUnit) => void }) {
  const t = useT();
  const [form] = Form.useForm<OrgUnitFormValues>();
  const { save, saving } = useFormSubmit(form, async (values) => {
    const saved = await api.patch<OrgUnit>(`/org-units/${unit.id}`, toOrgUnitBody(values));
    onSaved(saved);
    return t('common.saved');
  });

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={save}
      initialValues={{ code: unit.code, name: unit.name, kind: unit.kind, lat: unit.lat, lng: unit.lng }}
      data-testid="org-unit-edit-form"
    >
      <OrgUnitFields withParent={false} testId="org-unit-edit" />
      <Button type="primary" htmlType="submit" loading={saving} data-testid="org-unit-edit-submit">
        {t('common.save')}
      </Button>
    </Form>
  );
}
