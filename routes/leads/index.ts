import { Router, type Request, type Response } from 'express';
import { actorOf, isBankRole } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ValidationError } from '../../server/errors';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, listOf } from '../../server/schemas';
import { leadScope } from '../../server/policies';
import { eventsOf, feedAfter, findLead, listLeads, queueCounts } from '../../models/lead-queries';
import { amendDecision } from './amend';
import { exportLeads } from './export';
import { claimLead, leadNotFound } from './claim';
import { assignLead, checkFirstLoan, contactLead, decideLead, disburseLead, readLead } from './operations';
import { presentEvent, presentLeadSummary } from './present';
import { amendBody, assignBody, exportLeadsQuery, contactBody, decisionBody, disburseBody, firstLoanBody, listLeadsQuery, type AmendInput, type DecisionInput, type ListLeadsQuery } from './schema';

type IdParams = { params: { id: number } };

export function leadRoutes(ctx: AppContext): Router {
  /** Lists (scoped to the caller; a bankId sent by a bank user is ignored), or with `since` the bank's change feed (same scope). */
  async function list(_req: Request, res: Response) {
    const actor = actorOf(res);
    const { query } = inputOf<{ query: ListLeadsQuery }>(res);
    if (query.flagged !== undefined && isBankRole(actor.role)) {
      throw new ValidationError([{ in: 'query', path: 'flagged', message: 'broker flags are for the financing desk' }]);
    }
    if (query.since !== undefined) {
      if (!isBankRole(actor.role)) throw new ValidationError([{ in: 'query', path: 'since', message: 'the change feed is per bank; sign in as a bank user' }]);
      const rows = await feedAfter(ctx.db, actor.bankId!, query.since, query.pageSize, leadScope(actor));
      const last = rows.at(-1)?.seq ?? query.since;
      res.json({
        items: rows.map((r) => ({ cursor: r.seq, deliveryId: r.deliveryId, at: r.createdAt.toISOString(), ...(r.payload as object) })),
        nextCursor: last, hasMore: rows.length === query.pageSize,
      });
      return;
    }
    const now = ctx.clock.now();
    const filter = {
      ...query,
      scope: leadScope(actor),
      bankId: isBankRole(actor.role) ? undefined : query.bankId,
      officerId: query.mine ? actor.id : undefined,
      now,
      actorId: actor.id,
    };
    const [{ rows, total }, counts] = await Promise.all([listLeads(ctx.db, filter), queueCounts(ctx.db, filter)]);
    res.set('Cache-Control', 'no-store').json({ ...listOf(rows.map((r) => presentLeadSummary(r, actor, now)), total, query), counts });
  }

  async function show(req: Request, res: Response) {
    res.set('Cache-Control', 'no-store').json(await readLead(ctx, actorOf(res), inputOf<IdParams>(res).params.id, req.ip));
  }

  async function events(_req: Request, res: Response) {
    const actor = actorOf(res);
    const { id } = inputOf<IdParams>(res).params;
    if (!(await findLead(ctx.db, id, leadScope(actor)))) throw leadNotFound();
    res.json({ items: (await eventsOf(ctx.db, id)).map(presentEvent) });
  }

  /** Runs a change, then answers the lead as the caller now sees it. */
  const act = (change: (req: Request, res: Response) => Promise<unknown>) => async (req: Request, res: Response) => {
    await change(req, res);
    res.set('Cache-Control', 'no-store').json(await readLead(ctx, actorOf(res), inputOf<IdParams>(res).params.id, req.ip));
  };

  const bankStaff = ctx.auth('bank_officer', 'bank_admin');
  const readers = ctx.auth('bank_officer', 'bank_admin', 'desk', 'admin');
  const router = Router();
  router.get('/', readers, validate({ query: listLeadsQuery }), list);
  router.get('/export', bankStaff, validate({ query: exportLeadsQuery }), exportLeads(ctx));
  router.get('/:id', readers, validate({ params: idParams }), show);
  router.get('/:id/events', readers, validate({ params: idParams }), events);
  router.post('/:id/claim', bankStaff, validate({ params: idParams }), act((_q, s) => claimLead(ctx, actorOf(s), inputOf<IdParams>(s).params.id)));
  router.post('/:id/assign', ctx.auth('bank_admin'), validate({ params: idParams, body: assignBody }),
    act((_q, s) => assignLead(ctx, actorOf(s), inputOf<IdParams>(s).params.id, inputOf<{ body: { officerId?: number; branchId?: number } }>(s).body)));
  router.post('/:id/contact', bankStaff, validate({ params: idParams, body: contactBody }),
    act((_q, s) => contactLead(ctx, actorOf(s), inputOf<IdParams>(s).params.id, inputOf<{ body?: { note?: string } }>(s).body?.note)));
  router.post('/:id/decision', bankStaff, validate({ params: idParams, body: decisionBody }),
    act((_q, s) => decideLead(ctx, actorOf(s), inputOf<IdParams>(s).params.id, inputOf<{ body: DecisionInput }>(s).body)));
  router.post('/:id/amend', bankStaff, validate({ params: idParams, body: amendBody }),
    act((_q, s) => amendDecision(ctx, actorOf(s), inputOf<IdParams>(s).params.id, inputOf<{ body: AmendInput }>(s).body)));
  router.post('/:id/disburse', bankStaff, validate({ params: idParams, body: disburseBody }),
    act((_q, s) => disburseLead(ctx, actorOf(s), inputOf<IdParams>(s).params.id, inputOf<{ body: { amount: number; disbursedOn: string } }>(s).body)));
  router.post('/:id/first-loan', bankStaff, validate({ params: idParams, body: firstLoanBody }),
    act((_q, s) => checkFirstLoan(ctx, actorOf(s), inputOf<IdParams>(s).params.id, inputOf<{ body: { isFirstLoan: boolean } }>(s).body.isFirstLoan)));
  return router;
}
