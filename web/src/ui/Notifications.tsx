// The bell in the header: in-app notifications of the feedback module (GET /feedback/notifications),
// refreshed by the live bus (SSE /api/v1/events) and every minute, with a toast for an urgent report.
import { BellOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, Popover, Spin, Tag, Typography, theme } from 'antd';
import { type CSSProperties, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { RESYNC_EVENT } from '../../../src/platform/bus/stream';
import { api } from '../api';
import { useAuth } from '../auth';
import { formatDateTime } from '../format';
import { type MessageKey, useT } from '../i18n';
import type { ListResponse, Role } from '../types';
import { useApiError } from './errors';

export type NotificationKind = 'overdue' | 'urgent' | 'assigned';

export interface AppNotification {
  id: number;
  kind: NotificationKind | string;
  reportId: number | null;
  reportCode: string | null;
  message: string;
  createdAt: string;
  readAt: string | null;
}

const BASE = '/feedback/notifications';
const EVENTS_URL = '/api/v1/events';
/** How many of the latest notifications the list shows. */
const LIST_SIZE = 10;
/** The fallback when the live stream is down or an event was missed. */
const POLL_MS = 60_000;
/** Bursts of bus events (a verify-and-assign sends several) cause one reload. */
const DEBOUNCE_MS = 400;
/** The live events after which the list may have changed. */
const REFRESH_EVENTS = ['feedback.received', 'feedback.changed', 'feedback.urgent', 'feedback.overdue', 'notification.created'];
const STAFF_ROLES: readonly Role[] = ['administrator', 'leader', 'operator', 'officer'];

const KIND_COLORS: Record<string, string> = { overdue: 'red', urgent: 'volcano', assigned: 'blue' };

/** Where a notification leads: the staff page of its report. */
export const reportPath = (reportId: number) => `/feedback/reports/${reportId}`;

interface UrgentPayload {
  id?: number;
  code?: string;
  description?: string;
}

/** The bell, for signed-in staff only; nothing for anyone else. */
export function NotificationBell() {
  const { user } = useAuth();
  const isStaff = !!user?.grants.some((grant) => STAFF_ROLES.includes(grant.role));
  if (!user || !isStaff) return null;
  // Keyed by user: another person signing in starts with a fresh list and a fresh stream.
  return <Bell key={user.id} />;
}

function Bell() {
  const t = useT();
  const navigate = useNavigate();
  const apiError = useApiError();
  const { message, notification } = App.useApp();
  const { token } = theme.useToken();

  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<AppNotification[]>([]);
  const [total, setTotal] = useState(0);
  const [unread, setUnread] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  /** Only the newest load may set the state (an older answer arriving late is dropped). */
  const loadSeq = useRef(0);

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    try {
      const [latest, unreadOnly] = await Promise.all([
        api.get<ListResponse<AppNotification>>(BASE, { page: 1, pageSize: LIST_SIZE }),
        api.get<ListResponse<AppNotification>>(BASE, { unread: true, page: 1, pageSize: 1 }),
      ]);
      if (!mounted.current || seq !== loadSeq.current) return;
      setItems(latest.items);
      setTotal(latest.total);
      setUnread(unreadOnly.total);
      setFailed(false);
    } catch {
      // A 401 already signs the user out (api.ts); otherwise keep what is shown and try again later.
      if (mounted.current && seq === loadSeq.current) setFailed(true);
    } finally {
      if (mounted.current && seq === loadSeq.current) setLoaded(true);
    }
  }, []);

  // The handlers below run from the stream and timers: keep the latest closures without reconnecting.
  const latest = useRef({ load, navigate, notification, t });
  useEffect(() => {
    latest.current = { load, navigate, notification, t };
  });

  useEffect(() => {
    mounted.current = true;
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const scheduleLoad = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void latest.current.load(), DEBOUNCE_MS);
    };

    const onUrgent = (event: MessageEvent<string>) => {
      let payload: UrgentPayload = {};
      try {
        payload = ((JSON.parse(event.data) as { payload?: UrgentPayload }).payload ?? {}) as UrgentPayload;
      } catch {
        return;
      }
      const { notification: toast, navigate: go, t: tr } = latest.current;
      const key = `feedback-urgent-${payload.id ?? payload.code ?? Date.now()}`;
      const id = payload.id;
      toast.warning({
        key,
        title: tr('notif.urgentTitle', { code: payload.code ?? '' }),
        description: payload.description,
        duration: 10,
        actions:
          typeof id === 'number' ? (
            <Button
              type="primary"
              size="small"
              onClick={() => {
                toast.destroy(key);
                go(reportPath(id));
              }}
            >
              {tr('notif.urgentOpen')}
            </Button>
          ) : undefined,
      });
    };

    // Cookies go with a same-origin EventSource (withCredentials only matters across origins).
    let source: EventSource | null = null;
    const connect = () => {
      if (typeof EventSource === 'undefined') return;
      source?.close();
      source = new EventSource(EVENTS_URL);
      for (const type of REFRESH_EVENTS) source.addEventListener(type, scheduleLoad);
      // Events sent while the stream was down (the browser reconnected, or the server's own
      // listener did: RESYNC_EVENT) are lost: load again.
      source.addEventListener(RESYNC_EVENT, scheduleLoad);
      source.addEventListener('open', scheduleLoad);
      source.addEventListener('feedback.urgent', onUrgent);
    };
    connect();
    void latest.current.load();

    const poll = setInterval(() => {
      void latest.current.load();
      // The browser gives up on a stream refused outright (e.g. a server restart answered 503): try again.
      if (source && source.readyState === EventSource.CLOSED) connect();
    }, POLL_MS);

    return () => {
      mounted.current = false;
      clearInterval(poll);
      clearTimeout(debounce);
      source?.close();
      source = null;
    };
  }, []);

  const openItem = async (item: AppNotification) => {
    setOpen(false);
    if (!item.readAt) {
      const readAt = new Date().toISOString();
      setItems((list) => list.map((n) => (n.id === item.id ? { ...n, readAt } : n)));
      setUnread((n) => Math.max(0, n - 1));
      try {
        await api.post(`${BASE}/${item.id}/read`);
      } catch (error) {
        message.error(apiError(error));
      }
      void load();
    }
    if (item.reportId !== null) navigate(reportPath(item.reportId));
  };

  const readAll = async () => {
    setBusy(true);
    try {
      await api.post(`${BASE}/read-all`);
      const readAt = new Date().toISOString();
      setItems((list) => list.map((n) => (n.readAt ? n : { ...n, readAt })));
      setUnread(0);
    } catch (error) {
      message.error(apiError(error));
    } finally {
      setBusy(false);
      void load();
    }
  };

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) void load();
  };

  const countStyle: CSSProperties = {
    minWidth: 18,
    height: 18,
    padding: '0 5px',
    borderRadius: 9,
    background: token.colorError,
    color: token.colorTextLightSolid,
    fontSize: 11,
    fontWeight: 600,
    lineHeight: '18px',
    textAlign: 'center',
    boxShadow: `0 0 0 1px ${token.colorBgContainer}`,
  };

  const header = (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 16 }}>
      <span>{t('notif.title')}</span>
      <Button
        type="link"
        size="small"
        style={{ paddingInline: 0 }}
        disabled={unread === 0}
        loading={busy}
        onClick={() => void readAll()}
        data-testid="notifications-read-all"
      >
        {t('notif.readAll')}
      </Button>
    </div>
  );

  let body: ReactNode;
  if (!loaded) {
    body = (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  } else if (items.length === 0) {
    body = (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={failed ? t('notif.loadFailed') : t('notif.empty')}
        data-testid="notifications-empty"
      />
    );
  } else {
    body = items.map((item) => {
      const isUnread = !item.readAt;
      return (
        <button
          key={item.id}
          type="button"
          onClick={() => void openItem(item)}
          data-testid="notification-item"
          data-id={item.id}
          data-unread={isUnread ? 'true' : 'false'}
          style={{
            display: 'block',
            width: '100%',
            textAlign: 'left',
            padding: '8px 12px',
            border: 0,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            background: isUnread ? token.colorPrimaryBg : 'transparent',
            cursor: 'pointer',
            font: 'inherit',
            color: token.colorText,
          }}
        >
          <div style={{ fontWeight: isUnread ? 600 : 400, lineHeight: 1.4 }}>{item.message}</div>
          <div style={{ marginTop: 4, display: 'flex', alignItems: 'center', gap: 8, fontSize: 12 }}>
            <Tag color={KIND_COLORS[item.kind] ?? 'default'} style={{ marginInlineEnd: 0 }}>
              {KIND_COLORS[item.kind] ? t(`notif.kind.${item.kind}` as MessageKey) : item.kind}
            </Tag>
            {item.reportCode && <Typography.Text type="secondary">{item.reportCode}</Typography.Text>}
            <Typography.Text type="secondary" style={{ marginInlineStart: 'auto', fontSize: 12 }}>
              {formatDateTime(item.createdAt)}
            </Typography.Text>
          </div>
        </button>
      );
    });
  }

  const content = (
    <div style={{ width: 380, maxWidth: 'calc(100vw - 32px)' }}>
      <div data-testid="notifications-list" style={{ maxHeight: 420, overflowY: 'auto', margin: '0 -12px' }}>
        {body}
      </div>
      {loaded && total > items.length && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
          {t('notif.more', { shown: items.length, total })}
        </Typography.Text>
      )}
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={onOpenChange}
      trigger="click"
      placement="bottomRight"
      arrow={false}
      title={header}
      content={content}
    >
      <Button
        type="text"
        aria-label={unread > 0 ? t('notif.bellUnread', { n: unread }) : t('notif.bell')}
        data-testid="notifications-bell"
        data-unread={unread}
        icon={
          <Badge
            count={
              unread > 0 ? (
                <span data-testid="notifications-count" style={countStyle}>
                  {unread > 99 ? '99+' : unread}
                </span>
              ) : 0
            }
            offset={[4, -2]}
          >
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
