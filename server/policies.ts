import { and, eq, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { isBankRole, scopeToBank, type Actor } from './auth';
import { CONTACT_VISIBLE } from './domain/lead-lifecycle';
import { ForbiddenError } from './errors';
import { leads, type LeadRow } from '../models/leads';
import { products } from '../models/products';
import { users } from '../models/users';

/**
 * The one rule for which leads a user may read, claim and act on (SPEC "Leads as a bank sees them"):
 * every lead for the desk and admins; their bank's for a bank admin and for an officer tied to no
 * branch; for an officer tied to a branch, their bank's leads routed to that branch, and those of their
 * bank that no branch and nobody holds yet and that are still waiting (unrouted and open requests), and those
 * they hold themselves. Every lead query a
 * bank user reaches (list, read, events, feed, claim, every action) takes this condition, so a lead
 * outside it answers exactly like a missing one.
 */
export function leadScope(actor: Actor): SQL | undefined {
  const bank = scopeToBank(actor, leads.bankId);
  if (actor.role !== 'bank_officer' || actor.branchId === null) return bank;
  return and(bank, or(
    eq(leads.branchId, actor.branchId),
    and(isNull(leads.branchId), or(
      eq(leads.officerId, actor.id),
      // Waiting for someone to take it: once the bank (its admin) has accepted a branch-less lead, it is
      // the bank's own, not every branch's.
      and(isNull(leads.officerId), eq(leads.status, 'new')),
    )),
  ));
}

/** Whether this user sees the applicant's contact unmasked: only the bank holding a lead, once it holds it. */
export function seesContact(actor: Actor, lead: Pick<LeadRow, 'bankId' | 'status'>): boolean {
  return isBankRole(actor.role) && actor.bankId === lead.bankId && CONTACT_VISIBLE.includes(lead.status);
}

/** Whether this user sees the desk's flags on a request (possible broker, second contact): never a bank. */
export function seesFlags(actor: Actor): boolean {
  return actor.role === 'desk' || actor.role === 'admin';
}

/**
 * The staff who may act on this lead, as a condition on users: the mirror of `leadScope`. Its bank's
 * active admins; the officer holding it, or while nobody holds it, the officers of its branch and those
 * tied to no branch (and every branch's officers while it is routed to none and still waiting). New-lead and SLA
 * notices go to them, so nobody is told of a lead they cannot open.
 */
export function actsOnLead(lead: Pick<LeadRow, 'bankId' | 'branchId' | 'officerId' | 'status'>): SQL {
  return actsOnLeadAt({ bankId: sql`${lead.bankId}::int`, branchId: sql`${lead.branchId}::int`, officerId: sql`${lead.officerId}::int`, status: sql`${lead.status}::text` });
}

/** A lead's fields as SQL: one lead's values, or the columns of many leads' rows in a bigger statement. */
export interface LeadFields { bankId: SQL; branchId: SQL; officerId: SQL; status: SQL }

/**
 * `actsOnLead` for leads given as SQL (`l.bank_id` …): its text is the same whatever the lead's routing, so
 * a statement notifying several leads at once has one text (a prepared statement) for all of them.
 */
export function actsOnLeadAt(l: LeadFields): SQL {
  return sql`(${users.bankId} = ${l.bankId} and ${users.active} and (${users.role} = 'bank_admin' or (${users.role} = 'bank_officer' and case
    when ${l.officerId} is not null then ${users.id} = ${l.officerId}
    when ${l.branchId} is not null then ${users.branchId} is null or ${users.branchId} = ${l.branchId}
    when ${l.status} = 'new' then true
    else ${users.branchId} is null end)))`;
}

/** Whether this user reads across every bank (the desk and admins), not just their own. */
export function seesAllBanks(actor: Pick<Actor, 'role'> | undefined): boolean {
  return actor?.role === 'desk' || actor?.role === 'admin';
}

/** Only the bank holding a lead works it; the desk and admins read it (403 otherwise). */
export function assertWorksLeads(actor: Actor): void {
  if (!isBankRole(actor.role)) throw new ForbiddenError({ detail: 'Only the bank holding the lead can do this.' });
}

/**
 * Admins and the desk manage any bank; a bank admin only their own. Another bank reads as missing (`notFound`),
 * exactly like a bank that does not exist.
 */
export function assertManagesBank(actor: Actor, bankId: number, notFound: () => Error): void {
  if (actor.role === 'bank_admin' && actor.bankId !== bankId) throw notFound();
}

/**
 * Which product versions a caller may see. Lists show published versions to everyone; reading by id also reaches
 * retired versions (leads keep pointing at them). Drafts are seen only by their own bank's admin, the desk and admins.
 */
export function productVisibility(actor: Actor | undefined, mode: 'list' | 'read'): SQL | undefined {
  if (seesAllBanks(actor)) return undefined;
  const open = mode === 'list' ? eq(products.status, 'published') : ne(products.status, 'draft');
  if (actor?.role === 'bank_admin') return or(open, eq(products.bankId, actor.bankId ?? -1));
  return open;
}

/**
 * Versions a caller may change the fields of: everything for admins, their own bank's for a bank admin.
 * The desk reviews, it does not rewrite: its routes refuse it, and here it would match nothing.
 */
export function productEditable(actor: Actor): SQL | undefined {
  return actor.role === 'admin' ? undefined : eq(products.bankId, actor.bankId ?? -1);
}

/**
 * Versions whose product's review history a caller may read: all for the desk and admins, their own bank's for its
 * staff, and of those only versions the caller may read (an officer reads no review of a draft).
 */
export function productReviewable(actor: Actor): SQL | undefined {
  return and(seesAllBanks(actor) ? undefined : eq(products.bankId, actor.bankId ?? -1), productVisibility(actor, 'read'));
}

/** Who may publish products: the desk's review and admins; an import (bank admins and admins) publishes only for an admin. */
export const publisherRoles = ['desk', 'admin'] as const;

export function mayPublish(actor: Actor): boolean {
  return (publisherRoles as readonly string[]).includes(actor.role);
}
