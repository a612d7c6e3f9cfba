import { eq, sql, type SQL } from 'drizzle-orm';
import type { SmsTemplateName } from '../config';
import type { Executor } from '../db';
import { applications } from '../../models/applications';
import { banks } from '../../models/banks';
import type { LeadRow } from '../../models/leads';
import { shortCodeFor, shortLinks } from '../../models/short-links';
import { randomCode } from '../domain/codes';
import { executeTogether } from '../sql';
import { referenceOf } from '../domain/reference';
import { queueSmsSql, type QueueSms } from './outbox';
import { MOBILE_PHONE } from '../domain/phone';
import { smsOfApplication } from '../../models/sms';

/** 1000000 → 100万; 1234567 → 123.46万; 5000 → 5000. */
export function amountText(amount: number): string {
  return amount >= 10_000 ? `${Number((amount / 10_000).toFixed(2))}万` : String(amount);
}

/** Which message a lead change earns the applicant, by the change's event name and the lead's new status. */
function messageFor(event: string, lead: LeadRow): { template: SmsTemplateName; dedupeKey: string; secondLook?: boolean } | null {
  const name = event.replace(/^lead\./, '');
  if (name === 'created') return { template: 'submitted', dedupeKey: `app:${lead.applicationId}:submitted` };
  if (name === 'amended') return { template: 'amended', dedupeKey: `lead:${lead.id}:amended:${lead.updatedAt.getTime()}` };
  if (name === 'escalated') return { template: 'takeover', dedupeKey: `lead:${lead.id}:takeover` };
  if (name !== 'status_changed') return null;
  switch (lead.status) {
    case 'claimed': return { template: 'claimed', dedupeKey: `lead:${lead.id}:claimed` };
    case 'approved': return { template: 'approved', dedupeKey: `lead:${lead.id}:approved` };
    case 'declined': return { template: 'declined', dedupeKey: `lead:${lead.id}:declined`, secondLook: true };
    case 'disbursed': return { template: 'disbursed', dedupeKey: `lead:${lead.id}:disbursed` };
    default: return null;
  }
}

/** The request a message is about, as the message tells it. */
export interface ApplicantOf {
  id: number;
  phone: string;
  token: string;
  createdAt: Date;
}

/**
 * A request being written right now, known whole to the caller: its messages need no read, and its
 * links are new (the token is), so their codes are chosen here and inserted beside the message.
 */
export interface NewApplication extends ApplicantOf {
  /** The short names of the banks its leads go to. */
  bankNames: Map<number, string | null>;
}

function messageOf(kind: NonNullable<ReturnType<typeof messageFor>>, app: ApplicantOf, bankName: string | null, lead: LeadRow, code: string): QueueSms {
  const params: Record<string, string> = { ref: referenceOf(app.id, app.createdAt), bank: bankName ?? '', link: `/t/${code}` };
  if (lead.termsAmount !== null) params.amount = amountText(lead.termsAmount);
  if (lead.termsRatePct !== null) params.rate = Number(lead.termsRatePct).toFixed(2);
  if (kind.template === 'disbursed' && lead.disbursedAmount !== null) params.amount = amountText(lead.disbursedAmount);
  return { phone: app.phone, template: kind.template, params, applicationId: app.id, dedupeKey: kind.dedupeKey };
}

/**
 * The statements that queue the applicant's SMS for these lead changes, to run in the transaction of the
 * changes (`enqueueChanges` is the one place every lead change passes). Each change is told once (a
 * dedupe key per change; one "submitted" per request however many banks it went to). The link is a short
 * `/t/CODE` path; the sender makes it absolute and signs the text with the desk's name. Without `fresh`,
 * each message reads its request and bank and takes its link's code (a path keeps its code).
 */
export async function applicantMessageStatements(tx: Executor, changes: { lead: LeadRow; event: string }[], now: Date, fresh?: NewApplication): Promise<SQL[]> {
  const messages: QueueSms[] = [];
  const statements: SQL[] = [];
  const told = new Set<string>();
  for (const { lead, event } of changes) {
    const kind = messageFor(event, lead);
    if (!kind || told.has(kind.dedupeKey)) continue;
    told.add(kind.dedupeKey);
    const path = (token: string) => `/track/${token}${kind.secondLook ? '?view=second-look' : ''}`;
    if (fresh) {
      // Anonymised after retention, or a number that is not a mobile: nobody to text.
      if (!MOBILE_PHONE.test(fresh.phone)) continue;
      const code = randomCode(12);
      statements.push(sql`insert into ${shortLinks} (code, target, created_at) values (${code}, ${path(fresh.token)}, ${now.toISOString()}::timestamptz) on conflict (target) do nothing`);
      messages.push(messageOf(kind, fresh, fresh.bankNames.get(lead.bankId) ?? null, lead, code));
      continue;
    }
    // The request and the bank's name in one round trip.
    const [app] = await tx.select({ id: applications.id, phone: applications.contactPhone, token: applications.trackingToken, createdAt: applications.createdAt, bankName: banks.shortName })
      .from(applications).leftJoin(banks, eq(banks.id, lead.bankId)).where(eq(applications.id, lead.applicationId));
    if (!app || !MOBILE_PHONE.test(app.phone)) continue;
    const code = await shortCodeFor(tx, path(app.token), now);
    messages.push(messageOf(kind, app, app.bankName, lead, code));
  }
  if (messages.length) statements.push(queueSmsSql(null, messages, now));
  return statements;
}

/** Queues the applicant's SMS for one lead change, in the caller's transaction. */
export async function queueApplicantMessage(tx: Executor, lead: LeadRow, event: string, now: Date): Promise<void> {
  await executeTogether(tx, await applicantMessageStatements(tx, [{ lead, event }], now));
}

/** The SMS this request's applicant has been sent, oldest first, as they read them (text and time only). */
export async function sentMessages(db: Executor, applicationId: number): Promise<{ text: string; sentAt: string }[]> {
  const rows = await smsOfApplication(db, applicationId);
  return rows.filter((r) => r.status === 'sent').map((r) => ({ text: r.text, sentAt: r.sentAt!.toISOString() }));
}
