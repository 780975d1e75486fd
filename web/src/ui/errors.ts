// Turns an API error into the text the user reads, and puts field errors on the form.
import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api';
import { type Lang, type MessageKey, type Translate, useI18n } from '../i18n';

const CODE_MESSAGES: Record<string, MessageKey> = {
  NETWORK_ERROR: 'error.network',
  INVALID_CREDENTIALS: 'error.invalidCredentials',
  ACCOUNT_LOCKED: 'error.accountLocked',
  TOO_MANY_REQUESTS: 'error.tooManyRequests',
  UNAUTHENTICATED: 'error.unauthenticated',
  FORBIDDEN: 'error.forbidden',
  NOT_FOUND: 'error.notFound',
  CONFLICT: 'error.conflict',
  VALIDATION_FAILED: 'error.validation',
  CSRF_TOKEN_INVALID: 'error.csrf',
  DATABASE_UNAVAILABLE: 'error.databaseUnavailable',
};

/**
 * The server's `message` is Vietnamese: shown as is in Vietnamese; in English the known codes
 * are translated and anything else falls back to the server's words.
 */
export function errorText(error: unknown, lang: Lang, t: Translate): string {
  if (!(error instanceof ApiError)) return t('error.unexpected');
  const known = CODE_MESSAGES[error.code];
  if (lang === 'vi' && error.message) return error.message;
  if (known) return t(known);
  return error.message || t('error.unexpected');
}

/** `body.parentId`, `/grants/0/orgUnitId` → a form name path. */
function fieldPath(field: string): (string | number)[] {
  return field
    .replace(/^(body|query|params)[./]/, '')
    .split(/[./[\]]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function useApiError(): (error: unknown, form?: FormInstance) => string {
  const { message } = App.useApp();
  const { lang, t } = useI18n();
  return useCallback(
    (error: unknown, form?: FormInstance) => {
      const text = errorText(error, lang, t);
      if (form && error instanceof ApiError && error.details.length) {
        form.setFields(
          error.details
            .filter((detail) => detail.field)
            .map((detail) => ({ name: fieldPath(detail.field!), errors: [detail.message] })),
        );
      }
      if (!(error instanceof DOMException)) message.error(text);
      return text;
    },
    [message, lang, t],
  );
}
