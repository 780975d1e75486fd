// A dialog around a vertical form: OK validates and sends it (see useFormSubmit), Cancel closes,
// and closing drops the form's fields.
import { Form, type FormInstance, type FormProps, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { type FormSend, useFormSubmit } from './forms';
import { buttonTestId } from './testId';

interface Props<Values> {
  open: boolean;
  title: ReactNode;
  okText: ReactNode;
  onClose: () => void;
  form: FormInstance<Values>;
  send: FormSend<Values>;
  /** A line of help above the form. */
  hint?: ReactNode;
  initialValues?: FormProps<Values>['initialValues'];
  width?: number;
  formTestId?: string;
  okTestId?: string;
  children: ReactNode;
}

export function FormModal<Values>(props: Props<Values>) {
  const { open, title, okText, onClose, form, send, hint, initialValues, width, formTestId, okTestId, children } = props;
  const t = useT();
  const { submit, saving } = useFormSubmit(form, send);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={okTestId ? buttonTestId(okTestId) : undefined}
      destroyOnHidden
      width={width}
    >
      {hint && <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>}
      <Form form={form} layout="vertical" preserve={false} initialValues={initialValues} data-testid={formTestId}>
        {children}
      </Form>
    </Modal>
  );
}
