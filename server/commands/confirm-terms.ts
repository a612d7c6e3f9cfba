import { ConflictError, NotFoundError } from '../errors';
import type { ApplicationRow } from '../../models/applications';
import { lockLeadOfApplication, recordLeadChange } from '../../models/lead-updates';
import type { ConfirmInput } from '../../routes/applications/schema';
import type { CommandArgs } from './command';
import { applicationByToken } from './application-work';

/** The applicant confirms or disputes the terms (or the disbursement) a bank reported. */
export async function confirmTerms({ db, input, now }: Omit<CommandArgs<{ token: string } & ConfirmInput>, 'actor'>): Promise<ApplicationRow> {
  return db.transaction(async (tx) => {
    const a = await applicationByToken(tx, input.token, true);
    const lead = await lockLeadOfApplication(tx, a.id, input.leadId);
    if (!lead) throw new NotFoundError({ code: 'lead_not_found', detail: 'This request has no such bank lead.' });
    if (lead.status !== 'approved' && lead.status !== 'disbursed') {
      throw new ConflictError({ code: 'invalid_status', detail: 'Only granted terms or a disbursement can be confirmed or disputed.', extra: { currentStatus: lead.status } });
    }
    await recordLeadChange(tx, lead, {
      patch: { applicantConfirmation: input.outcome, applicantNote: input.note || null, applicantConfirmedAt: now },
      actor: { type: 'applicant' }, action: `terms_${input.outcome}`, note: input.note || null, now,
    });
    return a;
  });
}
