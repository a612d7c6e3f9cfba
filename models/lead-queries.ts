import { and, asc, count, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { applications, type ApplicationRow } from './applications';
import { banks } from './banks';
import { leadEvents, leads, outbox, type LeadRow } from './leads';

export interface LeadWithApplication {
  lead: LeadRow;
  application: ApplicationRow;
  bankName: string;
}

export interface LeadFilter {
  scope?: SQL;
  status?: LeadRow['status'];
  from?: Date;
  to?: Date;
  officerId?: number;
  branchId?: number;
  bankId?: number;
  /** Only leads past an unmet deadline at this moment. */
  overdueAt?: Date;
  /** Only requests the desk should look at (true: a possible loan broker or a second contact) or none of those (false). */
  flagged?: boolean;
  page: number;
  pageSize: number;
}

/** A request the desk should look at: a possible loan broker, or a second contact for a company and product. */
const flaggedForDesk = sql`(${applications.flaggedBroker} or ${applications.secondContact})`;

export async function listLeads(db: Executor, f: LeadFilter): Promise<{ rows: LeadWithApplication[]; total: number }> {
  const where = and(f.scope,
    f.status ? eq(leads.status, f.status) : undefined,
    f.from ? gte(leads.createdAt, f.from) : undefined,
    f.to ? lte(leads.createdAt, f.to) : undefined,
    f.officerId !== undefined ? eq(leads.officerId, f.officerId) : undefined,
    f.branchId !== undefined ? eq(leads.branchId, f.branchId) : undefined,
    f.bankId !== undefined ? eq(leads.bankId, f.bankId) : undefined,
    f.overdueAt ? sql`((${leads.status} = 'new' and ${leads.acceptDueAt} < ${f.overdueAt.toISOString()}::timestamptz)
      or (${leads.status} = 'claimed' and ${leads.contactDueAt} < ${f.overdueAt.toISOString()}::timestamptz)
      or (${leads.status} in ('claimed', 'contacted') and ${leads.decisionDueAt} < ${f.overdueAt.toISOString()}::timestamptz))` : undefined,
    f.flagged === undefined ? undefined : f.flagged ? flaggedForDesk : sql`not ${flaggedForDesk}`);
  const rows = await db.select({ lead: leads, application: applications, bankName: banks.name }).from(leads)
    .innerJoin(applications, eq(applications.id, leads.applicationId)).innerJoin(banks, eq(banks.id, leads.bankId))
    .where(where).orderBy(desc(leads.createdAt), desc(leads.id)).limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [total] = await db.select({ n: count() }).from(leads).innerJoin(applications, eq(applications.id, leads.applicationId)).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

export async function findLead(db: Executor, id: number, scope?: SQL): Promise<LeadWithApplication | undefined> {
  const [row] = await db.select({ lead: leads, application: applications, bankName: banks.name }).from(leads)
    .innerJoin(applications, eq(applications.id, leads.applicationId)).innerJoin(banks, eq(banks.id, leads.bankId))
    .where(and(eq(leads.id, id), scope));
  return row;
}

export async function lockLead(db: Executor, id: number, scope?: SQL): Promise<LeadRow | undefined> {
  const [row] = await db.select().from(leads).where(and(eq(leads.id, id), scope)).for('update');
  return row;
}

export async function eventsOf(db: Executor, leadId: number) {
  return db.select().from(leadEvents).where(eq(leadEvents.leadId, leadId)).orderBy(asc(leadEvents.id));
}

/**
 * The bank's change feed after a cursor, in feed order, for the leads `scope` (the caller's lead scope)
 * lets them see now: a branch officer's feed skips the numbers of other branches' leads.
 */
export async function feedAfter(db: Executor, bankId: number, since: number, limit: number, scope?: SQL) {
  const rows = await db.select({ change: outbox }).from(outbox).innerJoin(leads, eq(leads.id, outbox.leadId))
    .where(and(eq(outbox.bankId, bankId), gt(outbox.seq, since), scope)).orderBy(asc(outbox.seq)).limit(limit);
  return rows.map((r) => r.change);
}
