import { scopeToBank } from '../auth';
import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { channels, findChannel, updateChannelRow, type ChannelRow } from '../../models/channels';
import type { UpdateChannelInput } from '../../routes/channels/schema';
import type { CommandArgs } from './command';
import { channelNotFound } from './not-found';

/** Renames, re-dates or closes a channel the caller manages (another bank's reads as missing), audited. */
export async function updateChannel({ db, actor, input: { id, ...input } }: CommandArgs<{ id: number } & UpdateChannelInput>): Promise<ChannelRow> {
  return db.transaction(async (tx) => {
    const before = await findChannel(tx, id, scopeToBank(actor, channels.bankId));
    if (!before) throw channelNotFound();
    const row = await updateChannelRow(tx, id, input);
    await recordAudit(tx, { actor, action: 'channel.update', entity: 'channel', entityId: id, bankId: before.bankId, before, after: row, requestId: currentRequestId() });
    return row;
  });
}
