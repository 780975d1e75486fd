import { Segmented } from 'antd';
import { type Lang, useI18n } from '../i18n';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      value={lang}
      onChange={setLang}
      options={[
        { value: 'vi', label: 'VI', title: t('lang.vi') },
        { value: 'en', label: 'EN', title: t('lang.en') },
      ]}
      data-testid="language-switch"
    />
  );
}
