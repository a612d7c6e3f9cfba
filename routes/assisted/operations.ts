import { toFacts } from '../../matchers/facts';
import type { Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { randomToken } from '../../server/domain/codes';
import { CONSENT_VERSION } from '../../server/domain/consent';
import { shanghaiDate } from '../../server/domain/lpr';
import { ConflictError, NotFoundError } from '../../server/errors';
import { currentRequestId } from '../../server/middleware/request-context';
import { assistedByToken, insertAssisted, settleAssisted, type AssistedRow } from '../../models/assisted';
import { recordAudit } from '../../models/audit';
import { shortCodeFor } from '../../models/short-links';
import type { Executor } from '../../server/db';
import { queueSms } from '../../server/sms/outbox';
import { requirePhoneToken } from '../phone-codes/require';
import { recipients, submitApplication, type SubmissionAnswer } from '../applications/submit';
import type { AssistedInput } from './schema';

/** SPEC: unconfirmed after 72 hours, an assisted application lapses. */
export const CONSENT_WINDOW_MS = 72 * 3_600_000;

export interface Recipient { bankId: number; bankName: string; productId: number; productName: string }
/** What the row keeps: the request as filled in, and the recipients the owner is asked to consent to. */
export interface StoredAssisted { input: AssistedInput; recipients: Recipient[] }

export const consentNotFound = () => new NotFoundError({ code: 'consent_not_found', detail: 'No such consent request.' });

/** Whether the request still waits for the owner (not confirmed, not lapsed, not past its 72 hours). */
export const awaiting = (row: AssistedRow, now: Date) => row.status === 'awaiting_consent' && row.expiresAt > now;

/**
 * The desk files a request with the owner at the window: matched exactly as /apply matches (each chosen product
 * eligible; open mode: the best product of each eligible bank), kept without leads until the owner confirms.
 */
export async function fileAssisted(ctx: AppContext, actor: Actor, input: AssistedInput, ip?: string): Promise<{ row: AssistedRow; consentUrl: string }> {
  const now = ctx.clock.now();
  const results = (await ctx.catalogue.current()).match(toFacts(input.company, input.need, shanghaiDate(now)));
  const eligibleBanks = [...new Set(results.filter((r) => r.eligible).map((r) => r.product.bankId))];
  const to = recipients({ ...input, consent: { version: CONSENT_VERSION, banks: eligibleBanks } }, results);
  const stored: StoredAssisted = {
    input, recipients: to.map((r) => ({ bankId: r.product.bankId, bankName: r.product.bankName, productId: r.product.id, productName: r.product.name })),
  };
  const token = randomToken();
  const row = await ctx.db.transaction(async (tx) => {
    const made = await insertAssisted(tx, {
      token, request: stored, bankIds: [...new Set(to.map((r) => r.product.bankId))], phone: input.contact.phone,
      assistedBy: actor.id, createdAt: now, expiresAt: new Date(now.getTime() + CONSENT_WINDOW_MS),
    });
    await recordAudit(tx, { actor, action: 'application.assist', entity: 'assisted_request', entityId: made.id, after: { uscc: input.company.uscc, recipients: stored.recipients, expiresAt: made.expiresAt }, ip, requestId: currentRequestId() });
    await sendConsentLink(tx, made, now);
    return made;
  });
  return { row, consentUrl: consentUrlOf(ctx, token) };
}

export const consentUrlOf = (ctx: AppContext, token: string) => `${ctx.config.publicBaseUrl}/consent/${token}`;

/**
 * Texts the consent link to the contact's phone, in the transaction that files the request (so the message
 * exists exactly when the request does). The owner's SMS code at /consent/:token is what proves the phone;
 * the desk also shows the link as a QR code for an owner who has the phone in hand.
 */
export async function sendConsentLink(tx: Executor, row: AssistedRow, now: Date): Promise<void> {
  const code = await shortCodeFor(tx, `/consent/${row.token}`, now);
  await queueSms(tx, null, {
    phone: row.phone, template: 'consent', purpose: 'consent', dedupeKey: `assisted:${row.id}:consent`,
    params: { company: (row.request as StoredAssisted).input.company.name, count: String(row.bankIds.length), link: `/t/${code}` },
  }, now);
}

/** What the consent page shows; a request past its 72 hours is lapsed (and recorded so) when read. */
export async function consentRequest(ctx: AppContext, token: string): Promise<AssistedRow> {
  const row = await assistedByToken(ctx.db, token);
  if (!row) throw consentNotFound();
  if (row.status === 'awaiting_consent' && !awaiting(row, ctx.clock.now())) {
    await settleAssisted(ctx.db, row.id, { status: 'lapsed', lapsedAt: row.expiresAt });
    return { ...row, status: 'lapsed', lapsedAt: row.expiresAt };
  }
  return row;
}

/**
 * The owner confirms on their own phone with an SMS code (purpose `consent`, asked for whatever
 * PHONE_VERIFICATION says: this is the consent itself): the leads go out exactly as a self-made request, in the
 * same transaction that marks the request confirmed. Twice, or after 72 hours, is a 409.
 */
export async function confirmAssisted(ctx: AppContext, token: string, phoneToken: string, ip?: string): Promise<SubmissionAnswer> {
  const now = ctx.clock.now();
  const matcher = await ctx.catalogue.current();
  return ctx.db.transaction(async (tx) => {
    const row = await assistedByToken(tx, token, true);
    if (!row) throw consentNotFound();
    if (row.status === 'confirmed') throw new ConflictError({ code: 'consent_already_given', detail: 'This request has already been confirmed; follow it by its tracking link.', extra: { currentStatus: row.status } });
    if (!awaiting(row, now)) {
      throw new ConflictError({ code: 'consent_lapsed', detail: 'This request was not confirmed within 72 hours and has lapsed; ask the financing desk to file it again.', extra: { currentStatus: 'lapsed' } });
    }
    requirePhoneToken(ctx, phoneToken, row.phone, 'consent', true);
    const stored = row.request as StoredAssisted;
    const submitted = await submitApplication(ctx, { ...stored.input, consent: { version: CONSENT_VERSION, banks: row.bankIds } }, { ip, tx, matcher, assistedBy: row.assistedBy });
    await settleAssisted(tx, row.id, { status: 'confirmed', confirmedAt: now, applicationId: submitted.body.id });
    await recordAudit(tx, { actorRole: 'applicant', action: 'application.consent', entity: 'assisted_request', entityId: row.id, after: { applicationId: submitted.body.id, banks: row.bankIds }, ip, requestId: currentRequestId() });
    return submitted.body;
  });
}
