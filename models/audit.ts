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
    actorRole: e.actor?.role ?? null,
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
