import type { Db } from '../../db/kysely.js';
import { type Actor, scopePaths } from '../../platform/auth/actor.js';
import { notFound, unauthenticated } from '../../platform/errors/errors.js';
import type { ListResult } from '../../platform/http/list.js';
import * as repo from './repo.js';
import type { Notification, NotificationQuery } from './schemas.js';

/** In-app notifications: a person's own, and those addressed to a unit they lead. */
export function createNotificationService(deps: { db: Db }) {
  const { db } = deps;
  const who = (actor: Actor) => {
    if (actor.userId === null) throw unauthenticated('Thông báo chỉ dành cho người dùng đã đăng nhập.');
    return { userId: actor.userId, unitPaths: scopePaths(actor, ['leader', 'administrator']) };
  };
  return {
    async list(actor: Actor, query: NotificationQuery): Promise<ListResult<Notification>> {
      const pageSize = query.pageSize ?? 20;
      const page = query.page ?? 1;
      const { rows, total } = await repo.listNotifications(db, { ...who(actor), unread: query.unread === true, limit: pageSize, offset: (page - 1) * pageSize });
      return {
        total,
        items: rows.map((n) => ({ id: Number(n.id), kind: n.kind, reportId: n.report_id, reportCode: n.report_code, taskId: n.task_id, taskCode: n.task_code, message: n.message, createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString() ?? null })),
      };
    },
    async markRead(actor: Actor, id: number): Promise<void> {
      const me = who(actor);
      if (!(await repo.notificationVisible(db, { ...me, id }))) throw notFound('thông báo');
      await repo.markNotificationsRead(db, { ...me, id });
    },
    async markAllRead(actor: Actor): Promise<void> {
      await repo.markNotificationsRead(db, who(actor));
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
