import type { HostLookup } from '../outbound-address';
import { checkTarget, shownRefusal } from '../outbound-address';
import type { Logger } from '../logger';
import { ValidationError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { assertManagesBank } from '../policies';
import { recordAudit } from '../../models/audit';
import { findBank, type BankRow } from '../../models/banks';
import { setBankWebhook } from '../../models/webhook-deliveries';
import type { CommandArgs } from './command';
import { bankNotFound } from './not-found';

/**
 * Sets (or with url null, removes) a bank's webhook; changes from now on are delivered. A target inside the
 * service's own network is refused here (400 on `url`), and again at every delivery (DNS rebinding).
 */
export async function setWebhook({ db, actor, input, now, ip, allowedHosts, lookup, logger }: CommandArgs<{ bankId: number; url: string | null; secret?: string }> & {
  allowedHosts: readonly string[]; lookup?: HostLookup; logger: Logger;
}): Promise<BankRow> {
  assertManagesBank(actor, input.bankId, bankNotFound);
  if (!(await findBank(db, input.bankId))) throw bankNotFound();
  if (input.url !== null) {
    const verdict = await checkTarget(input.url, { allowedHosts, lookup, signal: AbortSignal.timeout(5000) });
    if (!verdict.ok) {
      logger.info({ bankId: input.bankId, reason: verdict.reason, detail: verdict.message, range: verdict.range }, 'webhook target refused at save');
      throw new ValidationError([{ in: 'body', path: 'url', message: shownRefusal(verdict) }]);
    }
  }
  return db.transaction(async (tx) => {
    const bank = await setBankWebhook(tx, input.bankId, input.url, input.secret ?? null, now);
    await recordAudit(tx, { actor, action: 'bank.webhook', entity: 'bank', entityId: input.bankId, bankId: input.bankId, after: { url: input.url }, ip, requestId: currentRequestId() });
    return bank;
  });
}
