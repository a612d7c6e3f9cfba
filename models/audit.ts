import { and, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Append-only record of who changed or read what; bank_id lets a bank's own trail be scoped. */
export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorId: integer('actor_id'),
  actorRole: text('actor_role'),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id'),
  bankId: integer('bank_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  ip: text('ip'),
  requestId: text('request_id'),
}, (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId), index('audit_log_at_idx').on(t.at)]);

export type AuditRow = typeof auditLog.$inferSelect;

// ---- queries ----

export interface AuditEntry {
  actor?: { id: number; role: string } | null;
  /** Who acted when no staff member did (`ops`: the per-start operations token or an ops script). */
  actorRole?: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  bankId?: number | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  requestId?: string | null;
}

/** Appends one audit row; call it with the transaction of the change it records. */
export async function recordAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: e.actor?.id ?? null,
    actorRole: e.actor?.role ?? e.actorRole ?? null,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId == null ? null : String(e.entityId),
    bankId: e.bankId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    ip: e.ip ?? null,
    requestId: e.requestId ?? null,
  });
}

export interface AuditFilter {
  /** An exact action (`product.publish`), or every action under a prefix (`product.*`). */
  action?: string;
  actorId?: number;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

function auditWhere(f: AuditFilter): SQL | undefined {
  const prefix = f.action?.endsWith('.*') ? f.action.slice(0, -1) : undefined;
  return and(
    prefix ? sql`starts_with(${auditLog.action}, ${prefix})` : f.action ? eq(auditLog.action, f.action) : undefined,
    f.actorId !== undefined ? eq(auditLog.actorId, f.actorId) : undefined,
    f.from ? gte(auditLog.at, f.from) : undefined,
    // `to` is inclusive to its millisecond; the column keeps microseconds (23:59:59.999500 is still that day).
    f.to ? lt(auditLog.at, new Date(f.to.getTime() + 1)) : undefined,
  );
}

/** One page of the trail, newest first, with the total that matched. */
export async function listAudit(db: Executor, f: AuditFilter): Promise<{ rows: AuditRow[]; total: number }> {
  const where = auditWhere(f);
  const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [total] = await db.select({ n: count() }).from(auditLog).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}
