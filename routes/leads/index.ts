import { Router, type Request, type Response } from 'express';
import { actorOf, isBankRole, type Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ValidationError } from '../../server/errors';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, listOf } from '../../server/schemas';
import { leadScope } from '../../server/policies';
import { amendDecision } from '../../server/commands/amend-decision';
import { assignLead } from '../../server/commands/assign-lead';
import { claimLead } from '../../server/commands/claim-lead';
import { confirmFirstLoan } from '../../server/commands/confirm-first-loan';
import { contactLead } from '../../server/commands/contact-lead';
import { disburseLead } from '../../server/commands/disburse-lead';
import { leadNotFound } from '../../server/commands/not-found';
import { readLead } from '../../server/commands/read-lead';
import { recordDecision } from '../../server/commands/record-decision';
import type { CommandArgs } from '../../server/commands/command';
import { eventsOf, feedAfter, findLead, listLeads, queueCounts } from '../../models/lead-queries';
import { exportLeads } from './export';
import { presentEvent, presentLeadDetail, presentLeadSummary } from './present';
import { amendBody, assignBody, exportLeadsQuery, contactBody, decisionBody, disburseBody, firstLoanBody, listLeadsQuery, type ListLeadsQuery } from './schema';

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

  /** The lead as the caller may see it now. */
  async function present(req: Request, res: Response) {
    const actor = actorOf(res);
    const { found, events, consent, match } = await readLead({ db: ctx.db, actor, input: { id: inputOf<IdParams>(res).params.id }, ip: req.ip });
    res.set('Cache-Control', 'no-store').json(presentLeadDetail(found, actor, events, ctx.clock.now(), { consent, match, matchRecomputed: true }));
  }

  async function events(_req: Request, res: Response) {
    const actor = actorOf(res);
    const { id } = inputOf<IdParams>(res).params;
    if (!(await findLead(ctx.db, id, leadScope(actor)))) throw leadNotFound();
    res.json({ items: (await eventsOf(ctx.db, id)).map(presentEvent) });
  }

  /** Runs a command on the lead (params and body as its input), then answers the lead as the caller now sees it. */
  const act = <I>(command: (args: CommandArgs<{ id: number } & I>) => Promise<unknown>) => async (req: Request, res: Response) => {
    const { params, body } = inputOf<IdParams & { body?: I }>(res);
    const actor: Actor = actorOf(res);
    await command({ db: ctx.db, actor, input: { ...(body ?? {} as I), id: params.id }, now: ctx.clock.now(), ip: req.ip });
    await present(req, res);
  };

  const bankStaff = ctx.auth('bank_officer', 'bank_admin');
  const readers = ctx.auth('bank_officer', 'bank_admin', 'desk', 'admin');
  const router = Router();
  router.get('/', readers, validate({ query: listLeadsQuery }), list);
  router.get('/export', bankStaff, validate({ query: exportLeadsQuery }), exportLeads(ctx));
  router.get('/:id', readers, validate({ params: idParams }), present);
  router.get('/:id/events', readers, validate({ params: idParams }), events);
  router.post('/:id/claim', bankStaff, validate({ params: idParams }), act(claimLead));
  router.post('/:id/assign', ctx.auth('bank_admin'), validate({ params: idParams, body: assignBody }), act(assignLead));
  router.post('/:id/contact', bankStaff, validate({ params: idParams, body: contactBody }), act(contactLead));
  router.post('/:id/decision', bankStaff, validate({ params: idParams, body: decisionBody }), act(recordDecision));
  router.post('/:id/amend', bankStaff, validate({ params: idParams, body: amendBody }), act(amendDecision));
  router.post('/:id/disburse', bankStaff, validate({ params: idParams, body: disburseBody }), act(disburseLead));
  router.post('/:id/first-loan', bankStaff, validate({ params: idParams, body: firstLoanBody }), act(confirmFirstLoan));
  return router;
}
