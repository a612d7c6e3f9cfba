import { markAllNotificationsRead, markNotificationRead } from '../../models/notifications';
import type { NotificationRow } from '../../models/jobs';
import type { CommandArgs } from './command';
import { notificationNotFound } from './not-found';

/** The caller marks one of their own notices read (another user's reads as missing). */
export async function readNotification({ db, actor, input, now }: CommandArgs<{ id: number }>): Promise<NotificationRow> {
  const row = await markNotificationRead(db, actor.id, input.id, now);
  if (!row) throw notificationNotFound();
  return row;
}

/** The caller marks all their unread notices read; how many were. */
export async function readAllNotifications({ db, actor, now }: CommandArgs<unknown>): Promise<number> {
  return markAllNotificationsRead(db, actor.id, now);
}
