// The locality's task settings: "6 rõ" (rõ thẩm quyền required too) and the reminder's lead time.
// Everyone reads them (the form shows the sixth clear); administrators at the root change them.
import { Card, Form, InputNumber, Space, Switch, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useApiError } from '../../ui/errors';
import type { TaskSettings } from './types';

export function useTaskSettings(): { settings: TaskSettings | null; setSettings: (settings: TaskSettings) => void } {
  const [settings, setSettings] = useState<TaskSettings | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<TaskSettings>('/tasks/settings', undefined, controller.signal)
      .then(setSettings)
      .catch((error) => {
        if (!controller.signal.aborted) console.error(error);
      });
    return () => controller.abort();
  }, []);
  return { settings, setSettings };
}

export function SettingsCard() {
  const t = useT();
  const showError = useApiError();
  const { settings, setSettings } = useTaskSettings();
  const [saving, setSaving] = useState(false);

  const save = useCallback(
    async (next: TaskSettings) => {
      setSaving(true);
      try {
        setSettings(await api.put<TaskSettings>('/tasks/settings', next));
      } catch (error) {
        showError(error);
      } finally {
        setSaving(false);
      }
    },
    [setSettings, showError],
  );

  return (
    <Card size="small" title={t('task.settings.title')} className="section-gap" data-testid="task-settings" loading={!settings}>
      {settings && (
        <Form layout="vertical">
          <Form.Item label={t('task.settings.sixClears')} extra={t('task.settings.sixClearsHint')}>
            <Space>
              <Switch
                checked={settings.sixClears}
                loading={saving}
                onChange={(sixClears) => void save({ ...settings, sixClears })}
                data-testid="task-settings-six"
              />
              <Typography.Text>{settings.sixClears ? t('task.settings.six') : t('task.settings.five')}</Typography.Text>
            </Space>
          </Form.Item>
          <Form.Item label={t('task.settings.reminderDays')} extra={t('task.settings.reminderDaysHint')}>
            <InputNumber<number>
              min={1}
              max={20}
              precision={0}
              value={settings.reminderDaysBefore}
              disabled={saving}
              onBlur={(event) => {
                const value = Number(event.target.value);
                if (Number.isInteger(value) && value >= 1 && value <= 20 && value !== settings.reminderDaysBefore) void save({ ...settings, reminderDaysBefore: value });
              }}
              data-testid="task-settings-reminder"
            />
          </Form.Item>
        </Form>
      )}
    </Card>
  );
}
