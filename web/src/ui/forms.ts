import { App, type FormInstance } from 'antd';
import { useState } from 'react';
import { useApiError } from './errors';

/** The form's values, or null when a rule fails (antd then shows the messages on the fields). */
export async function validValues<T>(form: FormInstance<T>): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch {
    return null;
  }
}

/** Sends a form's values; resolves to the success message, or to nothing when there is none. */
export type FormSend<Values> = (values: Values) => Promise<string | undefined> | Promise<void>;

/**
 * What a form's submit button does. `send` makes the API call and what follows it, and resolves to
 * the success message (or nothing, for none); while it runs `saving` is true, and an API error is
 * shown and put on the form's fields. `submit` validates the form first; `save` is for a
 * `<Form onFinish>`, which has validated already.
 */
export function useFormSubmit<Values>(form: FormInstance<Values>, send: FormSend<Values>) {
  const { message } = App.useApp();
  const showError = useApiError();
  const [saving, setSaving] = useState(false);

  const save = async (values: Values) => {
    setSaving(true);
    try {
      const success = await send(values);
      if (success) message.success(success);
    } catch (error) {
      showError(error, form);
    } finally {
      setSaving(false);
    }
  };

  const submit = async () => {
    const values = await validValues(form);
    if (values) await save(values);
  };

  return { submit, save, saving };
}
