// Up to five photos chosen from the phone (camera or gallery), with previews, checked for type and
// size before anything is sent.
import { CameraOutlined, CloseOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useT } from '../../i18n';
import { PHOTO_MAX_BYTES, PHOTO_MAX_FILES, PHOTO_TYPES } from './labels';

interface Props {
  value?: File[];
  onChange?: (files: File[]) => void;
  max?: number;
  testId?: string;
}

export function PhotoPicker({ value = [], onChange, max = PHOTO_MAX_FILES, testId = 'fb-photos' }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const inputRef = useRef<HTMLInputElement | null>(null);
  const previews = useMemo(() => value.map((file) => URL.createObjectURL(file)), [value]);
  useEffect(
    () => () => {
      for (const url of previews) URL.revokeObjectURL(url);
    },
    [previews],
  );

  const add = (list: FileList | null) => {
    if (!list) return;
    const accepted: File[] = [];
    for (const file of Array.from(list)) {
      if (!PHOTO_TYPES.includes(file.type)) {
        message.error(t('fb.photo.wrongType', { name: file.name }));
        continue;
      }
      if (file.size > PHOTO_MAX_BYTES) {
        message.error(t('fb.photo.tooLarge', { name: file.name, mb: PHOTO_MAX_BYTES / 1024 / 1024 }));
        continue;
      }
      accepted.push(file);
    }
    const room = max - value.length;
    if (accepted.length > room) message.warning(t('fb.photo.tooMany', { max }));
    if (accepted.length && room > 0) onChange?.([...value, ...accepted.slice(0, room)]);
    if (inputRef.current) inputRef.current.value = '';
  };

  return (
    <div className="fb-photos" data-testid={testId}>
      {value.map((file, index) => (
        <div className="fb-photo-thumb" key={`${file.name}-${file.size}-${file.lastModified}`}>
          <img src={previews[index]} alt={file.name} data-testid={`${testId}-preview`} />
          <Button
            size="small"
            shape="circle"
            icon={<CloseOutlined />}
            className="fb-photo-remove"
            aria-label={t('common.remove')}
            onClick={() => onChange?.(value.filter((_, i) => i !== index))}
          />
        </div>
      ))}
      {value.length < max && (
        <button type="button" className="fb-photo-add" onClick={() => inputRef.current?.click()}>
          <CameraOutlined />
          <span>{t('fb.photo.add', { n: value.length, max })}</span>
        </button>
      )}
      {/* antd's form styles show file inputs as blocks: the wrapper keeps it hidden. */}
      <span className="fb-photo-input">
        <input
          ref={inputRef}
          type="file"
          accept={PHOTO_TYPES.join(',')}
          multiple
          onChange={(event) => add(event.target.files)}
          data-testid={`${testId}-input`}
        />
      </span>
    </div>
  );
}
