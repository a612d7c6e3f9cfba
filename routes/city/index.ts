import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../server/context';
import { noInput } from '../../server/middleware/validate';
import { presentCity } from './present';

/** The city the service runs for (CITY): its districts (the only ones requests may name), names and desk. Public. */
export function cityRoutes(ctx: AppContext): Router {
  const body = presentCity(ctx.config);
  function show(_req: Request, res: Response) {
    // Fixed for the life of the process: let browsers and proxies keep it a while.
    res.set('Cache-Control', 'public, max-age=300').json(body);
  }

  const router = Router();
  router.get('/', noInput, show);
  return router;
}
