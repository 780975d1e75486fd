import type { FormInstance } from 'antd';

/** The form's values, or null when a rule fails (antd then shows the messages on the fields). */
export async function validValues<T>(form: FormInstance<T>): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch {
    return null;
  }
}
