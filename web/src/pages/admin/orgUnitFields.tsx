// The org-unit form fields, shared by the create dialog and the detail panel.
import { Col, Form, Input, InputNumber, Row, Select } from 'antd';
import { type Translate, useT } from '../../i18n';
import { ORG_UNIT_KINDS, type OrgUnitKind } from '../../types';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { codeRules, rangeRule, required, requiredText } from '../../ui/rules';

export interface OrgUnitFormValues {
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId?: number;
  lat?: number | null;
  lng?: number | null;
}

export function kindOptions(t: Translate) {
  return ORG_UNIT_KINDS.map((kind) => ({ value: kind, label: t(`orgUnit.kind.${kind}`) }));
}

/** Empty coordinates go to the API as null so a PATCH can clear them. */
export function toOrgUnitBody(values: OrgUnitFormValues) {
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    kind: values.kind,
    lat: values.lat ?? null,
    lng: values.lng ?? null,
  };
}

export function OrgUnitFields({ withParent, testId }: { withParent: boolean; testId: string }) {
  const t = useT();
  return (
    <>
      {withParent && (
        <Form.Item name="parentId" label={t('orgUnit.parent')} rules={[required(t)]}>
          <OrgUnitPicker placeholder={t('orgUnit.parentPlaceholder')} testId={`${testId}-parent`} activeOnly />
        </Form.Item>
      )}
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="code" label={t('orgUnit.code')} rules={codeRules(t)}>
            <Input data-testid={`${testId}-code`} />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="kind" label={t('orgUnit.kindLabel')} rules={[required(t)]}>
            <Select options={kindOptions(t)} data-testid={`${testId}-kind`} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="name" label={t('orgUnit.name')} rules={requiredText(t, 200)}>
        <Input data-testid={`${testId}-name`} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="lat" label={t('orgUnit.lat')} rules={[rangeRule(t, -90, 90)]}>
            <InputNumber className="full-width" controls={false} data-testid={`${testId}-lat`} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="lng" label={t('orgUnit.lng')} rules={[rangeRule(t, -180, 180)]}>
            <InputNumber className="full-width" controls={false} data-testid={`${testId}-lng`} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
