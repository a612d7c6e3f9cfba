import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import { actorOf, isBankRole } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { id } from '../../server/schemas';
import { setSlaPolicy } from '../../server/commands/set-sla-policy';
import { policyFor, type SlaPolicy } from '../../models/sla';

const days = Joi.number().integer().min(1).max(60);
const policyBody = Joi.object({
  bankId: id.description('a bank\'s own policy; absent: the city default'),
  acceptDays: days.required(),
  contactDays: days.required(),
  decisionDays: days.required(),
  escalateDays: days.required(),
}).custom((v: SlaPolicy, h) => (v.acceptDays > v.contactDays || v.contactDays > v.decisionDays ? h.message({ custom: 'acceptDays ≤ contactDays ≤ decisionDays' }) : v)).required()
  .example({ acceptDays: 1, contactDays: 2, decisionDays: 7, escalateDays: 3 });
const policyQuery = Joi.object({ bankId: id });

const present = (p: Awaited<ReturnType<typeof policyFor>>) => ({
  acceptDays: p.acceptDays, contactDays: p.contactDays, decisionDays: p.decisionDays, escalateDays: p.escalateDays,
  bankId: p.bankId, effectiveFrom: p.effectiveFrom?.toISOString() ?? null,
});

/** SLA policy: the desk sets the city default and per-bank overrides; each applies to leads created after it. */
export function slaRoutes(ctx: AppContext): Router {
  async function show(_req: Request, res: Response) {
    const actor = actorOf(res);
    const { query } = inputOf<{ query: { bankId?: number } }>(res);
    const bankId = isBankRole(actor.role) ? actor.bankId : (query.bankId ?? null);
    const now = ctx.clock.now();
    res.json({ default: present(await policyFor(ctx.db, null, now)), ...(bankId !== null ? { bank: present(await policyFor(ctx.db, bankId, now)) } : {}) });
  }

  async function put(req: Request, res: Response) {
    const { body } = inputOf<{ body: SlaPolicy & { bankId?: number } }>(res);
    const now = ctx.clock.now();
    await setSlaPolicy({ db: ctx.db, actor: actorOf(res), input: body, now, ip: req.ip });
    res.json(present(await policyFor(ctx.db, body.bankId ?? null, now)));
  }

  const router = Router();
  router.get('/policy', ctx.auth('desk', 'admin', 'bank_admin', 'bank_officer'), validate({ query: policyQuery }), show);
  router.put('/policy', ctx.auth('desk', 'admin'), validate({ body: policyBody }), put);
  return router;
}
