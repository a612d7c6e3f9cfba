import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import { and, count, desc, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { actorOf, type Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { NotFoundError, ValidationError } from '../../server/errors';
import { currentRequestId } from '../../server/middleware/request-context';
import { inputOf, validate } from '../../server/middleware/validate';
import { checkTarget, shownRefusal } from '../../server/outbound-address';
import { id, paging, listOf, type Paging } from '../../server/schemas';
import { recordAudit } from '../../models/audit';
import { banks, findBank } from '../../models/banks';
import { outbox, type OutboxRow } from '../../models/leads';
import { bankNotFound } from './operations';

const webhookBody = Joi.object({
  url: Joi.string().uri({ scheme: ['http', 'https'] }).max(500).allow(null).required(),
  secret: Joi.string().min(16).max(200).when('url', { is: null, then: Joi.forbidden(), otherwise: Joi.required() }),
}).required()
  .example({ url: 'https://loans.example-bank.cn/rongma/webhook', secret: 'a-shared-secret-of-16+' });
const deliveriesQuery = Joi.object({ state: Joi.string().valid('pending', 'delivered', 'dead'), ...paging });
const deliveryParams = Joi.object({ id: id.required(), deliveryId: Joi.string().uuid().required() });

function presentDelivery(r: OutboxRow) {
  return {
    deliveryId: r.deliveryId, cursor: r.seq, event: r.event, leadId: r.leadId, createdAt: r.createdAt.toISOString(), attempts: r.attempts,
    state: r.deliveredAt ? 'delivered' : r.deadAt ? 'dead' : 'pending',
    nextAttemptAt: r.deliveredAt || r.deadAt ? null : r.nextAttemptAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null, deadAt: r.deadAt?.toISOString() ?? null, lastStatus: r.lastStatus, lastError: r.lastError,
  };
}

/** A bank's webhook: its own admins (and system admins) configure it and see its delivery log. */
export function webhookRoutes(ctx: AppContext): Router {
  async function bankFor(actor: Actor, bankId: number) {
    if (actor.role === 'bank_admin' && actor.bankId !== bankId) throw bankNotFound();
    const bank = await findBank(ctx.db, bankId);
    if (!bank) throw bankNotFound();
    return bank;
  }

  async function show(_req: Request, res: Response) {
    const bank = await bankFor(actorOf(res), inputOf<{ params: { id: number } }>(res).params.id);
    res.json({ url: bank.webhookUrl, configured: bank.webhookUrl !== null, since: bank.webhookSince?.toISOString() ?? null });
  }

  /**
   * Sets (or with url null, removes) the webhook; changes from now on are delivered. The secret is never shown again.
   * A target inside the service's own network is refused here, and again at every delivery (DNS rebinding).
   */
  async function put(req: Request, res: Response) {
    const actor = actorOf(res);
    const { params, body } = inputOf<{ params: { id: number }; body: { url: string | null; secret?: string } }>(res);
    await bankFor(actor, params.id);
    if (body.url !== null) {
      const verdict = await checkTarget(body.url, { allowedHosts: ctx.config.webhookAllowedHosts, lookup: ctx.lookup, signal: AbortSignal.timeout(5000) });
      if (!verdict.ok) {
        ctx.logger.info({ bankId: params.id, reason: verdict.reason, detail: verdict.message, range: verdict.range }, 'webhook target refused at save');
        throw new ValidationError([{ in: 'body', path: 'url', message: shownRefusal(verdict) }]);
      }
    }
    const now = ctx.clock.now();
    const [bank] = await ctx.db.transaction(async (tx) => {
      const updated = await tx.update(banks).set({ webhookUrl: body.url, webhookSecret: body.secret ?? null, webhookSince: body.url ? now : null }).where(eq(banks.id, params.id)).returning();
      await recordAudit(tx, { actor, action: 'bank.webhook', entity: 'bank', entityId: params.id, bankId: params.id, after: { url: body.url }, ip: req.ip, requestId: currentRequestId() });
      return updated;
    });
    res.json({ url: bank!.webhookUrl, configured: bank!.webhookUrl !== null, since: bank!.webhookSince?.toISOString() ?? null });
  }

  async function deliveries(_req: Request, res: Response) {
    const { params, query } = inputOf<{ params: { id: number }; query: Paging & { state?: 'pending' | 'delivered' | 'dead' } }>(res);
    await bankFor(actorOf(res), params.id);
    const state: SQL | undefined = query.state === 'delivered' ? isNotNull(outbox.deliveredAt) : query.state === 'dead' ? isNotNull(outbox.deadAt)
      : query.state === 'pending' ? and(isNull(outbox.deliveredAt), isNull(outbox.deadAt)) : undefined;
    const where = and(eq(outbox.bankId, params.id), state);
    const rows = await ctx.db.select().from(outbox).where(where).orderBy(desc(outbox.seq)).limit(query.pageSize).offset((query.page - 1) * query.pageSize);
    const [total] = await ctx.db.select({ n: count() }).from(outbox).where(where);
    res.json(listOf(rows.map(presentDelivery), Number(total?.n ?? 0), query));
  }

  /** Sends a delivery again now (dead-lettered, or delivered and lost by the bank); it gets a fresh set of tries. */
  async function redeliver(req: Request, res: Response) {
    const actor = actorOf(res);
    const { params } = inputOf<{ params: { id: number; deliveryId: string } }>(res);
    await bankFor(actor, params.id);
    const [row] = await ctx.db.update(outbox).set({ deadAt: null, deliveredAt: null, attempts: 0, nextAttemptAt: ctx.clock.now(), lastError: null })
      .where(and(eq(outbox.bankId, params.id), eq(outbox.deliveryId, params.deliveryId))).returning();
    if (!row) throw new NotFoundError({ code: 'delivery_not_found', detail: 'No such delivery.' });
    await recordAudit(ctx.db, { actor, action: 'bank.webhook_redeliver', entity: 'outbox', entityId: row.deliveryId, bankId: params.id, ip: req.ip, requestId: currentRequestId() });
    res.status(202).json(presentDelivery(row));
  }

  const admins = ctx.auth('bank_admin', 'admin');
  const bankParams = Joi.object({ id: id.required() });
  const router = Router();
  router.get('/:id/webhook', admins, validate({ params: bankParams }), show);
  router.put('/:id/webhook', admins, validate({ params: bankParams, body: webhookBody }), put);
  router.get('/:id/webhook/deliveries', admins, validate({ params: bankParams, query: deliveriesQuery }), deliveries);
  router.post('/:id/webhook/deliveries/:deliveryId/redeliver', admins, validate({ params: deliveryParams }), redeliver);
  return router;
}
