import type { Matcher } from '../../matchers/matcher';
import { requireConsent } from '../domain/consent';
import { ConflictError } from '../errors';
import type { ApplicationRow } from '../../models/applications';
import { leadsOfApplication } from '../../models/applications-queries';
import { addLead } from '../../models/lead-create';
import { recordConsent } from '../../models/reassignment-queries';
import type { SecondLookInput } from '../../routes/applications/schema';
import type { CommandArgs } from './command';
import { applicationByToken } from './application-work';
import { checkTarget } from './hand-over';

/**
 * After a decline, the same request goes to another bank with fresh consent for that bank: the
 * product must be on offer, the company eligible for it, and its bank not yet asked in this request.
 */
export async function requestSecondLook({ db, input, now, matcher }: Omit<CommandArgs<{ token: string } & SecondLookInput>, 'actor'> & { matcher: Matcher }): Promise<ApplicationRow> {
  return db.transaction(async (tx) => {
    const a = await applicationByToken(tx, input.token, true);
    const existing = await leadsOfApplication(tx, a.id);
    if (a.status !== 'open' || !existing.some((l) => l.lead.status === 'declined')) {
      throw new ConflictError({ code: 'second_look_unavailable', detail: 'A second look is offered once a bank has declined an open request.', extra: { currentStatus: a.status } });
    }
    requireConsent(input.consent, []);
    const bankId = (await checkTarget(tx, matcher, a, input.productId, now)).product.bankId;
    requireConsent(input.consent, [bankId]);
    await recordConsent(tx, { applicationId: a.id, bankId, purpose: 'second_look', version: input.consent.version, grantedAt: now });
    await addLead(tx, a, input.productId, { now, actor: { type: 'applicant' }, note: 'second look after a decline', secondLook: true });
    return a;
  });
}
