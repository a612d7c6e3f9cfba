import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, type Paging } from '../../server/schemas';
import { cancelOffer } from '../../server/commands/cancel-offer';
import { candidatesFor, matchApplication } from '../../server/commands/hand-over';
import { reassignLead } from '../../server/commands/reassign-lead';
import { askedBanks, consentedBanks, escalatedLeads, listOffers, pendingOffersOfLeads } from '../../models/reassignment-queries';
import { presentCancelled, presentOffer, presentQueueItem } from './present';
import { listQuery, queueQuery, reassignBody, type ListQuery, type ReassignInput } from './schema';

/** Candidates shown per lead in the queue. */
const CANDIDATES = 5;

/** The desk's reassignment queue and its hand-overs of escalated leads to other banks (desk and admin). */
export function reassignmentRoutes(ctx: AppContext): Router {
  /**
   * Leads handed back because their bank did not accept them in time, oldest first, each with the offer waiting
   * for the applicant (if any) and the best other banks to send it to, those the applicant already consented to
   * first (one click, no question to the applicant).
   */
  async function queue(_req: Request, res: Response) {
    const p = inputOf<{ query: Paging }>(res).query;
    const { rows, total } = await escalatedLeads(ctx.db, p);
    const appIds = [...new Set(rows.map((r) => r.application.id))];
    const [asked, consented, offers, matcher] = await Promise.all([
      askedBanks(ctx.db, appIds), consentedBanks(ctx.db, appIds), pendingOffersOfLeads(ctx.db, rows.map((r) => r.lead.id)), ctx.catalogue.current(),
    ]);
    const actor = actorOf(res);
    const now = ctx.clock.now();
    const items = rows.map((r) => {
      const onFile = consented.get(r.application.id) ?? new Set<number>();
      const candidates = candidatesFor(matchApplication(matcher, r.application, now), asked.get(r.application.id) ?? new Set())
        .map((c) => ({ product: c.product, score: c.score, consentOnFile: onFile.has(c.product.bankId) }))
        .sort((x, y) => Number(y.consentOnFile) - Number(x.consentOnFile) || y.score - x.score)
        .slice(0, CANDIDATES);
      return presentQueueItem(r, actor, now, offers.find((o) => o.offer.leadId === r.lead.id), candidates);
    });
    res.set('Cache-Control', 'no-store').json({ items, total, page: p.page, pageSize: p.pageSize });
  }

  /** History of the desk's reassignments, newest first. */
  async function list(_req: Request, res: Response) {
    const q = inputOf<{ query: ListQuery }>(res).query;
    const { rows, total } = await listOffers(ctx.db, q);
    res.json({ items: rows.map((r) => presentOffer(r.offer, r.bankName, r.productName)), total, page: q.page, pageSize: q.pageSize });
  }

  /** 201 when the request went over at once (consent on file), 202 when the applicant is asked first. */
  async function create(_req: Request, res: Response) {
    const done = await reassignLead({ db: ctx.db, actor: actorOf(res), input: inputOf<{ body: ReassignInput }>(res).body, now: ctx.clock.now(), matcher: await ctx.catalogue.current() });
    res.status(done.handedOver ? 201 : 202).json(presentOffer(done.offer, done.bankName, done.productName));
  }

  async function cancel(_req: Request, res: Response) {
    const row = await cancelOffer({ db: ctx.db, actor: actorOf(res), input: inputOf<{ params: { id: number } }>(res).params, now: ctx.clock.now() });
    res.json(presentCancelled(row));
  }

  const desk = ctx.auth('desk', 'admin');
  const router = Router();
  router.get('/queue', desk, validate({ query: queueQuery }), queue);
  router.get('/', desk, validate({ query: listQuery }), list);
  router.post('/', desk, validate({ body: reassignBody }), create);
  router.post('/:id/cancel', desk, validate({ params: idParams }), cancel);
  return router;
}
