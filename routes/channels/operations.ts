import { and, eq } from 'drizzle-orm';
import { scopeToBank, type Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { randomCode } from '../../server/domain/codes';
import { NotFoundError, ValidationError } from '../../server/errors';
import { currentRequestId } from '../../server/middleware/request-context';
import { isUniqueViolation } from '../../server/pg-errors';
import { recordAudit } from '../../models/audit';
import { banks, branches } from '../../models/banks';
import { channels, findChannel, listChannels, type ChannelRow } from '../../models/channels';
import type { CreateChannelInput, ListChannelsQuery, UpdateChannelInput } from './schema';

export const channelNotFound = () => new NotFoundError({ code: 'channel_not_found', detail: 'No such channel.' });

export function listVisibleChannels(ctx: AppContext, actor: Actor, q: ListChannelsQuery) {
  return listChannels(ctx.db, { ...q, scope: scopeToBank(actor, channels.bankId) });
}

export async function getVisibleChannel(ctx: AppContext, actor: Actor, id: number): Promise<ChannelRow> {
  const channel = await findChannel(ctx.db, id, scopeToBank(actor, channels.bankId));
  if (!channel) throw channelNotFound();
  return channel;
}

/** The desk places codes anywhere; a bank admin only for their own bank (a bankId sent is replaced). */
export async function createChannel(ctx: AppContext, actor: Actor, input: CreateChannelInput): Promise<ChannelRow> {
  const bankId = actor.role === 'bank_admin' ? actor.bankId : (input.bankId ?? null);
  const branchId = input.branchId ?? null;
  return ctx.db.transaction(async (tx) => {
    if (bankId !== null) {
      const [bank] = await tx.select({ id: banks.id }).from(banks).where(eq(banks.id, bankId));
      if (!bank) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId names no bank' }]);
    }
    let district = input.district ?? null;
    if (branchId !== null) {
      const [branch] = await tx.select().from(branches).where(and(eq(branches.id, branchId), eq(branches.bankId, bankId ?? -1)));
      if (!branch) throw new ValidationError([{ in: 'body', path: 'branchId', message: 'branchId names no branch of the channel\'s bank' }]);
      district ??= branch.district;
    }
    // Codes are random; a collision (1 in 2^50 per pair) is retried rather than assumed away.
    for (let attempt = 0; ; attempt++) {
      try {
        const [row] = await tx.insert(channels).values({
          code: randomCode(), name: input.name, kind: input.kind, bankId, branchId, district,
          expiresAt: input.expiresAt ?? null, createdBy: actor.id,
        }).returning();
        await recordAudit(tx, { actor, action: 'channel.create', entity: 'channel', entityId: row!.id, bankId, after: row, requestId: currentRequestId() });
        return row!;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 3) throw err;
      }
    }
  });
}

export async function updateChannel(ctx: AppContext, actor: Actor, id: number, input: UpdateChannelInput): Promise<ChannelRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await findChannel(tx, id, scopeToBank(actor, channels.bankId));
    if (!before) throw channelNotFound();
    const [row] = await tx.update(channels).set(input).where(eq(channels.id, id)).returning();
    await recordAudit(tx, { actor, action: 'channel.update', entity: 'channel', entityId: id, bankId: before.bankId, before, after: row, requestId: currentRequestId() });
    return row!;
  });
}
