import { and, count, desc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../server/db';
import { hitRateLimit } from './rate-limits';
import { boolean, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { banks, branches } from './banks';

export const channelKinds = ['desk', 'branch', 'town', 'event', 'park', 'online'] as const;
export type ChannelKind = (typeof channelKinds)[number];

/** A QR entry point: where a company scanned (the financing desk, a branch, a township, an event). */
export const channels = pgTable('channels', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  /** Short, random and unguessable: the QR code encodes PUBLIC_BASE_URL/q/CODE. */
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').$type<ChannelKind>().notNull(),
  bankId: integer('bank_id').references(() => banks.id),
  branchId: integer('branch_id').references(() => branches.id),
  district: text('district'),
  active: boolean('active').notNull().default(true),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  scanCount: integer('scan_count').notNull().default(0),
  lastScanAt: timestamp('last_scan_at', { withTimezone: true }),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('channels_kind_check', sql`${t.kind} in ('desk','branch','town','event','park','online')`),
  index('channels_bank_idx').on(t.bankId),
]);

export type ChannelRow = typeof channels.$inferSelect;

// ---- queries ----

export interface ChannelFilter {
  scope?: SQL;
  kind?: ChannelKind;
  bankId?: number;
  active?: boolean;
  page: number;
  pageSize: number;
}

/** Channels with how many applications came through each. */
export async function listChannels(db: Executor, f: ChannelFilter) {
  const where = and(f.scope, f.kind ? eq(channels.kind, f.kind) : undefined, f.bankId !== undefined ? eq(channels.bankId, f.bankId) : undefined,
    f.active !== undefined ? eq(channels.active, f.active) : undefined);
  const applicationCount = sql<number>`(select count(*)::int from applications a where a.channel_id = "channels"."id")`;
  const rows = await db.select({ channel: channels, applicationCount }).from(channels).where(where)
    .orderBy(desc(channels.createdAt), desc(channels.id)).limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [total] = await db.select({ n: count() }).from(channels).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

export async function findChannel(db: Executor, id: number, scope?: SQL): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(and(eq(channels.id, id), scope));
  return row;
}

/** One client's reloads of a code within this window count as one scan. */
export const SCAN_WINDOW_MS = 10 * 60_000;

/**
 * Records a scan of a live code (active, not expired) and answers whether the code can be used. The
 * count rises at most once per client address per channel per window: the client's hits are counted
 * in rate_limits (key `scan:CHANNEL:ADDRESS`, shared by every instance) and only the first hit of a
 * window adds to the channel's counter, so reloading /q/CODE cannot inflate it.
 */
export async function recordScan(db: Db, code: string, now: Date, client: string): Promise<{ state: 'ok' | 'unknown' | 'closed'; counted: boolean }> {
  return db.transaction(async (tx) => {
    const live = await liveChannelByCode(tx, code, now);
    if (!live) {
      const [dead] = await tx.select({ id: channels.id }).from(channels).where(eq(channels.code, code));
      return { state: dead ? 'closed' as const : 'unknown' as const, counted: false };
    }
    const { hits } = await hitRateLimit(tx, `scan:${live.id}:${client}`, SCAN_WINDOW_MS, now);
    const counted = hits === 1;
    await tx.update(channels).set({ ...(counted ? { scanCount: sql`${channels.scanCount} + 1` } : {}), lastScanAt: now }).where(eq(channels.id, live.id));
    return { state: 'ok' as const, counted };
  });
}

/** The live channel with this code, or undefined (unknown, inactive or expired). */
export async function liveChannelByCode(db: Executor, code: string, now: Date): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels)
    .where(and(eq(channels.code, code), eq(channels.active, true), or(isNull(channels.expiresAt), gt(channels.expiresAt, now))));
  return row;
}

/**
 * The channel a request counts under when no code was scanned (the website, "申请" in the catalogue):
 * one `online` channel of the city, made on the first start. Serialised by an advisory lock, so
 * instances starting together make one.
 */
export async function ensureOnlineChannel(db: Db, code: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rongma.online_channel'))`);
    const [found] = await tx.select({ id: channels.id }).from(channels)
      .where(and(eq(channels.kind, 'online'), isNull(channels.bankId), isNull(channels.branchId))).orderBy(channels.id).limit(1);
    if (found) return found.id;
    const [made] = await tx.insert(channels).values({ code, name: '线上申请（未扫码）', kind: 'online' }).returning({ id: channels.id });
    return made!.id;
  });
}

/** SQL: the channel of a submission: its scanned code's, or without one the city's `online` channel. */
export function channelOfSubmission(code: string | undefined): SQL {
  return code
    ? sql`(select id from channels where code = ${code})`
    : sql`(select id from channels where kind = 'online' and bank_id is null and branch_id is null order by id limit 1)`;
}

export async function insertChannel(tx: Executor, row: Omit<typeof channels.$inferInsert, 'id'>): Promise<ChannelRow> {
  const [made] = await tx.insert(channels).values(row).returning();
  return made!;
}

export async function updateChannelRow(tx: Executor, id: number, set: Partial<typeof channels.$inferInsert>): Promise<ChannelRow> {
  const [row] = await tx.update(channels).set(set).where(eq(channels.id, id)).returning();
  return row!;
}
