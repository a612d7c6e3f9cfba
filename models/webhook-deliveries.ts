import { and, count, desc, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { banks, type BankRow } from './banks';
import { outbox, type OutboxRow } from './leads';

export type DeliveryState = 'pending' | 'delivered' | 'dead';

/** A bank's webhook deliveries, newest first, optionally in one state. */
export async function listDeliveries(db: Executor, bankId: number, q: { state?: DeliveryState; page: number; pageSize: number }): Promise<{ rows: OutboxRow[]; total: number }> {
  const state: SQL | undefined = q.state === 'delivered' ? isNotNull(outbox.deliveredAt) : q.state === 'dead' ? isNotNull(outbox.deadAt)
    : q.state === 'pending' ? and(isNull(outbox.deliveredAt), isNull(outbox.deadAt)) : undefined;
  const where = and(eq(outbox.bankId, bankId), state);
  const rows = await db.select().from(outbox).where(where).orderBy(desc(outbox.seq)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(outbox).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Puts a delivery back in the queue with a fresh set of tries; undefined when the bank has no such delivery. */
export async function requeueDelivery(db: Executor, bankId: number, deliveryId: string, now: Date): Promise<OutboxRow | undefined> {
  const [row] = await db.update(outbox).set({ deadAt: null, deliveredAt: null, attempts: 0, nextAttemptAt: now, lastError: null })
    .where(and(eq(outbox.bankId, bankId), eq(outbox.deliveryId, deliveryId))).returning();
  return row;
}

/** Sets (or with url null, removes) a bank's webhook target and secret; changes from `now` on are delivered. */
export async function setBankWebhook(tx: Executor, bankId: number, url: string | null, secret: string | null, now: Date): Promise<BankRow> {
  const [row] = await tx.update(banks).set({ webhookUrl: url, webhookSecret: secret, webhookSince: url ? now : null }).where(eq(banks.id, bankId)).returning();
  return row!;
}
