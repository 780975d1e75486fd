// /phan-anh: the citizen's report form — category, place (map, address or the phone's location),
// description, photos, optional contact, anonymity; on success the tracking code.
import { AimOutlined, CheckCircleTwoTone, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Result,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import { errorText } from '../../ui/errors';
import { useFormSubmit } from '../../ui/forms';
import { emailRule, phoneRule, required } from '../../ui/rules';
import { FeedbackMap } from '../feedback/FeedbackMap';
import { DESCRIPTION_MAX, StatusTag } from '../feedback/labels';
import { PhotoPicker } from '../feedback/PhotoPicker';
import type { CategoryAttribute, PublicCategory, ReportStatus, SubmitResult } from '../feedback/types';
import { saveReporterToken } from './reporterToken';

interface Values {
  category: string;
  address?: string;
  description: string;
  photos?: File[];
  name?: string;
  phone?: string;
  email?: string;
  anonymous: boolean;
  attributes?: Record<string, unknown>;
}

interface PublicDuplicate {
  code: string;
  status: ReportStatus;
  description: string;
  distanceMeters: number | null;
}

function AttributeInput({ attribute }: { attribute: CategoryAttribute }) {
  const testId = `fb-form-attr-${attribute.code}`;
  switch (attribute.datatype) {
    case 'number':
      return <InputNumber className="full-width" data-testid={testId} />;
    case 'text':
      return <Input.TextArea rows={2} maxLength={1000} data-testid={testId} />;
    case 'singlevaluelist':
      return (
        <Select
          allowClear
          options={(attribute.values ?? []).map((v) => ({ value: v.key, label: v.name }))}
          data-testid={testId}
        />
      );
    case 'multivaluelist':
      return <Checkbox.Group options={(attribute.values ?? []).map((v) => ({ value: v.key, label: v.name }))} data-testid={testId} />;
    case 'datetime':
      return <Input type="datetime-local" data-testid={testId} />;
    default:
      return <Input maxLength={255} data-testid={testId} />;
  }
}

export default function SubmitPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [categories, setCategories] = useState<PublicCategory[]>([]);
  const [point, setPoint] = useState<{ lat: number; lng: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [done, setDone] = useState<SubmitResult | null>(null);
  const [duplicates, setDuplicates] = useState<PublicDuplicate[]>([]);
  const [trackCode, setTrackCode] = useState('');
  const categoryCode = Form.useWatch('category', form);
  const description = Form.useWatch('description', form) ?? '';

  // The address is required only without a point: check it again once the point is set, so
  // a message shown before (no point, no address) goes away with the new point.
  useEffect(() => {
    if (point && form.isFieldTouched('address')) form.validateFields(['address']).catch(() => undefined);
    else if (point) form.setFields([{ name: 'address', errors: [] }]);
  }, [point, form]);

  useEffect(() => {
    api
      .get<{ items: PublicCategory[] }>('/public/feedback/categories')
      .then((result) => setCategories(result.items))
      .catch((error) => message.error(errorText(error, lang, t)));
  }, [message, lang, t]);

  const category = useMemo(() => categories.find((c) => c.code === categoryCode), [categories, categoryCode]);
  const attributes = useMemo(
    () => (category?.attributes ?? []).filter((a) => a.variable).sort((a, b) => a.order - b.order),
    [category],
  );

  // Similar open reports nearby while the citizen types: maybe it is already known.
  useEffect(() => {
    const text = description.trim();
    if (!categoryCode || (!point && text.length < 15)) {
      setDuplicates([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<{ items: PublicDuplicate[] }>(
          '/public/feedback/duplicates',
          { category: categoryCode, lat: point?.lat, lng: point?.lng, text: text.slice(0, 500) },
          controller.signal,
        )
        .then((result) => setDuplicates(result.items.slice(0, 5)))
        .catch(() => setDuplicates([]));
    }, 600);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [categoryCode, point, description]);

  const locate = () => {
    if (!navigator.geolocation) {
      message.error(t('pub.form.noGeolocation'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        setPoint({ lat: position.coords.latitude, lng: position.coords.longitude });
      },
      () => {
        setLocating(false);
        message.error(t('pub.form.locationDenied'));
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  };

  const send = async (values: Values) => {
    const body = new FormData();
    body.set('category', values.category);
    body.set('description', values.description.trim());
    if (point) {
      body.set('lat', point.lat.toFixed(6));
      body.set('lng', point.lng.toFixed(6));
    }
    if (values.address?.trim()) body.set('address', values.address.trim());
    if (values.name?.trim()) body.set('name', values.name.trim());
    if (values.phone?.trim()) body.set('phone', values.phone.trim());
    if (values.email?.trim()) body.set('email', values.email.trim());
    body.set('anonymous', values.anonymous ? 'true' : 'false');
    const attributeValues = Object.fromEntries(
      Object.entries(values.attributes ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    );
    if (Object.keys(attributeValues).length) body.set('attributes', JSON.stringify(attributeValues));
    for (const photo of values.photos ?? []) body.append('photos', photo, photo.name);
    const result = await api.post<SubmitResult>('/public/feedback', body);
    saveReporterToken(result.code, result.token);
    setDone(result);
    window.scrollTo({ top: 0 });
  };
  const { save, saving } = useFormSubmit(form, send);

  if (done) {
    return (
      <Card className="pub-card">
        <Result
          icon={<CheckCircleTwoTone twoToneColor="#52c41a" />}
          title={t('pub.done.title')}
          subTitle={t('pub.done.text')}
          extra={
            <Space direction="vertical" size="middle" className="full-width">
              <div className="pub-code" data-testid="fb-tracking-code">
                {done.code}
              </div>
              <Link to={`/phan-anh/${encodeURIComponent(done.code)}`} data-testid="fb-tracking-link">
                <Button type="primary" size="large" block>
                  {t('pub.done.follow')}
                </Button>
              </Link>
              <Alert
                type="info"
                showIcon
                title={t('pub.done.tokenTitle')}
                description={
                  <>
                    <Typography.Paragraph>{t('pub.done.tokenText')}</Typography.Paragraph>
                    <Typography.Text code copyable data-testid="fb-tracking-token">
                      {done.token}
                    </Typography.Text>
                  </>
                }
              />
              <Button
                onClick={() => {
                  form.resetFields();
                  setPoint(null);
                  setDone(null);
                }}
              >
                {t('pub.done.another')}
              </Button>
            </Space>
          }
        />
      </Card>
    );
  }

  return (
    <div className="pub-form-page">
      <Typography.Title level={3} className="pub-title">
        {t('pub.form.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('pub.form.intro')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ anonymous: true, photos: [] }}
        onFinish={(values) => void save(values)}
        data-testid="fb-form"
        requiredMark="optional"
        scrollToFirstError
      >
        <Form.Item name="category" label={t('pub.form.category')} rules={[required(t)]}>
          <Select
            size="large"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('pub.form.categoryPlaceholder')}
            options={categories.map((c) => ({ value: c.code, label: c.name, title: c.description }))}
            data-testid="fb-form-category"
          />
        </Form.Item>
        {category?.description && (
          <Typography.Paragraph type="secondary" className="pub-hint">
            {category.description}
          </Typography.Paragraph>
        )}

        <Form.Item label={t('pub.form.place')} required className="pub-place">
          <Typography.Paragraph type="secondary" className="pub-hint">
            {t('pub.form.placeHint')}
          </Typography.Paragraph>
          <FeedbackMap
            picked={point}
            onPick={(lat, lng) => {
              setPoint({ lat, lng });
            }}
            height={260}
            testId="fb-form-map"
          />
          <div className="pub-place-row">
            <Button icon={<AimOutlined />} loading={locating} onClick={locate} data-testid="fb-form-locate">
              {t('pub.form.useLocation')}
            </Button>
            {point ? (
              <span className="muted" data-testid="fb-form-point">
                {point.lat.toFixed(5)}, {point.lng.toFixed(5)}{' '}
                <Button type="link" size="small" onClick={() => setPoint(null)}>
                  {t('common.remove')}
                </Button>
              </span>
            ) : (
              <span className="muted">{t('pub.form.noPoint')}</span>
            )}
          </div>
        </Form.Item>
        <Form.Item
          name="address"
          label={t('pub.form.address')}
          rules={[
            { max: 500, message: t('validation.maxLength', { max: 500 }) },
            {
              validator: async (_, value?: string) => {
                if (!point && !value?.trim()) throw new Error(t('pub.form.locationRequired'));
              },
            },
          ]}
        >
          <Input size="large" placeholder={t('pub.form.addressPlaceholder')} data-testid="fb-form-address" />
        </Form.Item>

        <Form.Item
          name="description"
          label={t('pub.form.description')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { max: DESCRIPTION_MAX, message: t('validation.maxLength', { max: DESCRIPTION_MAX }) },
          ]}
        >
          <Input.TextArea
            rows={5}
            showCount
            maxLength={DESCRIPTION_MAX}
            placeholder={t('pub.form.descriptionPlaceholder')}
            data-testid="fb-form-description"
          />
        </Form.Item>
        {duplicates.length > 0 && (
          <Alert
            className="section-gap-bottom"
            type="warning"
            showIcon
            title={t('pub.form.similar')}
            data-testid="fb-form-duplicates"
            description={
              <ul className="pub-dup-list">
                {duplicates.map((d) => (
                  <li key={d.code}>
                    <Link to={`/phan-anh/${encodeURIComponent(d.code)}`} target="_blank">
                      {d.code}
                    </Link>{' '}
                    <StatusTag status={d.status} t={t} /> {d.description}
                    {d.distanceMeters !== null && <span className="muted"> · {Math.round(d.distanceMeters)} m</span>}
                  </li>
                ))}
              </ul>
            }
          />
        )}

        {attributes.map((attribute) => (
          <Form.Item
            key={attribute.code}
            name={['attributes', attribute.code]}
            label={attribute.description || attribute.code}
            extra={attribute.datatypeDescription}
            rules={attribute.required ? [required(t)] : undefined}
          >
            <AttributeInput attribute={attribute} />
          </Form.Item>
        ))}

        <Form.Item name="photos" label={t('pub.form.photos')} extra={t('pub.form.photosHint')}>
          <PhotoPicker testId="fb-form-photos" />
        </Form.Item>

        <Card size="small" title={t('pub.form.contact')} className="section-gap-bottom">
          <Typography.Paragraph type="secondary" className="pub-hint">
            {t('pub.form.contactHint')}
          </Typography.Paragraph>
          <Form.Item name="name" label={t('pub.form.name')} rules={[{ max: 120, message: t('validation.maxLength', { max: 120 }) }]}>
            <Input autoComplete="name" data-testid="fb-form-name" />
          </Form.Item>
          <Form.Item name="phone" label={t('pub.form.phone')} rules={[phoneRule(t)]}>
            <Input type="tel" autoComplete="tel" data-testid="fb-form-phone" />
          </Form.Item>
          <Form.Item name="email" label={t('pub.form.email')} rules={[emailRule(t)]}>
            <Input type="email" autoComplete="email" data-testid="fb-form-email" />
          </Form.Item>
          <Form.Item name="anonymous" valuePropName="checked" label={t('pub.form.anonymous')} extra={t('pub.form.anonymousHint')}>
            <Switch data-testid="fb-form-anonymous" />
          </Form.Item>
        </Card>

        <Button
          type="primary"
          size="large"
          block
          htmlType="submit"
          icon={<SendOutlined />}
          loading={saving}
          data-testid="fb-form-submit"
        >
          {t('pub.form.submit')}
        </Button>
      </Form>

      <Card size="small" className="section-gap" title={t('pub.track.lookupTitle')}>
        <Space.Compact className="full-width">
          <Input
            value={trackCode}
            onChange={(e) => setTrackCode(e.target.value)}
            placeholder={t('pub.track.codePlaceholder')}
            onPressEnter={() => trackCode.trim() && navigate(`/phan-anh/${encodeURIComponent(trackCode.trim())}`)}
            data-testid="fb-lookup-code"
          />
          <Button
            onClick={() => trackCode.trim() && navigate(`/phan-anh/${encodeURIComponent(trackCode.trim())}`)}
            data-testid="fb-lookup-submit"
          >
            {t('pub.track.lookup')}
          </Button>
        </Space.Compact>
      </Card>
    </div>
  );
}
