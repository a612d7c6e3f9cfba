import type { ApplicationRow } from '../../models/applications';
import { applyTransition } from '../../models/lead-changes';
import { lockOpenLeadsOf } from '../../models/lead-updates';
import { markWithdrawn } from '../../models/reassignment-queries';
import type { CommandArgs } from './command';
import { applicationByToken, assertOpen } from './application-work';

/** The applicant withdraws: every lead still being worked becomes withdrawn, each with its event. */
export async function withdrawApplication({ db, input, now }: Omit<CommandArgs<{ token: string; reason?: string }>, 'actor'>): Promise<ApplicationRow> {
  return db.transaction(async (tx) => {
    const a = await applicationByToken(tx, input.token, true);
    assertOpen(a);
    for (const lead of await lockOpenLeadsOf(tx, a.id)) {
      await applyTransition(tx, lead, 'withdraw', { actor: { type: 'applicant' }, now, event: 'withdrawn', note: input.reason || null });
    }
    return markWithdrawn(tx, a.id, now);
  });
}
