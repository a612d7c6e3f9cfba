import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../server/context';
import { CONSENT_VERSION, consentText, RETENTION_DAYS } from '../../server/domain/consent';
import { ValidationError } from '../../server/errors';
import { rateLimit, SharedRateLimiter } from '../../server/middleware/rate-limit';
import { inputOf, noInput, validate } from '../../server/middleware/validate';
import { requirePhoneToken } from '../../server/commands/require-phone-token';
import { lookupApplications } from './lookup';
import { submitApplication } from '../../server/commands/submit-application';
import { answerOffer } from '../../server/commands/answer-offer';
import { applicationByToken } from '../../server/commands/application-work';
import { confirmTerms } from '../../server/commands/confirm-terms';
import { matchApplication } from '../../server/commands/hand-over';
import { requestSecondLook } from '../../server/commands/request-second-look';
import { withdrawApplication } from '../../server/commands/withdraw-application';
import { sentMessages } from '../../server/sms/applicant-messages';
import type { ApplicationRow } from '../../models/applications';
import { leadsOfApplication } from '../../models/applications-queries';
import { pendingOffersOfApplication } from '../../models/reassignment-queries';
import { presentPendingOffer } from '../reassignments/present';
import { presentTracking } from './present';
import {
  confirmBody, idempotencyKeySchema, lookupBody, offerAnswerBody, offerParams, secondLookBody, submitApplicationBody, tokenParams, withdrawBody,
  type ConfirmInput, type OfferAnswerInput, type SecondLookInput, type SubmitApplicationInput,
} from './schema';

type TokenParams = { params: { token: string } };
const HOUR = 3_600_000;

export function applicationRoutes(ctx: AppContext): Router {
  // Counted in the database: every instance shares one budget.
  const perIp = new SharedRateLimiter(ctx.db, 'applications:ip', ctx.config.applicationRateLimit.perIp, HOUR, ctx.clock);
  // Per company and phone: keyed by the company alone, its Retry-After told anyone when that company last
  // applied, and ten junk requests blocked its real applicant. Abuse across phones is what the duplicate,
  // broker and second-contact flags are for. Counted inside the submission's transaction, so only requests
  // that are accepted stay counted (a replay of an Idempotency-Key is not counted again).
  const perCompany = new SharedRateLimiter(ctx.db, 'applications:company', ctx.config.applicationRateLimit.perCompany, HOUR, ctx.clock);
  const companyKey = (body: SubmitApplicationInput) => `${body.company.uscc}:${body.contact.phone}`;

  function idempotencyKeyOf(req: Request): string | undefined {
    const raw = req.get('idempotency-key');
    if (raw === undefined) return undefined;
    const { value, error } = idempotencyKeySchema.validate(raw);
    if (error) throw new ValidationError([{ in: 'headers', path: 'Idempotency-Key', message: error.message.replace('"value"', 'Idempotency-Key') }]);
    return value;
  }

  async function submit(req: Request, res: Response) {
    const key = idempotencyKeyOf(req);
    const { body: { phoneToken, ...body } } = inputOf<{ body: SubmitApplicationInput }>(res);
    requirePhoneToken(ctx, phoneToken, body.contact.phone, 'apply');
    const result = await submitApplication(ctx, body, { idempotencyKey: key, ip: req.ip, limit: { limiter: perCompany, key: companyKey(body), what: 'requests for this company from this phone' } });
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    // A replay answers as the first request did (201), marked as a replay.
    res.status(201).location(`/api/applications/track/${result.body.trackingToken}`).json(result.body);
  }

  /** The consent text the application page shows (the recipients are named on the page). */
  function consent(_req: Request, res: Response) {
    res.json({ version: CONSENT_VERSION, retentionDays: RETENTION_DAYS, text: consentText, phoneVerification: ctx.config.phoneVerification });
  }

  /** The request as its tracking page shows it: leads, offers waiting for an answer. */
  async function tracked(a: ApplicationRow) {
    const [leads, offers] = await Promise.all([leadsOfApplication(ctx.db, a.id), pendingOffersOfApplication(ctx.db, a.id)]);
    return presentTracking(a, leads, offers.map(presentPendingOffer));
  }

  async function track(_req: Request, res: Response) {
    const application = await applicationByToken(ctx.db, inputOf<TokenParams>(res).params.token);
    res.set('Cache-Control', 'no-store').json({ ...(await tracked(application)), messages: await sentMessages(ctx.db, application.id) });
  }

  async function withdraw(_req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body?: { reason?: string } }>(res);
    res.json(await tracked(await withdrawApplication({ db: ctx.db, input: { token: params.token, reason: body?.reason }, now: ctx.clock.now() })));
  }

  async function secondLook(_req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body: SecondLookInput }>(res);
    const matcher = await ctx.catalogue.current();
    res.status(201).json(await tracked(await requestSecondLook({ db: ctx.db, input: { ...body, token: params.token }, now: ctx.clock.now(), matcher })));
  }

  /** Products a second look could go to: eligible, at banks this request has not reached yet. */
  async function options(_req: Request, res: Response) {
    const a = await applicationByToken(ctx.db, inputOf<TokenParams>(res).params.token);
    const asked = new Set((await leadsOfApplication(ctx.db, a.id)).map((l) => l.lead.bankId));
    const results = matchApplication(await ctx.catalogue.current(), a, ctx.clock.now());
    res.set('Cache-Control', 'no-store').json({ items: results.filter((r) => r.eligible && !asked.has(r.product.bankId)).slice(0, 10).map((r) => ({ product: r.product, score: r.score })) });
  }

  async function confirm(_req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body: ConfirmInput }>(res);
    res.json(await tracked(await confirmTerms({ db: ctx.db, input: { ...body, token: params.token }, now: ctx.clock.now() })));
  }

  async function offer(_req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { token: string; offerId: number }; body: OfferAnswerInput }>(res);
    const matcher = await ctx.catalogue.current();
    res.json(await tracked(await answerOffer({ db: ctx.db, input: { ...body, ...params }, now: ctx.clock.now(), matcher })));
  }

  /** A verified phone recovers its tracking links (always needs a lookup phoneToken, kiosks included). */
  async function lookup(_req: Request, res: Response) {
    const { body } = inputOf<{ body: { phone: string; phoneToken: string } }>(res);
    requirePhoneToken(ctx, body.phoneToken, body.phone, 'lookup', true);
    res.set('Cache-Control', 'no-store').json(await lookupApplications(ctx, body.phone));
  }

  const router = Router();
  router.post('/lookup', validate({ body: lookupBody }), lookup);
  router.post('/',
    rateLimit(perIp, (req) => req.ip, 'requests from this address'),
    validate({ body: submitApplicationBody }),
    submit);
  router.get('/consent', noInput, consent);
  router.get('/track/:token', validate({ params: tokenParams }), track);
  router.post('/track/:token/withdraw', validate({ params: tokenParams, body: withdrawBody }), withdraw);
  router.get('/track/:token/second-look', validate({ params: tokenParams }), options);
  router.post('/track/:token/second-look', validate({ params: tokenParams, body: secondLookBody }), secondLook);
  router.post('/track/:token/offers/:offerId', validate({ params: offerParams, body: offerAnswerBody }), offer);
  router.post('/track/:token/confirm', validate({ params: tokenParams, body: confirmBody }), confirm);
  return router;
}
