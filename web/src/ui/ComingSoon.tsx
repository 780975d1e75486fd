import { ToolOutlined } from '@ant-design/icons';
import { Result } from 'antd';
import { type MessageKey, useT } from '../i18n';

export function ComingSoon({ title }: { title: MessageKey }) {
  const t = useT();
  return (
    <Result
      icon={<ToolOutlined />}
      title={t(title)}
      subTitle={t('comingSoon.text')}
      extra={<span className="muted">{t('comingSoon.hint')}</span>}
      data-testid="coming-soon"
    />
  );
}
