import { and, asc, count, desc, eq, gt, gte, ilike, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { containsPattern } from '../server/sql';
import { applications, consents, type ApplicationRow } from './applications';
import { banks } from './banks';
import { sequenceFeeds } from './lead-changes';
import { leadEvents, leads, outbox, type LeadRow } from './leads';
import { users } from './users';

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
  /** Only leads past an unmet deadline at this moment (true), or none of those (false), as of `now`. */
  overdue?: boolean;
  now?: Date;
  /** The company's district (GB/T 2260 code) as declared. */
  district?: string;
  productId?: number;
  /** Declared first loan (the bank's own finding wins once recorded). */
  firstLoan?: boolean;
  /** Part of the company's name, or its USCC. */
  q?: string;
  /** A working queue: `mine` (held by `actorId`), `claimable` (waiting to be accepted, nobody else holding it), `all`; sorted by the next deadline, overdue first. */
  view?: QueueView;
  actorId?: number;
  /** Only requests the desk should look at (true: a possible loan broker or a second contact) or none of those (false). */
  flagged?: boolean;
  page: number;
  pageSize: number;
}

export const queueViews = ['mine', 'claimable', 'all'] as const;
export type QueueView = (typeof queueViews)[number];

/**
 * SQL twin of `overdueStage` (server/domain/lead-lifecycle.ts): the stage whose deadline the lead has
 * missed at `now` ('accept' | 'contact' | 'decision'), or null. Every count of overdue leads (the lead
 * list, the SLA job's marks, the reports, the digest, /metrics) reads this one expression. `alias`
 * names the leads table when a raw query renames it (`from leads l`).
 */
export function overdueStageSql(now: Date, alias?: string): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const col = (column: (typeof leads)['status' | 'acceptDueAt' | 'contactDueAt' | 'decisionDueAt']) => alias ? sql.raw(`${alias}.${column.name}`) : sql`${column}`;
  return sql`(case when ${col(leads.status)} = 'new' and ${col(leads.acceptDueAt)} < ${at} then 'accept'
      when ${col(leads.status)} = 'claimed' and ${col(leads.contactDueAt)} < ${at} then 'contact'
      when ${col(leads.status)} in ('claimed', 'contacted') and ${col(leads.decisionDueAt)} < ${at} then 'decision' end)`;
}

/** The lead has missed a deadline of its current step at `now` (`overdueStageSql` is not null). */
export function overdueSql(now: Date, alias?: string): SQL {
  return sql`(${overdueStageSql(now, alias)} is not null)`;
}

/** SQL twin of `nextDueAt`: the deadline of the step the lead is in, null when none is owed. */
const nextDueSql = sql`(case ${leads.status} when 'new' then ${leads.acceptDueAt} when 'claimed' then ${leads.contactDueAt} when 'contacted' then ${leads.decisionDueAt} end)`;

/** The leads of a queue view, for the actor `actorId` (within the caller's scope). */
function viewSql(view: QueueView | undefined, actorId: number | undefined): SQL | undefined {
  if (view === 'mine') return eq(leads.officerId, actorId ?? -1);
  if (view === 'claimable') return and(eq(leads.status, 'new'), or(isNull(leads.officerId), eq(leads.officerId, actorId ?? -1)));
  return undefined;
}


/** A request the desk should look at: a possible loan broker, or a second contact for a company and product. */
const flaggedForDesk = sql`(${applications.flaggedBroker} or ${applications.secondContact})`;

