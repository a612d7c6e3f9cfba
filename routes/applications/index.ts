import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../server/context';
import { CONSENT_VERSION, consentText, RETENTION_DAYS } from '../../server/domain/consent';
import { AppError, ValidationError } from '../../server/errors';
import { rateLimit, SharedRateLimiter } from '../../server/middleware/rate-limit';
import { inputOf, noInput, validate } from '../../server/middleware/validate';
import { requirePhoneToken } from '../phone-codes/require';
import { lookupApplications } from './lookup';
import { markApplied } from '../../models/watches';
import { submitApplication } from './submit';
import { answerOffer, confirmTerms, requestSecondLook, secondLookOptions, trackApplication, withdrawApplication } from './tracking';
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
  // broker and second-contact flags are for. Only requests that are accepted stay counted.
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
    let result: Awaited<ReturnType<typeof submitApplication>>;
    try {
      requirePhoneToken(ctx, phoneToken, body.contact.phone, 'apply');
      result = await submitApplication(ctx, body, { idempotencyKey: key, ip: req.ip });
    } catch (err) {
      if (err instanceof AppError && err.status < 500) await perCompany.giveBack(companyKey(body));
      throw err;
    }
    if (!result.replayed) await markApplied(ctx.db, body.contact.phone, body.company.uscc, ctx.clock.now());
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    // A replay answers as the first request did (201), marked as a replay.
    res.status(201).location(`/api/applications/track/${result.body.trackingToken}`).json(result.body);
  }

  /** The consent text the application page shows (the recipients are named on the page). */
  function consent(_req: Request, res: Response) {
    res.json({ version: CONSENT_VERSION, retentionDays: RETENTION_DAYS, text: consentText, phoneVerification: ctx.config.phoneVerification });
  }

  async function track(_req: Request, res: Response) {
    res.set('Cache-Control', 'no-store').json(await trackApplication(ctx, inputOf<TokenParams>(res).params.token));
  }

  async function withdraw(_req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body: { reason?: string } }>(res);
    res.json(await withdrawApplication(ctx, params.token, body?.reason));
  }

  async function secondLook(_req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body: SecondLookInput }>(res);
    res.status(201).json(await requestSecondLook(ctx, params.token, body));
  }

  async function options(_req: Request, res: Response) {
    res.set('Cache-Control', 'no-store').json(await secondLookOptions(ctx, inputOf<TokenParams>(res).params.token));
  }

  async function confirm(_req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body: ConfirmInput }>(res);
    res.json(await confirmTerms(ctx, params.token, body));
  }

  async function offer(_req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { token: string; offerId: number }; body: OfferAnswerInput }>(res);
    res.json(await answerOffer(ctx, params.token, params.offerId, body));
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
    rateLimit(perCompany, (_req, res) => companyKey(inputOf<{ body: SubmitApplicationInput }>(res).body), 'requests for this company from this phone'),
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
