import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../server/context';
import { NotFoundError } from '../../server/errors';
import { inputOf, validate } from '../../server/middleware/validate';
import { knownCompany } from '../../models/desk-lookups';
import { uscc } from '../match/schema';

const usccParams = Joi.object({ uscc: uscc.required() });

/**
 * The desk types a USCC and gets the company's name (and district, industry) as it last reached the service,
 * so a consultation or a coaching case is recorded in seconds. Desk and admin only: banks see companies only
 * through their own leads.
 */
export function companyRoutes(ctx: AppContext): Router {
  async function show(_req: Request, res: Response) {
    const c = await knownCompany(ctx.db, inputOf<{ params: { uscc: string } }>(res).params.uscc);
    if (!c) throw new NotFoundError({ code: 'company_not_found', detail: 'No request, consultation or coaching case has named this USCC yet.' });
    res.json({ ...c, seenAt: c.seenAt.toISOString() });
  }

  const router = Router();
  router.get('/:uscc', ctx.auth('desk', 'admin'), validate({ params: usccParams }), show);
  return router;
}
