import { eq } from 'drizzle-orm';
import type { SmsTemplateName } from '../config';
import type { Executor } from '../db';
import { applications } from '../../models/applications';
import { banks } from '../../models/banks';
import type { LeadRow } from '../../models/leads';
import { shortCodeFor } from '../../models/short-links';
import { referenceOf } from '../domain/reference';
import { queueSms } from './outbox';
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

/** The dedupe key of the message a lead change earns (null: none): changes sharing a key make one message. */
export function applicantMessageKey(event: string, lead: LeadRow): string | null {
  return messageFor(event, lead)?.dedupeKey ?? null;
}

/**
 * Queues the applicant's SMS for a lead change, in the transaction of the change (called from
 * `enqueueChange`, the one place every lead change passes). Each change is told once (a dedupe key per
 * change; one "submitted" per request however many banks it went to). The link is a short `/t/CODE`
 * path; the sender makes it absolute and signs the text with the desk's name.
 */
export async function queueApplicantMessage(tx: Executor, lead: LeadRow, event: string, now: Date): Promise<void> {
  const kind = messageFor(event, lead);
  if (!kind) return;
  // The request and the bank's name in one round trip (every lead change passes here).
  const [app] = await tx.select({ id: applications.id, phone: applications.contactPhone, token: applications.trackingToken, createdAt: applications.createdAt, bankName: banks.shortName })
    .from(applications).leftJoin(banks, eq(banks.id, lead.bankId)).where(eq(applications.id, lead.applicationId));
  // Anonymised after retention, or a number that is not a mobile: nobody to text.
  if (!app || !MOBILE_PHONE.test(app.phone)) return;
  const bank = { name: app.bankName };
  const code = await shortCodeFor(tx, `/track/${app.token}${kind.secondLook ? '?view=second-look' : ''}`, now);
  const params: Record<string, string> = { ref: referenceOf(app.id, app.createdAt), bank: bank?.name ?? '', link: `/t/${code}` };
  if (lead.termsAmount !== null) params.amount = amountText(lead.termsAmount);
  if (lead.termsRatePct !== null) params.rate = Number(lead.termsRatePct).toFixed(2);
  if (kind.template === 'disbursed' && lead.disbursedAmount !== null) params.amount = amountText(lead.disbursedAmount);
  await queueSms(tx, null, { phone: app.phone, template: kind.template, params, applicationId: app.id, dedupeKey: kind.dedupeKey }, now);
}

/** The SMS this request's applicant has been sent, oldest first, as they read them (text and time only). */
export async function sentMessages(db: Executor, applicationId: number): Promise<{ text: string; sentAt: string }[]> {
  const rows = await smsOfApplication(db, applicationId);
  return rows.filter((r) => r.status === 'sent').map((r) => ({ text: r.text, sentAt: r.sentAt!.toISOString() }));
}
