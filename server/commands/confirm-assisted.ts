import type { Matcher } from '../../matchers/matcher';
import type { AppContext } from '../context';
import { CONSENT_VERSION } from '../domain/consent';
import { ConflictError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { assistedByToken, settleAssisted, type AssistedRow, type StoredAssisted } from '../../models/assisted';
import { recordAudit } from '../../models/audit';
import { requirePhoneToken } from './require-phone-token';
import { submitApplication, type SubmissionAnswer } from './submit-application';
import { consentNotFound } from './not-found';

/** Whether the request still waits for the owner (not confirmed, not lapsed, not past its 72 hours). */
export const awaitingConsent = (row: AssistedRow, now: Date) => row.status === 'awaiting_consent' && row.expiresAt > now;

/**
 * The owner confirms on their own phone with an SMS code (purpose `consent`, asked for whatever
 * PHONE_VERIFICATION says: this is the consent itself): the leads go out exactly as a self-made request, in the
 * same transaction that marks the request confirmed. Twice, or after 72 hours, is a 409. The submission it makes
 * needs the service's context (configuration, catalogue, clock), so this command takes it whole.
 */
export async function confirmAssisted(ctx: AppContext, { input, now, ip, matcher }: { input: { token: string; phoneToken: string }; now: Date; ip?: string; matcher: Matcher }): Promise<SubmissionAnswer> {
  return ctx.db.transaction(async (tx) => {
    const row = await assistedByToken(tx, input.token, true);
    if (!row) throw consentNotFound();
    if (row.status === 'confirmed') throw new ConflictError({ code: 'consent_already_given', detail: 'This request has already been confirmed; follow it by its tracking link.', extra: { currentStatus: row.status } });
    if (!awaitingConsent(row, now)) {
      throw new ConflictError({ code: 'consent_lapsed', detail: 'This request was not confirmed within 72 hours and has lapsed; ask the financing desk to file it again.', extra: { currentStatus: 'lapsed' } });
    }
    requirePhoneToken(ctx, input.phoneToken, row.phone, 'consent', true);
    const stored = row.request as StoredAssisted;
    const submitted = await submitApplication(ctx, { ...stored.input, consent: { version: CONSENT_VERSION, banks: row.bankIds } }, { ip, tx, matcher, assistedBy: row.assistedBy });
    await settleAssisted(tx, row.id, { status: 'confirmed', confirmedAt: now, applicationId: submitted.body.id });
    await recordAudit(tx, { actorRole: 'applicant', action: 'application.consent', entity: 'assisted_request', entityId: row.id, after: { applicationId: submitted.body.id, banks: row.bankIds }, ip, requestId: currentRequestId() });
    return submitted.body;
  });
}

/** What the consent page shows; a request past its 72 hours is lapsed (and recorded so) when read. */
export async function readConsentRequest({ db, input, now }: { db: AppContext['db']; input: { token: string }; now: Date }): Promise<AssistedRow> {
  const row = await assistedByToken(db, input.token);
  if (!row) throw consentNotFound();
  if (row.status === 'awaiting_consent' && !awaitingConsent(row, now)) {
    await settleAssisted(db, row.id, { status: 'lapsed', lapsedAt: row.expiresAt });
    return { ...row, status: 'lapsed', lapsedAt: row.expiresAt };
  }
  return row;
}
