// Phiếu xin lỗi và hẹn lại ngày trả kết quả: the new return date, the reason and the signer; the
// server writes the .docx (Decree 30 layout) and the browser saves it.
import { DatePicker, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT } from '../../format';
import { useT } from '../../i18n';
import { FormModal } from '../../ui/FormModal';
import { required, requiredText } from '../../ui/rules';
import type { ApologyLetterBody, DossierDetail } from './types';

interface Values {
  newReturnDate: Dayjs;
  reason: string;
  signerName: string;
  signerTitle: string;
  number?: string;
}

/** Saves a file the page received, under the server's name for it. */
function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ApologyLetterModal({ dossier, open, onClose }: { dossier: DossierDetail; open: boolean; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  const send = async (values: Values) => {
    const body: ApologyLetterBody = {
      newReturnDate: values.newReturnDate.format(API_DATE_FORMAT),
      reason: values.reason.trim(),
      signerName: values.signerName.trim(),
      signerTitle: values.signerTitle.trim(),
      number: values.number?.trim() || undefined,
    };
    const file = await api.postForFile(`/dossiers/${dossier.id}/apology-letter`, body);
    const fileName = file.fileName ?? `phieu-xin-loi-${dossier.code}.docx`;
    saveFile(file.blob, fileName);
    onClose();
    return t('dos.letter.done', { file: fileName });
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('dos.letter.title')}
      okText={t('dos.letter.submit')}
      onClose={onClose}
      form={form}
      send={send}
      hint={t('dos.letter.hint')}
      initialValues={{ signerTitle: t('dos.letter.signerTitleDefault') }}
      formTestId="dos-letter-form"
      okTestId="dos-letter-submit"
    >
      <Form.Item name="newReturnDate" label={t('dos.letter.newReturnDate')} extra={t('dos.letter.newReturnDateHint')} rules={[required(t)]}>
        <DatePicker
          format={DATE_FORMAT}
          disabledDate={(date) => !date.isAfter(dayjs(), 'day') || date.day() === 0 || date.day() === 6}
          data-testid="dos-letter-date"
        />
      </Form.Item>
      <Form.Item name="reason" label={t('dos.letter.reason')} rules={requiredText(t, 2000)}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="dos-letter-reason" />
      </Form.Item>
      <Form.Item name="signerName" label={t('dos.letter.signerName')} rules={requiredText(t, 100)}>
        <Input maxLength={100} data-testid="dos-letter-signer" />
      </Form.Item>
      <Form.Item name="signerTitle" label={t('dos.letter.signerTitle')} extra={t('dos.letter.signerTitleHint')} rules={requiredText(t, 200)}>
        <Input.TextArea rows={2} maxLength={200} data-testid="dos-letter-title" />
      </Form.Item>
      <Form.Item
        name="number"
        label={t('dos.letter.number')}
        extra={t('dos.letter.numberHint')}
        rules={[{ pattern: /^\s*\d{1,7}\/\S{1,40}\s*$/, message: t('dos.letter.numberInvalid') }]}
      >
        <Input maxLength={50} data-testid="dos-letter-number" />
      </Form.Item>
    </FormModal>
  );
}
