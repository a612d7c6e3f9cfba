import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import { actorOf, type Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { assertManagesBank } from '../../server/policies';
import { id, paging, listOf, type Paging } from '../../server/schemas';
import { bankNotFound } from '../../server/commands/not-found';
import { redeliverWebhook } from '../../server/commands/redeliver-webhook';
import { setWebhook } from '../../server/commands/set-webhook';
import { findBank, type BankRow } from '../../models/banks';
import type { OutboxRow } from '../../models/leads';
import { listDeliveries, type DeliveryState } from '../../models/webhook-deliveries';

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
  /** The bank whose webhook the caller manages; another bank reads as missing. */
  async function bankFor(actor: Actor, bankId: number) {
    assertManagesBank(actor, bankId, bankNotFound);
    const bank = await findBank(ctx.db, bankId);
    if (!bank) throw bankNotFound();
    return bank;
  }

  const presentWebhook = (bank: BankRow) => ({ url: bank.webhookUrl, configured: bank.webhookUrl !== null, since: bank.webhookSince?.toISOString() ?? null });

  async function show(_req: Request, res: Response) {
    res.json(presentWebhook(await bankFor(actorOf(res), inputOf<{ params: { id: number } }>(res).params.id)));
  }

  /** Sets (or with url null, removes) the webhook. The secret is never shown again. */
  async function put(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: { url: string | null; secret?: string } }>(res);
    const bank = await setWebhook({
      db: ctx.db, actor: actorOf(res), input: { ...body, bankId: params.id }, now: ctx.clock.now(), ip: req.ip,
      allowedHosts: ctx.config.webhookAllowedHosts, lookup: ctx.lookup, logger: ctx.logger,
    });
    res.json(presentWebhook(bank));
  }

  async function deliveries(_req: Request, res: Response) {
    const { params, query } = inputOf<{ params: { id: number }; query: Paging & { state?: DeliveryState } }>(res);
    await bankFor(actorOf(res), params.id);
    const { rows, total } = await listDeliveries(ctx.db, params.id, query);
    res.json(listOf(rows.map(presentDelivery), total, query));
  }

  async function redeliver(req: Request, res: Response) {
    const { params } = inputOf<{ params: { id: number; deliveryId: string } }>(res);
    const row = await redeliverWebhook({ db: ctx.db, actor: actorOf(res), input: { bankId: params.id, deliveryId: params.deliveryId }, now: ctx.clock.now(), ip: req.ip });
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
