import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { notifications, type NotificationRow } from './jobs';
import { users } from './users';

export type Message = { zh: string; en: string };

export async function notify(db: Executor, userIds: number[], n: { kind: string; message: Message; leadId?: number | null }, now: Date): Promise<number> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return 0;
  await db.insert(notifications).values(unique.map((userId) => ({ userId, kind: n.kind, message: n.message, leadId: n.leadId ?? null, createdAt: now })));
  return unique.length;
}

export async function bankAdminIds(db: Executor, bankId: number): Promise<number[]> {
  return (await db.select({ id: users.id }).from(users).where(and(eq(users.bankId, bankId), eq(users.role, 'bank_admin'), eq(users.active, true)))).map((u) => u.id);
}

export async function deskIds(db: Executor): Promise<number[]> {
  return (await db.select({ id: users.id }).from(users).where(and(eq(users.role, 'desk'), eq(users.active, true)))).map((u) => u.id);
}

export async function notificationsOf(db: Executor, userId: number, unreadOnly: boolean, limit: number) {
  const where = and(eq(notifications.userId, userId), unreadOnly ? isNull(notifications.readAt) : undefined);
  const rows = await db.select().from(notifications).where(where).orderBy(desc(notifications.id)).limit(limit);
  const [unread] = await db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return { rows, unread: Number(unread?.n ?? 0) };
}

/** Marks one of this user's notices read; undefined when they have no such notice. */
export async function markNotificationRead(db: Executor, userId: number, id: number, now: Date): Promise<NotificationRow | undefined> {
  const [row] = await db.update(notifications).set({ readAt: now }).where(and(eq(notifications.id, id), eq(notifications.userId, userId))).returning();
  return row;
}

/** Marks every unread notice of this user read; how many there were. */
export async function markAllNotificationsRead(db: Executor, userId: number, now: Date): Promise<number> {
  const rows = await db.update(notifications).set({ readAt: now }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).returning({ id: notifications.id });
  return rows.length;
}
