// Ban hành (issuing a draft): the refusal that names the missing clears, and the deadline on a
// non-working day, which the issuer confirms to move to the next working day.
import { App } from 'antd';
import { useCallback } from 'react';
import { ApiError, api } from '../../api';
import { formatDate } from '../../format';
import { useI18n } from '../../i18n';
import { useApiError } from '../../ui/errors';
import { buttonTestId } from '../../ui/testId';
import { clearList } from './labels';
import { CLEAR_KEYS, type ClearKey, type Task } from './types';

export type IssueOutcome =
  | { kind: 'issued'; task: Task }
  /** 422 TASK_NOT_CLEAR: the points missing, and the sentence to show. */
  | { kind: 'not_clear'; missing: ClearKey[]; text: string }
  /** Declined by the issuer, or another error (already shown). */
  | { kind: 'stopped' };

function missingOf(error: ApiError): ClearKey[] {
  const missing = error.data?.missing;
  return Array.isArray(missing) ? missing.filter((key): key is ClearKey => (CLEAR_KEYS as readonly string[]).includes(key)) : [];
}

export function useIssueTask() {
  const { modal } = App.useApp();
  const { t, lang } = useI18n();
  const showError = useApiError();

  const confirmMove = useCallback(
    (dueOn: string | null, suggested: string | null) =>
      new Promise<boolean>((resolve) => {
        modal.confirm({
          title: t('task.issue.notWorkingDayTitle'),
          content: suggested
            ? t('task.issue.notWorkingDay', { date: formatDate(dueOn), suggested: formatDate(suggested) })
            : t('task.issue.notWorkingDayNoDate', { date: formatDate(dueOn) }),
          okText: t('task.issue.moveAndIssue'),
          cancelText: t('task.issue.keepDraft'),
          okButtonProps: buttonTestId('task-issue-move'),
          cancelButtonProps: buttonTestId('task-issue-keep'),
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      }),
    [modal, t],
  );

  return useCallback(
    async (task: Pick<Task, 'id' | 'version' | 'dueOn'>): Promise<IssueOutcome> => {
      const path = `/tasks/${task.id}/issue`;
      try {
        return { kind: 'issued', task: await api.post<Task>(path, { version: task.version }) };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'TASK_NOT_CLEAR') {
          const missing = missingOf(error);
          const text = lang === 'vi' && error.message ? error.message : t('task.issue.notClear', { points: clearList(t, missing) });
          return { kind: 'not_clear', missing, text };
        }
        if (error instanceof ApiError && error.code === 'DUE_NOT_WORKING_DAY') {
          const suggested = typeof error.data?.suggestedDueOn === 'string' ? error.data.suggestedDueOn : null;
          if (!(await confirmMove(task.dueOn, suggested))) return { kind: 'stopped' };
          try {
            return { kind: 'issued', task: await api.post<Task>(path, { version: task.version, moveToWorkingDay: true }) };
          } catch (again) {
            showError(again);
            return { kind: 'stopped' };
          }
        }
        showError(error);
        return { kind: 'stopped' };
      }
    },
    [confirmMove, lang, showError, t],
  );
}
