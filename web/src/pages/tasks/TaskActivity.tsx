// A task's conversation and record: comments (with a box to add one), the people watching it, and
// the history of everything that happened to it, oldest first (the roll-up's own updates hidden
// until asked for: a task with many sub-tasks has one after every report).
import { Button, Card, Empty, Form, Input, List, Space, Switch, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { type MessageKey, type Translate, useT } from '../../i18n';
import { useApiError } from '../../ui/errors';
import { clearList, formatPercent } from './labels';
import { CLEAR_KEYS, type ClearKey, type TaskDetail, type TaskEvent } from './types';

const EVENT_COLORS: Record<string, string> = {
  issued: 'blue',
  reported: 'blue',
  submitted: 'gold',
  accepted: 'green',
  returned: 'orange',
  extension_requested: 'gold',
  extension_approved: 'green',
  extension_refused: 'red',
  cancelled: 'gray',
  subtasks_cancelled: 'gray',
  reminded: 'gray',
  rolled_up: 'gray',
};

function eventLabel(t: Translate, type: string): string {
  const key = `task.event.${type}` as MessageKey;
  const text = t(key);
  return text === key ? type : text;
}

/** The one fact that matters in an event, in words ("50 %", "đến 30/06/2026", the reason). */
function eventDetail(t: Translate, event: TaskEvent): string | null {
  const d = event.data;
  const parts: string[] = [];
  if (typeof d.percent === 'number') parts.push(formatPercent(d.percent));
  if (event.type === 'rolled_up' && d.from !== undefined && d.to !== undefined) {
    parts.push(`${formatPercent(Number(d.from))} → ${formatPercent(Number(d.to))}`);
  }
  if (typeof d.dueOn === 'string') parts.push(t('task.event.dueOn', { date: formatDate(d.dueOn) }));
  if (typeof d.movedFrom === 'string') parts.push(t('task.event.movedFrom', { date: formatDate(d.movedFrom) }));
  if (typeof d.childCode === 'string') parts.push(d.childCode);
  if (typeof d.withParent === 'string') parts.push(t('task.event.withParent', { code: d.withParent }));
  if (Array.isArray(d.codes)) parts.push(d.codes.filter((c): c is string => typeof c === 'string').join(', '));
  if (Array.isArray(d.missing)) {
    const keys = d.missing.filter((k): k is ClearKey => (CLEAR_KEYS as readonly string[]).includes(k));
    if (keys.length) parts.push(clearList(t, keys));
  }
  for (const field of ['reason', 'note', 'text'] as const) {
    if (typeof d[field] === 'string' && d[field]) parts.push(d[field] as string);
  }
  return parts.length ? parts.join(' · ') : null;
}

export function TaskConversation({ task, onChanged }: { task: TaskDetail; onChanged: () => void }) {
  const t = useT();
  const showError = useApiError();
  const [form] = Form.useForm<{ text: string }>();
  const [sending, setSending] = useState(false);

  const comment = async ({ text }: { text: string }) => {
    setSending(true);
    try {
      await api.post(`/tasks/${task.id}/comments`, { text: text.trim() });
      form.resetFields();
      onChanged();
    } catch (error) {
      showError(error, form);
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <Card size="small" title={t('task.detail.comments')}>
        <List
          size="small"
          dataSource={task.comments}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('task.detail.noComments')} /> }}
          data-testid="task-comments"
          renderItem={(c) => (
            <List.Item data-testid="task-comment">
              <div>
                <Typography.Text strong>{c.author?.fullName ?? ''}</Typography.Text> <span className="muted">{formatDateTime(c.createdAt)}</span>
                <div className="task-comment-text">{c.text}</div>
              </div>
            </List.Item>
          )}
        />
        {task.can.comment && (
          <Form form={form} onFinish={comment} className="section-gap" data-testid="task-comment-form">
            <Form.Item name="text" rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 4000, message: t('validation.maxLength', { max: 4000 }) }]}>
              <Input.TextArea rows={2} placeholder={t('task.comment.placeholder')} data-testid="task-comment-text" />
            </Form.Item>
            <Button htmlType="submit" loading={sending} data-testid="task-comment-submit">
              {t('task.comment.send')}
            </Button>
          </Form>
        )}
      </Card>

      <Card size="small" title={t('task.detail.watchers')} className="section-gap">
        {task.watchers.length === 0 ? (
          <span className="muted">{t('task.detail.noWatchers')}</span>
        ) : (
          <Space wrap size={[4, 4]} data-testid="task-watchers">
            {task.watchers.map((w) => (
              <Tag key={w.id}>{w.fullName}</Tag>
            ))}
          </Space>
        )}
      </Card>
    </>
  );
}

export function TaskHistory({ task }: { task: TaskDetail }) {
  const t = useT();
  const [showRollups, setShowRollups] = useState(false);
  const rollups = task.events.filter((e) => e.type === 'rolled_up').length;
  const events = showRollups ? task.events : task.events.filter((e) => e.type !== 'rolled_up');
  return (
    <Card
      size="small"
      title={t('task.detail.history')}
      extra={
        rollups > 0 && (
          <Space size={4}>
            <Switch size="small" checked={showRollups} onChange={setShowRollups} data-testid="task-history-rollups" />
            <span className="muted">{t('task.detail.showRollups', { n: rollups })}</span>
          </Space>
        )
      }
    >
      {events.length === 0 ? (
        <span className="muted">{t('task.detail.noHistory')}</span>
      ) : (
        <Timeline
          data-testid="task-history"
          items={events.map((event) => {
            const detail = eventDetail(t, event);
            return {
              key: event.id,
              color: EVENT_COLORS[event.type] ?? 'blue',
              title: formatDateTime(event.at),
              content: (
                <div data-testid="task-event" data-type={event.type}>
                  <Typography.Text strong>{eventLabel(t, event.type)}</Typography.Text>
                  {event.actor && <span className="muted"> · {event.actor.fullName}</span>}
                  {detail && <div className="task-event-detail">{detail}</div>}
                </div>
              ),
            };
          })}
        />
      )}
    </Card>
  );
}
