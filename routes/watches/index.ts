import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import type { CompanyProfile, Need } from '../../matchers/facts';
import type { AppContext } from '../../server/context';
import { inputOf, noInput, validate } from '../../server/middleware/validate';
import { companySchema, needSchema } from '../match/schema';
import { createWatch, WATCH_CONSENT_VERSION, WATCH_DAYS, watchConsentText } from '../../server/commands/create-watch';
import { endWatch } from '../../server/commands/end-watch';
import { watchNotFound } from '../../server/commands/not-found';
import { watchByToken, watchStats, type WatchRow } from '../../models/watches';

export const watchTokenParams = Joi.object({
  token: Joi.string().pattern(/^[\w-]{20,64}$/).required().messages({ 'string.pattern.base': 'token is not a watch link' }),
});
const createBody = Joi.object({
  company: companySchema.required(),
  need: needSchema.required(),
  phoneToken: Joi.string().trim().max(500).required(),
  consent: Joi.object({ version: Joi.string().trim().max(40).required() }).required(),
}).required()
  .example({
    company: { uscc: '91441200MA4W1234XY', name: '肇庆市高要区金利五金制品有限公司', district: '441204', industry: 'C33', establishedOn: '2019-05-10', employees: 45, annualRevenue: 18000000, taxRating: 'B', hasBankLoan: false, overdueCount: 0, collateral: ['equipment'], guaranteeAvailable: false },
    need: { amount: 1000000, termMonths: 12, purpose: '采购原材料' }, phoneToken: 'pt1.eyJwIjoiMTM4MDAxMzgwMDAiLCJ1Ijoid2F0Y2giLCJlIjoxNzk2MDAwMDAwMDAwfQ.sig', consent: { version: 'watch-2026-12' },
  });

type TokenInput = { params: { token: string } };

/** A watch as its applicant sees it, with the links to manage it and to apply. */
export function presentWatch(ctx: AppContext, w: WatchRow) {
  const now = ctx.clock.now();
  const company = w.company as CompanyProfile;
  return {
    id: w.id,
    status: w.cancelledAt ? 'cancelled' : w.expiresAt <= now ? 'expired' : 'active',
    company, need: w.need as Need, createdAt: w.createdAt.toISOString(), expiresAt: w.expiresAt.toISOString(),
    cancelledAt: w.cancelledAt?.toISOString() ?? null, notifications: w.notifications, lastNotifiedAt: w.lastNotifiedAt?.toISOString() ?? null,
    manageUrl: `${ctx.config.publicBaseUrl}/watch/${w.token}`, applyUrl: `${ctx.config.publicBaseUrl}/apply?w=${w.token}`,
  };
}


/** "Tell me when I qualify" (SPEC "Watches"): made and ended by the applicant, counted for the desk. */
export function watchRoutes(ctx: AppContext): Router {
  async function create(_req: Request, res: Response) {
    const { body } = inputOf<{ body: { company: CompanyProfile; need: Need; phoneToken: string; consent: { version: string } } }>(res);
    const watch = presentWatch(ctx, await createWatch({ db: ctx.db, input: body, now: ctx.clock.now(), jwtSecret: ctx.config.jwtSecret, matcher: await ctx.catalogue.current() }));
    res.status(201).set('Cache-Control', 'no-store').json({ id: watch.id, manageUrl: watch.manageUrl, expiresAt: watch.expiresAt, applyUrl: watch.applyUrl });
  }
  const consent = (_req: Request, res: Response) => { res.json({ version: WATCH_CONSENT_VERSION, retentionDays: WATCH_DAYS, text: watchConsentText }); };
  async function show(_req: Request, res: Response) {
    const w = await watchByToken(ctx.db, inputOf<TokenInput>(res).params.token);
    if (!w) throw watchNotFound();
    res.set('Cache-Control', 'no-store').json(presentWatch(ctx, w));
  }
  const cancel = async (_req: Request, res: Response) => { res.json(presentWatch(ctx, await endWatch({ db: ctx.db, input: inputOf<TokenInput>(res).params, now: ctx.clock.now() }))); };
  const stats = async (_req: Request, res: Response) => { res.json(await watchStats(ctx.db, ctx.clock.now())); };

  const router = Router();
  router.post('/', validate({ body: createBody }), create);
  router.get('/consent', noInput, consent);
  router.get('/stats', ctx.auth('desk', 'admin'), noInput, stats);
  router.get('/:token', validate({ params: watchTokenParams }), show);
  router.post('/:token/cancel', validate({ params: watchTokenParams }), cancel);
  return router;
}
