import { toFacts } from '../../matchers/facts';
import type { Matcher } from '../../matchers/matcher';
import { randomToken } from '../domain/codes';
import { CONSENT_VERSION } from '../domain/consent';
import { shanghaiDate } from '../domain/lpr';
import { currentRequestId } from '../middleware/request-context';
import type { Executor } from '../db';
import { queueSms } from '../sms/outbox';
import { insertAssisted, type AssistedRow, type StoredAssisted } from '../../models/assisted';
import { recordAudit } from '../../models/audit';
import { shortCodeFor } from '../../models/short-links';
import { recipients } from './submit-application';
import type { AssistedInput } from '../../routes/assisted/schema';
import type { CommandArgs } from './command';

/** SPEC: unconfirmed after 72 hours, an assisted application lapses. */
export const CONSENT_WINDOW_MS = 72 * 3_600_000;

/**
 * The desk files a request with the owner at the window: matched exactly as /apply matches (each chosen product
 * eligible; open mode: the best product of each eligible bank), kept without leads until the owner confirms.
 */
export async function fileAssisted({ db, actor, input, now, ip, matcher }: CommandArgs<AssistedInput> & { matcher: Matcher }): Promise<AssistedRow> {
  const results = matcher.match(toFacts(input.company, input.need, shanghaiDate(now)));
  const eligibleBanks = [...new Set(results.filter((r) => r.eligible).map((r) => r.product.bankId))];
  const to = recipients({ ...input, consent: { version: CONSENT_VERSION, banks: eligibleBanks } }, results);
  const stored: StoredAssisted = {
    input, recipients: to.map((r) => ({ bankId: r.product.bankId, bankName: r.product.bankName, productId: r.product.id, productName: r.product.name })),
  };
  return db.transaction(async (tx) => {
    const made = await insertAssisted(tx, {
      token: randomToken(), request: stored, bankIds: [...new Set(to.map((r) => r.product.bankId))], phone: input.contact.phone,
      assistedBy: actor.id, createdAt: now, expiresAt: new Date(now.getTime() + CONSENT_WINDOW_MS),
    });
    await recordAudit(tx, { actor, action: 'application.assist', entity: 'assisted_request', entityId: made.id, after: { uscc: input.company.uscc, recipients: stored.recipients, expiresAt: made.expiresAt }, ip, requestId: currentRequestId() });
    await sendConsentLink(tx, made, now);
    return made;
  });
}

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