function filterSql(f: Omit<LeadFilter, 'page' | 'pageSize'>, view: QueueView | undefined): SQL | undefined {
  const now = f.now ?? new Date();
  const q = f.q?.trim();
  return and(f.scope, viewSql(view, f.actorId),
    f.status ? eq(leads.status, f.status) : undefined,
    f.from ? gte(leads.createdAt, f.from) : undefined,
    f.to ? lte(leads.createdAt, f.to) : undefined,
    f.officerId !== undefined ? eq(leads.officerId, f.officerId) : undefined,
    f.branchId !== undefined ? eq(leads.branchId, f.branchId) : undefined,
    f.bankId !== undefined ? eq(leads.bankId, f.bankId) : undefined,
    f.overdue === undefined ? undefined : f.overdue ? overdueSql(now) : sql`not ${overdueSql(now)}`,
    f.district ? sql`${applications.companySnapshot}->>'district' = ${f.district}` : undefined,
    f.productId !== undefined ? eq(leads.productId, f.productId) : undefined,
    f.firstLoan === undefined ? undefined : sql`coalesce(${leads.firstLoanConfirmed}, ${applications.isFirstLoan}) = ${f.firstLoan}`,
    q ? or(ilike(sql`${applications.companySnapshot}->>'name'`, containsPattern(q)), eq(sql`${applications.companySnapshot}->>'uscc'`, q.toUpperCase())) : undefined,
    f.flagged === undefined ? undefined : f.flagged ? flaggedForDesk : sql`not ${flaggedForDesk}`);
}

export async function listLeads(db: Executor, f: LeadFilter): Promise<{ rows: LeadWithApplication[]; total: number }> {
  const where = filterSql(f, f.view);
  // A queue puts what is late first (overdue as the lead answers it), then what falls due next; finished leads last, newest first.
  const order = f.view
    ? [sql`${overdueSql(f.now ?? new Date())} desc`, sql`${nextDueSql} asc nulls last`, desc(leads.createdAt), desc(leads.id)]
    : [desc(leads.createdAt), desc(leads.id)];
  const rows = await db.select({ lead: leads, application: applications, bankName: banks.name }).from(leads)
    .innerJoin(applications, eq(applications.id, leads.applicationId)).innerJoin(banks, eq(banks.id, leads.bankId))
    .where(where).orderBy(...order).limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [total] = await db.select({ n: count() }).from(leads).innerJoin(applications, eq(applications.id, leads.applicationId)).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** How many leads each queue view holds under the same filters (the tab counts of the bank page). */
export async function queueCounts(db: Executor, f: Omit<LeadFilter, 'page' | 'pageSize'>): Promise<Record<QueueView, number>> {
  const n = (view: QueueView) => sql<number>`count(*) filter (where ${filterSql(f, view) ?? sql`true`})::int`;
  const [row] = await db.select({ mine: n('mine'), claimable: n('claimable'), all: n('all') }).from(leads)
    .innerJoin(applications, eq(applications.id, leads.applicationId));
  return { mine: Number(row?.mine ?? 0), claimable: Number(row?.claimable ?? 0), all: Number(row?.all ?? 0) };
}

/** The ids of the users a condition on users (server/policies.ts `actsOnLead`) names. */
export async function userIdsWhere(db: Executor, where: SQL): Promise<number[]> {
  return (await db.select({ id: users.id }).from(users).where(where)).map((r) => r.id);
}

/** The consent the applicant gave for this bank (PIPL Art. 23), if any. */
export async function consentFor(db: Executor, applicationId: number, bankId: number) {
  const [row] = await db.select().from(consents).where(and(eq(consents.applicationId, applicationId), eq(consents.bankId, bankId)));
  return row;
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
 * lets them see now: a branch officer's feed skips the numbers of other branches' leads. Changes
 * committed since the last read are numbered first (`sequenceFeeds`).
 */
export async function feedAfter(db: Executor, bankId: number, since: number, limit: number, scope?: SQL) {
  await sequenceFeeds(db, bankId);
  const rows = await db.select({ change: outbox }).from(outbox).innerJoin(leads, eq(leads.id, outbox.leadId))
    .where(and(eq(outbox.bankId, bankId), gt(outbox.seq, since), scope)).orderBy(asc(outbox.seq)).limit(limit);
  return rows.map((r) => r.change);
}
