// Form rules shared by the pages, with the messages in the user's language.
import type { FormRule } from 'antd';
import { foldText } from '../format';
import type { Translate } from '../i18n';

export const required = (t: Translate): FormRule => ({ required: true, message: t('validation.required') });

export const requiredText = (t: Translate, max = 255): FormRule[] => [
  { required: true, whitespace: true, message: t('validation.required') },
  { max, message: t('validation.maxLength', { max }) },
];

/** The server's policy (min 10, max 200, not containing the username); it also refuses common passwords. */
export const PASSWORD_MIN_LENGTH = 10;

export const passwordRules = (t: Translate, username?: () => string | undefined): FormRule[] => [
  { required: true, message: t('validation.required') },
  { min: PASSWORD_MIN_LENGTH, message: t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH }) },
  { max: 200, message: t('validation.maxLength', { max: 200 }) },
  {
    validator: async (_, value?: string) => {
      const name = foldText(username?.() ?? '');
      if (value && name.length >= 3 && foldText(value).includes(name)) {
        throw new Error(t('validation.passwordHasUsername'));
      }
    },
  },
];

/** The second entry of a new password: required, and equal to the field `of`. */
export const confirmRules = (t: Translate, of = 'password'): FormRule[] => [
  required(t),
  ({ getFieldValue }) => ({
    validator: (_, value) =>
      !value || value === getFieldValue(of) ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch'))),
  }),
];

export const usernameRules = (t: Translate): FormRule[] => [
  { required: true, message: t('validation.required') },
  { pattern: /^[A-Za-z0-9._-]{3,50}$/, message: t('validation.username') },
];

export const emailRule = (t: Translate): FormRule => ({ type: 'email', message: t('validation.email') });

export const phoneRule = (t: Translate): FormRule => ({
  pattern: /^\+?[0-9 .-]{8,20}$/,
  message: t('validation.phone'),
});

export const codeRules = (t: Translate): FormRule[] => [
  { required: true, whitespace: true, message: t('validation.required') },
  { pattern: /^[A-Za-z0-9._-]{1,50}$/, message: t('validation.code') },
];

export const rangeRule = (t: Translate, min: number, max: number): FormRule => ({
  type: 'number',
  min,
  max,
  message: t('validation.range', { min, max }),
});
