import Joi from 'joi';
import { bankKinds } from '../../models/banks';
import { answer, int, isoTime, pageOf } from '../docs/shapes';

/** The response schemas of routes/banks/present.ts. */

export const bankResponse = answer({
  id: int, code: Joi.string(), name: Joi.string(), shortName: Joi.string(), kind: Joi.string().valid(...bankKinds), active: Joi.boolean(),
  productCount: int.optional().description('in lists: its published products'),
});
export const bankListResponse = pageOf(bankResponse);

export const branchResponse = answer({
  id: int, bankId: int, name: Joi.string(), district: Joi.string(), address: Joi.string().allow(null, ''), phone: Joi.string().allow(null, ''), active: Joi.boolean(),
});
export const branchListResponse = pageOf(branchResponse);

/** GET and PUT /api/banks/{id}/routing: what models/routing.ts readRouting reads back. */
export const routingResponse = answer({
  defaultBranchId: int.allow(null),
  rules: Joi.array().items(answer({ district: Joi.string(), branchId: int })),
  dispatch: Joi.array().items(answer({ branchId: int, mode: Joi.string().valid('queue', 'round_robin') })),
});

/** routes/banks/webhook.ts presentWebhook: never the secret. */
export const webhookResponse = answer({ url: Joi.string().allow(null), configured: Joi.boolean(), since: isoTime.allow(null) });

/** routes/banks/webhook.ts presentDelivery. */
export const deliveryResponse = answer({
  deliveryId: Joi.string().uuid(), cursor: int.allow(null).description("the bank's feed number (null until first read)"), event: Joi.string(), leadId: int,
  createdAt: isoTime, attempts: int.min(0), state: Joi.string().valid('pending', 'delivered', 'dead'), nextAttemptAt: isoTime.allow(null),
  deliveredAt: isoTime.allow(null), deadAt: isoTime.allow(null), lastStatus: int.allow(null), lastError: Joi.string().allow(null, ''),
});
export const deliveryListResponse = pageOf(deliveryResponse);
