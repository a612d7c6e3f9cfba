import { compileProduct, explain, type MatchProduct } from '../../matchers/matcher';
import { toFacts } from '../../matchers/facts';
import { shanghaiDate } from '../domain/lpr';
import { currentRequestId } from '../middleware/request-context';
import { leadScope, seesContact } from '../policies';
import { recordAudit } from '../../models/audit';
import { consentFor, eventsOf, findLead, type LeadWithApplication } from '../../models/lead-queries';
import type { CommandArgs } from './command';
import { leadNotFound } from './not-found';

/**
 * The lead in full, as far as the caller's lead scope reaches: the row, its events, the consent given to its bank
 * and how its product judged the company. Reading the applicant's unmasked contact is written to the audit log,
 * which is why this read is a command.
 */
export async function readLead({ db, actor, input, ip }: Omit<CommandArgs<{ id: number }>, 'now'>) {
  const found = await findLead(db, input.id, leadScope(actor));
  if (!found) throw leadNotFound();
  if (seesContact(actor, found.lead)) {
    await recordAudit(db, { actor, action: 'lead.read_contact', entity: 'lead', entityId: input.id, bankId: found.lead.bankId, ip, requestId: currentRequestId() });
  }
  const [events, consent] = await Promise.all([eventsOf(db, input.id), consentFor(db, found.lead.applicationId, found.lead.bankId)]);
  return { found, events, consent, match: matchAtRequest(found) };
}

/**
 * How the lead's product judged the company when the request was made. Submission does not store
 * the match, so it is worked out again from what was stored: the company and need as declared, the
 * product version's snapshot, on the request's own day (years in operation as they were then).
 */
function matchAtRequest({ lead, application: a }: LeadWithApplication) {
  const p = lead.productSnapshot as Omit<MatchProduct, 'bankId'>;
  const compiled = compileProduct({ ...p, id: lead.productId, bankId: lead.bankId, bankName: p.bankName ?? '', criteria: p.criteria ?? {} });
  return explain(compiled, toFacts(a.companySnapshot, { amount: a.needAmount, termMonths: a.needTermMonths }, shanghaiDate(a.createdAt)));
}
